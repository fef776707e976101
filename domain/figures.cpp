// The station figures (docs/design.md §2), computed over any database holding the domain schema:
// the tablet's store and the central server run this same code. Definitions in domain/figures.h.
#include "domain/figures.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "base/dates.h"
#include "domain/rules.h"

namespace liaison::domain::stats {

using dates::date_hi;
using dates::date_lo;

Status check_range(const Range& r) {
    if (!r.from.empty() && !domain::valid_date(r.from)) return invalid("--from must be YYYY-MM-DD");
    if (!r.to.empty() && !domain::valid_date(r.to)) return invalid("--to must be YYYY-MM-DD");
    if (!r.from.empty() && !r.to.empty() && r.from > r.to) return invalid("--from is after --to");
    if (!domain::valid_utf8(r.station_id)) return invalid("text is not valid UTF-8");
    return {};
}

Result<Labels> load_labels(db::Db& db) {
    Labels l;
    auto fill = [&](const char* sql, auto&& put) -> Status { return db.cached(sql).for_each_row(put); };
    LIAISON_TRY(fill("SELECT id, coalesce(name, '') FROM deputies WHERE _deleted = 0",
                     [&](const db::Stmt& st) { l.deputy[st.text(0)] = st.text(1); }));
    LIAISON_TRY(fill("SELECT id, coalesce(name, '') FROM stations WHERE _deleted = 0",
                     [&](const db::Stmt& st) { l.station[st.text(0)] = st.text(1); }));
    LIAISON_TRY(fill("SELECT id, coalesce(name_zh, id), coalesce(sort, 0) FROM categories WHERE _deleted = 0",
                     [&](const db::Stmt& st) {
                         l.category[st.text(0)] = st.text(1);
                         l.category_sort[st.text(0)] = st.i64(2);
                     }));
    return l;
}

// The table clause for a range: wide ranges scan the table (see narrow()).
std::string visits_from(const Range& r, const char* alias) {
    return std::string("visits ") + alias + (narrow(r) ? "" : " NOT INDEXED");
}
std::string cases_from(const Range& r) { return narrow(r) ? "cases c" : "cases c NOT INDEXED"; }

std::string label_of(const std::map<std::string, std::string>& m, const std::string& key, const char* none) {
    if (key.empty()) return none;
    auto it = m.find(key);
    return it == m.end() || it->second.empty() ? key : it->second;
}

namespace {

std::string visit_key(By by) {
    switch (by) {
        case By::Total: return "''";
        case By::Month: return "substr(v.received_at, 1, 7)";
        case By::Category: return "coalesce(v.category, '')";
        case By::Deputy: return "coalesce(v.deputy_ids, '')";
        case By::Station: return "coalesce(v.station_id, '')";
    }
    return "''";
}

std::string case_key(By by) {
    switch (by) {
        case By::Total: return "''";
        case By::Month: return "substr(c.created_at, 1, 7)";
        case By::Category: return "coalesce(c.category, '')";
        // A case's own deputies, else the deputies of the visit that raised it.
        case By::Deputy: return "coalesce(nullif(c.deputy_ids, ''), cv.deputy_ids, '')";
        case By::Station: return "coalesce(c.station_id, '')";
    }
    return "''";
}

// Adds the range's figures to `acc` under each group key.
Status collect(db::Db& db, const Range& r, By by, std::map<std::string, Figures>& acc) {
    auto keys = [&](const std::string& k) {
        if (by != By::Deputy) return std::vector<std::string>{k};
        auto ids = domain::split_ids(k);
        if (ids.empty()) ids.push_back("");
        return ids;
    };
    {
        auto& st =
            db.cached("SELECT " + visit_key(by) + ", count(*), sum(coalesce(v.people, 1)) FROM " + visits_from(r, "v") +
                      " WHERE v._deleted = 0 AND v.received_at >= ?1 AND v.received_at < ?2 "
                      "AND (?3 = '' OR v.station_id = ?3) GROUP BY 1");
        st.bind(1, date_lo(r.from)).bind(2, date_hi(r.to)).bind(3, r.station_id);
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
            for (const auto& k : keys(q.text(0))) {
                acc[k].visits += q.i64(1);
                acc[k].people += q.i64(2);
            }
        }));
    }
    {
        auto& st = db.cached(
            "SELECT " + case_key(by) +
            ", count(*), sum(c.status IN ('resolved', 'answered', 'rated')), "
            "sum(c.satisfaction IN ('satisfied', 'basically', 'unsatisfied')), sum(c.satisfaction = 'satisfied'), "
            "sum(c.satisfaction = 'basically'), sum(c.satisfaction = 'unsatisfied') FROM " +
            cases_from(r) +
            // Only the deputies need the visit that raised the case.
            (by == By::Deputy ? " LEFT JOIN visits cv ON cv.id = c.visit_id" : "") +
            " WHERE c._deleted = 0 AND c.created_at >= ?1 AND c.created_at < ?2 "
            "AND (?3 = '' OR c.station_id = ?3) GROUP BY 1");
        st.bind(1, date_lo(r.from)).bind(2, date_hi(r.to)).bind(3, r.station_id);
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
            for (const auto& k : keys(q.text(0))) {
                auto& f = acc[k];
                f.suggestions += q.i64(1);
                f.resolved += q.i64(2);
                f.rated += q.i64(3);
                f.satisfied += q.i64(4);
                f.basically += q.i64(5);
                f.unsatisfied += q.i64(6);
            }
        }));
    }
    return {};
}

}  // namespace

