// The figures stations report (docs/design.md §2), the monthly work summary and the CSV export tables.
//
// Every function here reads a `db::Db&` holding the station schema (Store::install_schema), so
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
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/store/store.h"
#include "base/result.h"
#include "sync/replica/sqlite.h"

namespace liaison::store::stats {

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
};
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

// Cases registered in the range by status, every status in workflow order (zeros included).
Result<std::vector<std::pair<std::string, int64_t>>> cases_by_status(db::Db& db, const Range& r);

// ---- the monthly work summary (月度工作小结) ----
struct MonthlyReport {
    std::string month;  // YYYY-MM
    std::string station_name;
    Figures total;
    std::vector<Group> by_category, by_deputy;
    std::string title;    // 东湖街道代表联络站2026年3月工作小结
    std::string summary;  // 本月共接待选民5批15人次，收集意见建议3条，推动解决问题2件，办结率66.7%，满意率100%。
    std::vector<std::string> category_lines;  // 城乡建设：接待选民3批9人次，收集意见建议2条，办结1件
    std::string deputy_line;                  // 代表接待：陈明3批9人次、李华2批6人次
    std::string text() const;                 // the whole report, one paragraph a line
};
// The sentence of the summary for any figures ("本月" is the report's period word).
std::string summary_sentence(const Figures& f, const std::string& period = "本月");
Result<MonthlyReport> monthly_report(db::Db& db, const std::string& station_id, const std::string& month);

// ---- export tables (the CLI writes them as CSV) ----
// Voter PII appears only in columns that are explicitly about the visitor (来访人, 联系电话 in
// the visits table, and only when `visitor_columns`); no other column is filled from
// visit_visitors. Free text typed by staff (诉求, 备注, case content) is exported as typed.
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};
enum class Export { Visits, Cases, Activities };
Result<Export> parse_export(const std::string& s);  // visits, cases, activities
// Visits: the columns `liaison visit import` reads back. Cases: id, dates, status, department,
// result, feedback and rating. Activities: the deputies' record (reception from visits, the
// hand-entered activities and duty slots), by date.
Result<Table> export_table(db::Db& db, Export what, const Range& r, bool visitor_columns = true);

}  // namespace liaison::store::stats
