// The figures stations report (docs/design.md §2), shared by the tablet (client/store/stats.h adds
// the monthly work summary and the CSV export tables) and the central server.
//
// Every function here reads a `db::Db&` holding the station schema (domain/schema.h), so
// the central server runs the same code on its own database: pass `station_id` in the Range to
// count one station, leave it empty for all. On a tablet pass `store.db()`.
//
// Definitions (exact, integer counts):
//   visits      批次: visits received in the range (by received_at)
//   people      人次: sum of the visits' people
//   suggestions 意见建议: cases registered in the range (by created_at)
//   resolved    办结: of those cases, the ones at 已办结 or later (resolved, answered, rated)
//   rated       测评: of those cases, the ones with a satisfaction
//   resolution rate   = resolved / suggestions
//   satisfaction rate = (satisfied + basically) / rated
// Rates count the cases registered in the range (a cohort), so they never exceed 100%; a case
// registered in March and resolved in April raises March's rate once it is resolved.
// By deputy: a visit counts for each of its receiving deputies and a case for each of its
// deputies (its own deputy_ids, else those of its visit), so the groups may sum to more than the
// total. Deleted rows never count.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "sync/replica/sqlite.h"

namespace liaison::domain::stats {

struct Range {
    std::string from, to;    // dates YYYY-MM-DD, inclusive; "" = open
    std::string station_id;  // "" = every station in the database
};

// Whether a date range is narrow enough (both ends given, at most kIndexDays days) that the date
// indexes beat a table scan. A wide range read through an index visits the rows in date order,
// one random page each, far slower than reading the table in order (docs/performance.md,
// "Date ranges").
inline constexpr int kIndexDays = 92;
bool narrow(const Range& r);

// "66.7%", "100%", "0%": rounded half up to one decimal, ".0" dropped; "-" when den is 0.
std::string percent(int64_t num, int64_t den);
// The same rate in tenths of a percent (667 for 2/3); -1 when den is 0.
int64_t permille(int64_t num, int64_t den);

struct Figures {
    int64_t visits = 0, people = 0;
    int64_t suggestions = 0, resolved = 0;
    int64_t rated = 0, satisfied = 0, basically = 0, unsatisfied = 0;
    std::string resolution_rate() const { return percent(resolved, suggestions); }
    std::string satisfaction_rate() const { return percent(satisfied + basically, rated); }
    bool empty() const { return visits == 0 && suggestions == 0; }
    Figures& operator+=(const Figures& o);  // counts add; the rates follow
};
// The sentence stations report for any figures ("本月" is the report's period word), e.g.
// 本月共接待选民5批15人次，收集意见建议3条，推动解决问题2件，办结率66.7%，满意率100%。
std::string summary_sentence(const Figures& f, const std::string& period = "本月");
// The stable JSON shape of a set of figures (`liaison stats --json`, `liaison-central stats`).
nlohmann::json figures_json(const Figures& f);

enum class By { Total, Month, Category, Deputy, Station };
Result<By> parse_by(const std::string& s);  // month, category, deputy, station ("" = total)
const char* by_code(By b);

struct Group {
    std::string key;    // month "YYYY-MM", category code, deputy id or station id ("" = none given)
    std::string label;  // month, category 中文 name, deputy or station name
    Figures figures;
};
struct Breakdown {
    Figures total;
    // Months in order (every month from the first to the last, zeros included, so charts have no
    // gaps); categories in their fixed order; deputies and stations by name. Groups with
    // nothing to count are left out except the months.
    std::vector<Group> groups;
};
Result<Breakdown> figures(db::Db& db, const Range& r, By by = By::Total);

// ---- shared with the tablet's exports (client/store/stats.cpp) ----
// A range the figures accept: dates valid, from not after to.
Status check_range(const Range& r);
// Display names, loaded once per call (a few hundred rows at most).
struct Labels {
    std::map<std::string, std::string> deputy, station, category;
    std::map<std::string, int64_t> category_sort;
};
Result<Labels> load_labels(db::Db& db);
// The name of `key` in `m`, the key itself when it has none, `none` for an empty key.
std::string label_of(const std::map<std::string, std::string>& m, const std::string& key, const char* none);
// The table clause for a range: wide ranges scan the table (see narrow()).
std::string visits_from(const Range& r, const char* alias);
std::string cases_from(const Range& r);

}  // namespace liaison::domain::stats