bool narrow(const Range& r) {
    if (r.from.empty() || r.to.empty() || !domain::valid_date(r.from) || !domain::valid_date(r.to)) return false;
    return dates::day_number(r.to) - dates::day_number(r.from) <= kIndexDays;
}

int64_t permille(int64_t num, int64_t den) {
    if (den <= 0) return -1;
    return (num * 2000 + den) / (2 * den);  // round half up, in integers: exact for any counts
}

std::string percent(int64_t num, int64_t den) {
    const int64_t p = permille(num, den);
    if (p < 0) return "-";
    std::string s = std::to_string(p / 10);
    if (p % 10 != 0) s += "." + std::to_string(p % 10);
    return s + "%";
}

Result<By> parse_by(const std::string& s) {
    if (s.empty() || s == "total") return By::Total;
    if (s == "month" || s == "月") return By::Month;
    if (s == "category" || s == "类别") return By::Category;
    if (s == "deputy" || s == "代表") return By::Deputy;
    if (s == "station" || s == "联络站") return By::Station;
    return invalid("--by must be month, category, deputy or station");
}

const char* by_code(By b) {
    switch (b) {
        case By::Total: return "total";
        case By::Month: return "month";
        case By::Category: return "category";
        case By::Deputy: return "deputy";
        case By::Station: return "station";
    }
    return "total";
}

Result<Breakdown> figures(db::Db& db, const Range& r, By by) {
    LIAISON_TRY(check_range(r));
    Breakdown out;
    {
        std::map<std::string, Figures> total;
        LIAISON_TRY(collect(db, r, By::Total, total));
        out.total = total[""];
    }
    if (by == By::Total) return out;
    std::map<std::string, Figures> acc;
    LIAISON_TRY(collect(db, r, by, acc));
    auto labels = load_labels(db);
    if (!labels) return labels.error();
    if (by == By::Month) {
        std::string first = r.from.empty() ? "" : r.from.substr(0, 7);
        std::string last = r.to.empty() ? "" : r.to.substr(0, 7);
        for (const auto& [k, f] : acc) {
            if (k.size() != 7) continue;
            if (first.empty() || (r.from.empty() && k < first)) first = k;
            if (last.empty() || (r.to.empty() && k > last)) last = k;
        }
        if (first.empty() || last.empty()) return out;
        for (std::string m = first; m <= last; m = dates::next_month(m)) out.groups.push_back(Group{m, m, acc[m]});
        return out;
    }
    for (const auto& [k, f] : acc) {
        if (f.empty()) continue;
        Group g{k, "", f};
        if (by == By::Category)
            g.label = label_of(labels->category, k, "未分类");
        else if (by == By::Deputy)
            g.label = label_of(labels->deputy, k, "未指定代表");
        else
            g.label = label_of(labels->station, k, "未指定联络站");
        out.groups.push_back(std::move(g));
    }
    const auto& sort = labels->category_sort;
    std::stable_sort(out.groups.begin(), out.groups.end(), [&](const Group& a, const Group& b) {
        if (a.key.empty() != b.key.empty()) return b.key.empty();  // "none given" last
        if (by == By::Category) {
            const int64_t sa = sort.count(a.key) ? sort.at(a.key) : 1000,
                          sb = sort.count(b.key) ? sort.at(b.key) : 1000;
            if (sa != sb) return sa < sb;
            return a.key < b.key;
        }
        if (a.label != b.label) return a.label < b.label;
        return a.key < b.key;
    });
    return out;
}

nlohmann::json figures_json(const Figures& f) {
    return {{"visits", f.visits},
            {"people", f.people},
            {"suggestions", f.suggestions},
            {"resolved", f.resolved},
            {"rated", f.rated},
            {"satisfied", f.satisfied},
            {"basically", f.basically},
            {"unsatisfied", f.unsatisfied},
            {"resolution_rate", f.resolution_rate()},
            {"satisfaction_rate", f.satisfaction_rate()},
            {"resolution_permille", permille(f.resolved, f.suggestions)},
            {"satisfaction_permille", permille(f.satisfied + f.basically, f.rated)}};
}

Figures& Figures::operator+=(const Figures& o) {
    visits += o.visits;
    people += o.people;
    suggestions += o.suggestions;
    resolved += o.resolved;
    rated += o.rated;
    satisfied += o.satisfied;
    basically += o.basically;
    unsatisfied += o.unsatisfied;
    return *this;
}

std::string summary_sentence(const Figures& f, const std::string& period) {
    std::string s = period + "共接待选民" + std::to_string(f.visits) + "批" + std::to_string(f.people) +
                    "人次，收集意见建议" + std::to_string(f.suggestions) + "条，推动解决问题" +
                    std::to_string(f.resolved) + "件";
    // A rate over nothing is not reported (stations write no "办结率0%" for a month without cases).
    if (f.suggestions > 0) s += "，办结率" + f.resolution_rate();
    if (f.rated > 0) s += "，满意率" + f.satisfaction_rate();
    return s + "。";
}

}  // namespace liaison::domain::stats
