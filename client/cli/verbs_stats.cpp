// liaison stats | export | report monthly | duty add|list|remove | activity add|list|remove |
// deputy record (routed here from verb_deputy)
#include <nlohmann/json.hpp>
#include <ostream>

#include "client/cli/csv.h"
#include "client/cli/verbs.h"
#include "client/store/cases.h"
#include "client/store/duty.h"
#include "client/store/stats.h"
#include "base/xlsx.h"
#include "platform/platform.h"

namespace liaison::cli {

using nlohmann::json;
namespace stats = store::stats;
namespace duty = store::duty;

namespace {

std::string figures_text(const stats::Figures& f) {
    return "批次 " + std::to_string(f.visits) + "  人次 " + std::to_string(f.people) + "  意见建议 " +
           std::to_string(f.suggestions) + "  办结 " + std::to_string(f.resolved) + "  办结率 " + f.resolution_rate() +
           "  测评 " + std::to_string(f.rated) + "  满意率 " + f.satisfaction_rate();
}

// UTF-8 with a BOM, RFC 4180 quoting and CRLF line ends (base/csv.h).
std::string to_csv(const stats::Table& t) { return sync::csv_document(t.header, t.rows); }

// One sheet named after the table (the console's case export writes the same way, base/xlsx.h).
Result<std::string> to_xlsx(const stats::Table& t, const std::string& what) {
    return xlsx_document({XlsxSheet{what, t.header, t.rows, {}}});
}

}  // namespace

int verb_stats(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"from", "to", "by"}, {"json"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "unexpected word '" + a->positional[0] + "'");
    auto by = stats::parse_by(a->get("by"));
    if (!by) return fail(ctx, by.error());
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    // The station's own figures: the store may also hold records pulled for other stations.
    stats::Range r{a->get("from"), a->get("to"), s->station_id()};
    auto f = stats::figures(s->db(), r, *by);
    if (!f) return fail(ctx, f.error());
    auto statuses = stats::cases_by_status(s->db(), r);
    if (!statuses) return fail(ctx, statuses.error());
    if (a->flag("json")) {
        json groups = json::array();
        for (const auto& g : f->groups) {
            json j = stats::figures_json(g.figures);
            j["key"] = g.key;
            j["label"] = g.label;
            groups.push_back(j);
        }
        json st = json::object();
        for (const auto& [k, n] : *statuses) st[k] = n;
        ctx.out << json{{"from", r.from},
                        {"to", r.to},
                        {"by", stats::by_code(*by)},
                        {"total", stats::figures_json(f->total)},
                        {"groups", groups},
                        {"cases_by_status", st}}
                       .dump(2)
                << "\n";
        return 0;
    }
    ctx.out << "合计 total  " << figures_text(f->total) << "\n";
    for (const auto& g : f->groups) ctx.out << g.label << "  " << figures_text(g.figures) << "\n";
    ctx.out << "案件状态 cases:";
    for (const auto& [k, n] : *statuses) ctx.out << "  " << store::cases::status_zh(k) << " " << n;
    ctx.out << "\n";
    return 0;
}

int verb_export(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"format", "what", "from", "to"}, {"no-visitor"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1)
        return usage_error(ctx, "export --format csv|xlsx --what visits|cases|activities [--from D] [--to D] FILE");
    const std::string format = a->get("format", "csv");
    if (format != "csv" && format != "xlsx") return usage_error(ctx, "--format must be csv or xlsx");
    auto what = stats::parse_export(a->get("what"));
    if (!what) return fail(ctx, what.error());
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    stats::Range r{a->get("from"), a->get("to"), s->station_id()};
    auto t = stats::export_table(s->db(), *what, r, !a->flag("no-visitor"));
    if (!t) return fail(ctx, t.error());
    const std::string& path = a->positional[0];
    auto bytes = format == "xlsx" ? to_xlsx(*t, a->get("what")) : Result<std::string>(to_csv(*t));
    if (!bytes) return fail(ctx, bytes.error());
    if (path == "-") {
        ctx.out << *bytes;
        return 0;
    }
    if (auto st = platform::write_file(path, *bytes); !st) return fail(ctx, st.error());
    ctx.out << "exported " << t->rows.size() << " " << a->get("what") << " to " << path << "\n";
    return 0;
}

