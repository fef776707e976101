// The console's figures: 总览 (overview), the monthly report of a district and the case exports
// (CSV with BOM and .xlsx). The figures are the tablets' own (domain/figures.h), per station.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "base/csv.h"
#include "base/dates.h"
#include "base/xlsx.h"
#include "domain/case_flow.h"
#include "domain/rules.h"
#include "sync/server/console_call.h"
#include "sync/server/http_util.h"

namespace liaison::server::console {

using nlohmann::json;
using sync::HttpResponse;
namespace flow = domain::cases;
namespace stats = domain::stats;

namespace {

constexpr int64_t kStaleDeviceMs = 3 * 24 * 3600'000LL;
constexpr int64_t kMaxExportRows = 100000;

std::string param(const Call& c, const char* k) { return c.q.count(k) ? c.q.at(k) : std::string(); }

// The stations a page shows: the user's scope, narrowed to one district when asked.
std::vector<const StationRecord*> shown_stations(const Call& c) {
    const std::string district = param(c, "district");
    std::vector<const StationRecord*> out;
    for (const auto& s : c.stations)
        if (accounts::in_scope(c.scope, s.id) && (district.empty() || s.district == district)) out.push_back(&s);
    return out;
}

CaseFilter filter_of(const Call& c, const std::vector<const StationRecord*>& shown) {
    CaseFilter f;
    for (const auto* s : shown) f.stations.push_back(s->id);
    f.today = c.today();
    f.limit = 0;
    return f;
}

// The range of the query (from, to), else the current year.
Result<stats::Range> range_of(const Call& c) {
    stats::Range r{param(c, "from"), param(c, "to"), ""};
    const std::string year = c.today().substr(0, 4);
    if (r.from.empty()) r.from = year + "-01-01";
    if (r.to.empty()) r.to = year + "-12-31";
    LIAISON_TRY(stats::check_range(r));
    return r;
}

std::vector<std::string> months_between(const std::string& from, const std::string& to) {
    std::vector<std::string> out;
    int y = std::stoi(from.substr(0, 4)), m = std::stoi(from.substr(5, 2));
    const int ty = std::stoi(to.substr(0, 4)), tm = std::stoi(to.substr(5, 2));
    while ((y < ty || (y == ty && m <= tm)) && out.size() < 120) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
        out.emplace_back(buf);
        if (++m > 12) {
            m = 1;
            ++y;
        }
    }
    return out;
}

// The last day of a month "YYYY-MM": the day before the next month's first.
std::string month_end(const std::string& month) {
    int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2)) + 1;
    if (m > 12) {
        m = 1;
        ++y;
    }
    char next[32];
    std::snprintf(next, sizeof next, "%04d-%02d-01", y, m);
    return dates::date_of_day(dates::day_number(next) - 1);
}

Result<json> by_month(Call& c, CaseFilter f, const stats::Range& r) {
    f.from = r.from;
    f.to = r.to;
    LIAISON_ASSIGN_OR_RETURN(auto counts, c.cs.cases_by_month(f));
    std::map<std::string, json> months;
    for (const auto& m : months_between(r.from, r.to)) {
        json row = {{"month", m}};
        for (const auto& s : flow::statuses()) row[s.code] = 0;
        months[m] = row;
    }
    for (const auto& n : counts)
        if (months.count(n.month) && months[n.month].contains(n.status)) months[n.month][n.status] = n.cases;
    json out = json::array();
    for (auto& [m, row] : months) out.push_back(std::move(row));
    return out;
}

Result<json> stale_devices(Call& c, const std::vector<const StationRecord*>& shown) {
    LIAISON_ASSIGN_OR_RETURN(auto devices, c.storage.devices());
    json out = json::array();
    for (const auto& d : devices) {
        const int64_t last = d.last_seen_ms ? d.last_seen_ms : d.enrolled_ms;
        if (d.revoked_ms != 0 || c.now - last < kStaleDeviceMs) continue;
        for (const auto* s : shown)
            if (s->id == d.station_id)
                out.push_back({{"id", d.id}, {"name", d.name}, {"station", s->name}, {"last_seen_ms", d.last_seen_ms}});
    }
    return out;
}

Result<int64_t> count_cases(Call& c, const CaseFilter& f) {
    LIAISON_ASSIGN_OR_RETURN(auto list, c.cs.cases(f));
    return list.total;
}

