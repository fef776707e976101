#include "client/store/stats.h"

#include <algorithm>
#include <map>

#include "base/dates.h"
#include "client/store/cases.h"
#include "client/store/duty.h"

namespace liaison::store::stats {

using dates::date_hi;
using dates::date_lo;
using domain::stats::cases_from;
using domain::stats::check_range;
using domain::stats::label_of;
using domain::stats::Labels;
using domain::stats::load_labels;
using domain::stats::visits_from;

Result<std::vector<std::pair<std::string, int64_t>>> cases_by_status(db::Db& db, const Range& r) {
    LIAISON_TRY(check_range(r));
    std::map<std::string, int64_t> n;
    auto& st = db.cached(
        "SELECT coalesce(status, ''), count(*) FROM cases WHERE _deleted = 0 "
        "AND created_at >= ?1 AND created_at < ?2 AND (?3 = '' OR station_id = ?3) GROUP BY 1");
    st.bind(1, date_lo(r.from)).bind(2, date_hi(r.to)).bind(3, r.station_id);
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) { n[q.text(0)] = q.i64(1); }));
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& s : cases::statuses()) {
        out.emplace_back(s.code, n[s.code]);
        n.erase(s.code);
    }
    for (const auto& [k, v] : n) out.emplace_back(k, v);  // values a newer app wrote
    return out;
}

// ---------------------------------------------------------------- monthly report

std::string MonthlyReport::text() const {
    std::string t = title + "\n" + summary + "\n";
    if (!category_lines.empty()) {
        t += "分类情况：\n";
        for (const auto& l : category_lines) t += l + "\n";
    }
    if (!deputy_line.empty()) t += deputy_line + "\n";
    return t;
}

Result<MonthlyReport> monthly_report(db::Db& db, const std::string& station_id, const std::string& month) {
    if (month.size() != 7 || !valid_date(month + "-01")) return invalid("--month must be YYYY-MM");
    MonthlyReport rep;
    rep.month = month;
    Range r;
    r.from = month + "-01";
    r.to = cases::date_of_day(cases::day_number(dates::next_month(month) + "-01") - 1);
    r.station_id = station_id;
    auto cat = figures(db, r, By::Category);
    if (!cat) return cat.error();
    auto dep = figures(db, r, By::Deputy);
    if (!dep) return dep.error();
    rep.total = cat->total;
    rep.by_category = cat->groups;
    rep.by_deputy = dep->groups;
    if (!station_id.empty()) {
        auto& st = db.cached("SELECT coalesce(name, '') FROM stations WHERE id = ?");
        st.bind(1, station_id);
        auto found = st.step();
        if (!found) return found.error();
        if (*found) rep.station_name = st.text(0);
        st.reset();
    }
    const int m = std::stoi(month.substr(5, 2));
    rep.title = rep.station_name + month.substr(0, 4) + "年" + std::to_string(m) + "月工作小结";
    rep.summary = summary_sentence(rep.total);
    for (const auto& g : rep.by_category) {
        const auto& f = g.figures;
        rep.category_lines.push_back(g.label + "：接待选民" + std::to_string(f.visits) + "批" +
                                     std::to_string(f.people) + "人次，收集意见建议" + std::to_string(f.suggestions) +
                                     "条，办结" + std::to_string(f.resolved) + "件");
    }
    std::string deps;
    for (const auto& g : rep.by_deputy) {
        if (g.key.empty() || g.figures.visits == 0) continue;
        deps += (deps.empty() ? "" : "、") + g.label + std::to_string(g.figures.visits) + "批" +
                std::to_string(g.figures.people) + "人次";
    }
    if (!deps.empty()) rep.deputy_line = "代表接待：" + deps;
    return rep;
}

// ---------------------------------------------------------------- export tables

Result<Export> parse_export(const std::string& s) {
    if (s == "visits") return Export::Visits;
    if (s == "cases") return Export::Cases;
    if (s == "activities") return Export::Activities;
    return invalid("--what must be visits, cases or activities");
}