int verb_report(Context& ctx, const std::vector<std::string>& words) {
    if (words.empty() || words[0] != "monthly")
        return usage_error(ctx, "report monthly --month YYYY-MM [--out FILE] [--json]");
    auto a = parse_args(std::vector<std::string>(words.begin() + 1, words.end()), {"month", "out"}, {"json"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "unexpected word '" + a->positional[0] + "'");
    if (!a->has("month")) return usage_error(ctx, "report monthly needs --month YYYY-MM");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto rep = stats::monthly_report(s->db(), s->station_id(), a->get("month"));
    if (!rep) return fail(ctx, rep.error());
    std::string text;
    if (a->flag("json")) {
        json cats = json::array();
        for (const auto& g : rep->by_category) {
            json j = stats::figures_json(g.figures);
            j["key"] = g.key;
            j["label"] = g.label;
            cats.push_back(j);
        }
        text = json{{"month", rep->month},
                    {"station", rep->station_name},
                    {"title", rep->title},
                    {"summary", rep->summary},
                    {"category_lines", rep->category_lines},
                    {"deputy_line", rep->deputy_line},
                    {"total", stats::figures_json(rep->total)},
                    {"by_category", cats}}
                   .dump(2) +
               "\n";
    } else {
        text = rep->text();
    }
    if (a->has("out")) {
        if (auto st = platform::write_file(a->get("out"), text); !st) return fail(ctx, st.error());
        ctx.out << "wrote " << a->get("out") << "\n";
    } else {
        ctx.out << text;
    }
    return 0;
}

// ---------------------------------------------------------------- duty and activities

int verb_duty(Context& ctx, const std::vector<std::string>& words) {
    const char* usage =
        "duty add --date D --start HH:MM --end HH:MM --deputy NAME[,NAME] [--note N] | "
        "duty list [--date D] [--from D] [--to D] [--json] | duty remove ID";
    if (words.empty()) return usage_error(ctx, usage);
    const std::string& sub = words[0];
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    if (sub == "add") {
        auto a = parse_args(rest, {"date", "start", "end", "deputy", "note"});
        if (!a) return usage_error(ctx, a.error().message);
        for (const char* r : {"date", "start", "end", "deputy"})
            if (a->get(r).empty()) return usage_error(ctx, std::string("duty add needs --") + r);
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        store::DutySlot d;
        d.date = a->get("date");
        d.start = a->get("start");
        d.end = a->get("end");
        d.note = a->get("note");
        auto ids = duty::deputy_ids_from_names(*s, a->get("deputy"));
        if (!ids) return fail(ctx, ids.error());
        d.deputy_ids = *ids;
        auto id = duty::add_slot(*s, d);
        if (!id) return fail(ctx, id.error());
        ctx.out << *id << "\n";
        return 0;
    }
    if (sub == "list") {
        auto a = parse_args(rest, {"date", "from", "to"}, {"json"});
        if (!a) return usage_error(ctx, a.error().message);
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        const std::string from = a->get("date", a->get("from")), to = a->get("date", a->get("to"));
        auto slots = duty::slots(*s, from, to);
        if (!slots) return fail(ctx, slots.error());
        auto name = [&](const std::string& id) {
            auto d = s->deputy(id);
            return d ? d->name : id;
        };
        if (a->flag("json")) {
            json arr = json::array();
            for (const auto& d : *slots) {
                json deps = json::array();
                for (const auto& id : d.deputy_ids) deps.push_back({{"id", id}, {"name", name(id)}});
                arr.push_back({{"id", d.id},
                               {"date", d.date},
                               {"start", d.start},
                               {"end", d.end},
                               {"deputies", deps},
                               {"note", d.note}});
            }
            ctx.out << arr.dump(2) << "\n";
        } else {
            for (const auto& d : *slots) {
                ctx.out << d.id << "  " << d.date << " " << d.start << "-" << d.end << " ";
                for (size_t i = 0; i < d.deputy_ids.size(); ++i) ctx.out << (i ? "、" : " ") << name(d.deputy_ids[i]);
                if (!d.note.empty()) ctx.out << "  " << d.note;
                ctx.out << "\n";
            }
        }
        return 0;
    }
    if (sub == "remove") {
        auto a = parse_args(rest, {});
        if (!a) return usage_error(ctx, a.error().message);
        if (a->positional.size() != 1) return usage_error(ctx, "duty remove ID");
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        if (auto st = duty::remove_slot(*s, a->positional[0]); !st) return fail(ctx, st.error());
        ctx.out << "removed " << a->positional[0] << "\n";
        return 0;
    }
    return usage_error(ctx, usage);
}

int verb_activity(Context& ctx, const std::vector<std::string>& words) {
    const char* usage =
        "activity add --deputy NAME --type 视察调研|执法检查|培训|走访 --date D [--notes N] | "
        "activity list [--deputy NAME] [--from D] [--to D] [--json] | activity remove ID";
    if (words.empty()) return usage_error(ctx, usage);
    const std::string& sub = words[0];
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    if (sub == "add") {
        auto a = parse_args(rest, {"deputy", "type", "date", "notes"});
        if (!a) return usage_error(ctx, a.error().message);
        for (const char* r : {"deputy", "type", "date"})
            if (a->get(r).empty()) return usage_error(ctx, std::string("activity add needs --") + r);
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        auto ids = duty::deputy_ids_from_names(*s, a->get("deputy"));
        if (!ids) return fail(ctx, ids.error());
        if (ids->size() != 1) return usage_error(ctx, "activity add takes one deputy");
        auto id =
            duty::add_activity(*s, store::Activity{"", ids->front(), a->get("type"), a->get("date"), a->get("notes")});
        if (!id) return fail(ctx, id.error());
        ctx.out << *id << "\n";
        return 0;
    }
    if (sub == "list") {
        auto a = parse_args(rest, {"deputy", "from", "to"}, {"json"});
        if (!a) return usage_error(ctx, a.error().message);
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        std::string deputy_id;
        if (a->has("deputy")) {
            auto ids = duty::deputy_ids_from_names(*s, a->get("deputy"));
            if (!ids) return fail(ctx, ids.error());
            if (ids->size() != 1) return usage_error(ctx, "--deputy takes one deputy");
            deputy_id = ids->front();
        }
        auto acts = duty::activities(*s, deputy_id, a->get("from"), a->get("to"));
        if (!acts) return fail(ctx, acts.error());
        auto name = [&](const std::string& id) {
            auto d = s->deputy(id);
            return d ? d->name : id;
        };
        if (a->flag("json")) {
            json arr = json::array();
            for (const auto& x : *acts)
                arr.push_back({{"id", x.id},
                               {"deputy", {{"id", x.deputy_id}, {"name", name(x.deputy_id)}}},
                               {"type", x.type},
                               {"date", x.date},
                               {"notes", x.notes}});
            ctx.out << arr.dump(2) << "\n";
        } else {
            for (const auto& x : *acts)
                ctx.out << x.id << "  " << x.date << "  " << name(x.deputy_id) << "  " << x.type << "  " << x.notes
                        << "\n";
        }
        return 0;
    }
    if (sub == "remove") {
        auto a = parse_args(rest, {});
        if (!a) return usage_error(ctx, a.error().message);
        if (a->positional.size() != 1) return usage_error(ctx, "activity remove ID");
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        if (auto st = duty::remove_activity(*s, a->positional[0]); !st) return fail(ctx, st.error());
        ctx.out << "removed " << a->positional[0] << "\n";
        return 0;
    }
    return usage_error(ctx, usage);
}

int verb_deputy_record(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"from", "to"}, {"json"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "deputy record NAME [--from D] [--to D] [--json]");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto ids = duty::deputy_ids_from_names(*s, a->positional[0]);
    if (!ids) return fail(ctx, ids.error());
    if (ids->size() != 1) return usage_error(ctx, "deputy record takes one deputy");
    auto rec = duty::deputy_record(*s, ids->front(), a->get("from"), a->get("to"));
    if (!rec) return fail(ctx, rec.error());
    if (a->flag("json")) {
        json entries = json::array();
        for (const auto& e : rec->entries)
            entries.push_back(
                {{"date", e.date}, {"type", e.type}, {"text", e.text}, {"id", e.ref_id}, {"people", e.people}});
        ctx.out << json{{"deputy", {{"id", rec->deputy.id}, {"name", rec->deputy.name}, {"level", rec->deputy.level}}},
                        {"from", rec->from},
                        {"to", rec->to},
                        {"visits", rec->visits},
                        {"people", rec->people},
                        {"duty_slots", rec->duty_slots},
                        {"shifts", rec->shifts},
                        {"by_type", rec->by_type},
                        {"activities", rec->activity_count()},
                        {"entries", entries}}
                       .dump(2)
                << "\n";
        return 0;
    }
    ctx.out << rec->deputy.name << " 履职档案";
    if (!rec->from.empty() || !rec->to.empty()) ctx.out << "  " << rec->from << " ~ " << rec->to;
    ctx.out << "\n接待选民 " << rec->visits << "批 " << rec->people << "人次，值班 " << rec->duty_slots
            << "次，值班签到 " << rec->shifts << "次\n";
    for (const auto& t : duty::activity_types()) ctx.out << "  " << t.zh << " " << rec->by_type[t.code] << "\n";
    for (const auto& e : rec->entries) ctx.out << e.date << "  " << e.type << "  " << e.text << "\n";
    return 0;
}

}  // namespace liaison::cli