// Per-station figures of the shown stations (zeros for a station with nothing), and their sum.
Result<json> station_rows(Call& c, const std::vector<const StationRecord*>& shown, const stats::Range& r,
                          stats::Figures& total, const std::string& period) {
    LIAISON_ASSIGN_OR_RETURN(auto figs, c.cs.station_figures(r));
    std::map<std::string, stats::Figures> by_id;
    for (const auto& f : figs) by_id[f.id] = f.figures;
    json rows = json::array();
    for (const auto* s : shown) {
        const stats::Figures f = by_id.count(s->id) ? by_id[s->id] : stats::Figures{};
        total += f;
        json row = {{"id", s->id}, {"name", s->name}, {"district", s->district}, {"figures", stats::figures_json(f)}};
        if (!period.empty()) row["summary"] = stats::summary_sentence(f, period);
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

HttpResponse overview(Call& c) {
    auto r = range_of(c);
    if (!r) return from_error(r.error());
    const auto shown = shown_stations(c);
    stats::Figures total;
    auto rows = station_rows(c, shown, *r, total, "");
    if (!rows) return from_error(rows.error());
    CaseFilter overdue = filter_of(c, shown);
    overdue.overdue = true;
    CaseFilter soon = filter_of(c, shown);
    soon.due_by = dates::date_of_day(dates::day_number(c.today()) + flow::kDueSoonDays);
    auto n_overdue = count_cases(c, overdue);
    auto n_soon = count_cases(c, soon);
    auto months = by_month(c, filter_of(c, shown), *r);
    auto stale = stale_devices(c, shown);
    for (const Error* e : {n_overdue ? nullptr : &n_overdue.error(), n_soon ? nullptr : &n_soon.error(),
                           months ? nullptr : &months.error(), stale ? nullptr : &stale.error()})
        if (e) return from_error(*e);
    return json_response(200, {{"from", r->from},
                               {"to", r->to},
                               {"total", stats::figures_json(total)},
                               {"stations", *rows},
                               {"overdue", *n_overdue},
                               {"due_soon", *n_soon},
                               {"stale_devices", *stale},
                               {"by_month", *months}});
}

HttpResponse report(Call& c) {
    std::string month = param(c, "month");
    if (month.empty()) month = c.today().substr(0, 7);
    if (month.size() != 7 || !domain::valid_date(month + "-01")) return fail(400, "bad_request", "month is YYYY-MM");
    const stats::Range r{month + "-01", month_end(month), ""};
    const auto shown = shown_stations(c);
    stats::Figures total;
    auto rows = station_rows(c, shown, r, total, "本月");
    if (!rows) return from_error(rows.error());
    const std::string district = param(c, "district");
    const std::string title = (district.empty() ? std::string("全部") : district) + "代表联络站" + month.substr(0, 4) +
                              "年" + std::to_string(std::stoi(month.substr(5, 2))) + "月工作汇总";
    return json_response(
        200, {{"month", month},
              {"title", title},
              {"summary", "全部" + std::to_string(shown.size()) + "个联络站" + stats::summary_sentence(total, "本月")},
              {"stations", *rows},
              {"total", stats::figures_json(total)}});
}

namespace {

std::vector<std::string> export_header() {
    return {"编号", "登记时间", "联络站", "类别", "标题", "状态", "承办单位", "办理期限", "期限状态"};
}

const char* deadline_zh(flow::DeadlineState d) {
    switch (d) {
        case flow::DeadlineState::Done: return "已办结";
        case flow::DeadlineState::None: return "";
        case flow::DeadlineState::OnTime: return "未到期";
        case flow::DeadlineState::DueSoon: return "即将到期";
        case flow::DeadlineState::Overdue: return "已超期";
    }
    return "";
}

Result<std::vector<std::vector<std::string>>> export_rows(Call& c) {
    LIAISON_ASSIGN_OR_RETURN(auto f, case_filter(c));
    f.limit = kMaxExportRows;
    f.offset = 0;
    LIAISON_ASSIGN_OR_RETURN(auto list, c.cs.cases(f));
    LIAISON_ASSIGN_OR_RETURN(auto cats, c.cs.categories());
    std::map<std::string, std::string> cat_zh;
    for (const auto& k : cats) cat_zh[k.value("id", "")] = k.value("zh", "");
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : list.rows)
        rows.push_back({r.id, r.created_at, r.station_name, cat_zh.count(r.category) ? cat_zh[r.category] : r.category,
                        r.title, flow::status_zh(r.status), r.department_name, r.deadline,
                        deadline_zh(flow::deadline_state(r.status, r.deadline, f.today))});
    return rows;
}

HttpResponse download(std::string body, const char* type, const std::string& name) {
    HttpResponse r;
    r.status = 200;
    r.body = std::move(body);
    r.headers.emplace_back("Content-Type", type);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
    return r;
}

}  // namespace

HttpResponse export_cases(Call& c) {
    const std::string what = c.args[0];
    if (what != "cases.csv" && what != "cases.xlsx") return fail(404, "not_found", "no such export");
    auto rows = export_rows(c);
    if (!rows) return from_error(rows.error());
    c.note += " export " + what + " rows=" + std::to_string(rows->size());
    const std::string stem = "cases-" + c.today();
    if (what == "cases.csv")
        return download(sync::csv_document(export_header(), *rows), "text/csv; charset=utf-8", stem + ".csv");
    auto x = xlsx_document({XlsxSheet{"意见建议", export_header(), std::move(*rows), {16, 16, 16, 16, 40}}});
    if (!x) return from_error(x.error());
    return download(std::move(*x), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", stem + ".xlsx");
}

}  // namespace liaison::server::console