namespace {

std::string names_of(const Labels& l, const std::string& ids) {
    std::string out;
    for (const auto& id : split_ids(ids)) out += (out.empty() ? "" : "、") + label_of(l.deputy, id, "");
    return out;
}

// Visitors' names and phones joined by 、 per visit, for the visits export.
struct VisitorCells {
    std::string names, phones;
};

Status add_visitor(VisitorCells& c, const db::Stmt& st, int name_col) {
    const std::string name = st.text(name_col), phone = st.text(name_col + 1);
    if (!name.empty()) c.names += (c.names.empty() ? "" : "、") + name;
    if (!phone.empty()) c.phones += (c.phones.empty() ? "" : "、") + phone;
    return {};
}

Result<Table> export_visits(db::Db& db, const Range& r, const Labels& l, bool visitor_columns, Cells cells) {
    Table t;
    // The header names are the ones `liaison visit import` reads, so an export imports back.
    t.header = {"接待时间", "渠道", "人数", "类别", "主题", "诉求", "接待代表", "办理方式", "原因", "备注"};
    t.keys = {"received_at", "channel",  "people", "category",     "subject",
              "content",     "deputies", "route",  "route_reason", "notes"};
    if (visitor_columns) {
        t.header.insert(t.header.begin() + 1, {"来访人", "联系电话"});
        t.keys.insert(t.keys.begin() + 1, {"visitor", "phone"});
    }
    const bool codes = cells == Cells::Codes;
    // A wide export reads every visitor in one pass (in table order) rather than one lookup per visit.
    std::map<std::string, VisitorCells> all_visitors;
    const bool wide = !narrow(r);
    if (visitor_columns && wide) {
        auto& vs = db.cached(
            "SELECT visit_id, coalesce(name, ''), coalesce(phone, '') FROM visit_visitors "
            "WHERE _deleted = 0 ORDER BY visit_id, id");
        LIAISON_TRY(vs.for_each_row([&](const db::Stmt& q) -> Status {
            LIAISON_TRY(add_visitor(all_visitors[q.text(0)], q, 1));
            return {};
        }));
    }
    auto& st = db.cached(
        "SELECT id, coalesce(received_at, ''), coalesce(channel, ''), coalesce(people, 1), coalesce(category, ''), "
        "coalesce(subject, ''), coalesce(content, ''), coalesce(deputy_ids, ''), coalesce(route, ''), "
        "coalesce(route_reason, ''), coalesce(notes, '') FROM " +
        visits_from(r, "v") +
        " WHERE _deleted = 0 AND received_at >= ?1 AND received_at < ?2 AND (?3 = '' OR station_id = ?3) "
        "ORDER BY received_at, id");
    st.bind(1, date_lo(r.from)).bind(2, date_hi(r.to)).bind(3, r.station_id);
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) -> Status {
        std::vector<std::string> row = {
            q.text(1), q.text(2), std::to_string(q.i64(3)), codes ? q.text(4) : label_of(l.category, q.text(4), ""),
            q.text(5), q.text(6), names_of(l, q.text(7)),   q.text(8),
            q.text(9), q.text(10)};
        if (visitor_columns) {
            VisitorCells visitors;
            if (wide) {
                auto it = all_visitors.find(q.text(0));
                if (it != all_visitors.end()) visitors = std::move(it->second);
            } else {
                auto& vs = db.cached(
                    "SELECT coalesce(name, ''), coalesce(phone, '') FROM visit_visitors "
                    "WHERE visit_id = ? AND _deleted = 0 ORDER BY id");
                vs.bind(1, q.text(0));
                LIAISON_TRY(vs.for_each_row([&](const db::Stmt& v) { return add_visitor(visitors, v, 0); }));
            }
            row.insert(row.begin() + 1, {visitors.names, visitors.phones});
        }
        t.rows.push_back(std::move(row));
        return {};
    }));
    return t;
}

std::string zh_of(const std::vector<cases::Name>& names, const std::string& code) {
    for (const auto& n : names)
        if (code == n.code) return n.zh;
    return code;
}

// The Chinese name of a coded cell, or the code itself (Cells::Codes).
std::string cell_of(Cells cells, const std::vector<cases::Name>& names, const std::string& code) {
    return cells == Cells::Codes ? code : zh_of(names, code);
}

Result<Table> export_cases(db::Db& db, const Range& r, const Labels& l, Cells cells) {
    Table t;
    t.header = {"编号",     "登记时间", "标题",     "内容",   "类别",     "状态",     "承办单位", "办理期限",
                "办结时间", "办理结果", "反馈方式", "满意度", "测评意见", "来源接待", "代表"};
    t.keys = {"id",
              "created_at",
              "title",
              "case_content",
              "category",
              "status",
              "department",
              "deadline",
              "resolved_at",
              "result",
              "feedback_channel",
              "satisfaction",
              "satisfaction_comment",
              "source_visit",
              "deputies"};
    const bool codes = cells == Cells::Codes;
    auto& st = db.cached(
        "SELECT c.id, coalesce(c.created_at, ''), coalesce(c.title, ''), coalesce(c.content, ''), "
        "coalesce(c.category, ''), coalesce(c.status, ''), coalesce(d.name, c.department_id, ''), "
        "coalesce(c.deadline, ''), coalesce(c.resolved_at, ''), coalesce(c.result, ''), "
        "coalesce(c.feedback_channel, ''), coalesce(c.satisfaction, ''), coalesce(c.satisfaction_comment, ''), "
        "coalesce(cv.subject, ''), coalesce(nullif(c.deputy_ids, ''), cv.deputy_ids, '') "
        "FROM " +
        cases_from(r) +
        " LEFT JOIN visits cv ON cv.id = c.visit_id "
        "LEFT JOIN departments d ON d.id = c.department_id AND d._deleted = 0 "
        "WHERE c._deleted = 0 AND c.created_at >= ?1 AND c.created_at < ?2 AND (?3 = '' OR c.station_id = ?3) "
        "ORDER BY c.created_at, c.id");
    st.bind(1, date_lo(r.from)).bind(2, date_hi(r.to)).bind(3, r.station_id);
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        t.rows.push_back(
            {q.text(0), q.text(1), q.text(2), q.text(3), codes ? q.text(4) : label_of(l.category, q.text(4), ""),
             codes ? q.text(5) : cases::status_zh(q.text(5)), q.text(6), q.text(7), q.text(8), q.text(9),
             cell_of(cells, cases::feedback_channels(), q.text(10)), cell_of(cells, cases::satisfactions(), q.text(11)),
             q.text(12), q.text(13), names_of(l, q.text(14))});
    }));
    return t;
}

Result<Table> export_activities(db::Db& db, const Range& r, const Labels& l) {
    Table t;
    t.header = {"日期", "代表", "类型", "人次", "内容"};
    t.keys = {"date", "deputy", "activity_type", "people", "activity_content"};
    struct Line {
        std::string date, deputy;
        int type;  // order of kActivityTypes, then duty
        std::vector<std::string> row;
    };
    std::vector<Line> lines;
    const auto& types = duty::activity_types();
    auto type_rank = [&](const std::string& code) {
        for (size_t i = 0; i < types.size(); ++i)
            if (code == types[i].code) return static_cast<int>(i);
        return static_cast<int>(types.size());
    };
    {
        auto& st = db.cached(
            "SELECT substr(received_at, 1, 10), coalesce(deputy_ids, ''), coalesce(people, 1), coalesce(subject, '') "
            "FROM " +
            visits_from(r, "v") +
            " WHERE _deleted = 0 AND received_at >= ?1 AND received_at < ?2 "
            "AND (?3 = '' OR station_id = ?3) AND coalesce(deputy_ids, '') <> ''");
        st.bind(1, date_lo(r.from)).bind(2, date_hi(r.to)).bind(3, r.station_id);
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
            for (const auto& id : split_ids(q.text(1))) {
                const std::string name = label_of(l.deputy, id, "");
                lines.push_back(
                    Line{q.text(0), name, 0, {q.text(0), name, types[0].zh, std::to_string(q.i64(2)), q.text(3)}});
            }
        }));
    }
    {
        auto& st = db.cached(
            "SELECT coalesce(date, ''), coalesce(deputy_id, ''), coalesce(type, ''), coalesce(notes, '') "
            "FROM activities WHERE _deleted = 0 AND date >= ?1 AND date < ?2 AND (?3 = '' OR station_id = ?3)");
        st.bind(1, date_lo(r.from)).bind(2, date_hi(r.to)).bind(3, r.station_id);
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
            const std::string name = label_of(l.deputy, q.text(1), "");
            lines.push_back(
                Line{q.text(0), name, type_rank(q.text(2)), {q.text(0), name, zh_of(types, q.text(2)), "", q.text(3)}});
        }));
    }
    {
        auto& st = db.cached(
            "SELECT coalesce(date, ''), coalesce(deputy_ids, ''), coalesce(start_time, '') || '-' || "
            "coalesce(end_time, ''), coalesce(note, '') FROM duty_slots "
            "WHERE _deleted = 0 AND date >= ?1 AND date < ?2 AND (?3 = '' OR station_id = ?3)");
        st.bind(1, date_lo(r.from)).bind(2, date_hi(r.to)).bind(3, r.station_id);
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
            const std::string text = q.text(2) + (q.text(3).empty() ? "" : " " + q.text(3));
            for (const auto& id : split_ids(q.text(1))) {
                const std::string name = label_of(l.deputy, id, "");
                lines.push_back(
                    Line{q.text(0), name, static_cast<int>(types.size()), {q.text(0), name, "值班", "", text}});
            }
        }));
    }
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
        if (a.date != b.date) return a.date < b.date;
        if (a.deputy != b.deputy) return a.deputy < b.deputy;
        return a.type < b.type;
    });
    for (auto& line : lines) t.rows.push_back(std::move(line.row));
    return t;
}

}  // namespace

Result<Table> export_table(db::Db& db, Export what, const Range& r, bool visitor_columns, Cells cells) {
    LIAISON_TRY(check_range(r));
    auto labels = load_labels(db);
    if (!labels) return labels.error();
    switch (what) {
        case Export::Visits: return export_visits(db, r, *labels, visitor_columns, cells);
        case Export::Cases: return export_cases(db, r, *labels, cells);
        case Export::Activities: return export_activities(db, r, *labels);
    }
    return invalid("unknown export");
}

}  // namespace liaison::store::stats
