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

#include "base/result.h"
#include "client/store/store.h"
#include "domain/figures.h"
#include "sync/replica/sqlite.h"

namespace liaison::store::stats {

// The figures themselves are the domain's (domain/figures.h), shared with the server.
using domain::stats::Breakdown;
using domain::stats::By;
using domain::stats::by_code;
using domain::stats::Figures;
using domain::stats::figures;
using domain::stats::figures_json;
using domain::stats::Group;
using domain::stats::kIndexDays;
using domain::stats::narrow;
using domain::stats::parse_by;
using domain::stats::percent;
using domain::stats::permille;
using domain::stats::Range;
using domain::stats::summary_sentence;

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
Result<MonthlyReport> monthly_report(db::Db& db, const std::string& station_id, const std::string& month);

// ---- export tables (the CLI writes them as CSV) ----
// Voter PII appears only in columns that are explicitly about the visitor (来访人, 联系电话 in
// the visits table, and only when `visitor_columns`); no other column is filled from
// visit_visitors. Free text typed by staff (诉求, 备注, case content) is exported as typed.
struct Table {
    std::vector<std::string> header;  // Chinese column names
    // One per column, language independent ("received_at", "channel"): the app names the column
    // and, for the coded ones (channel, route, category, status, feedback_channel, satisfaction),
    // its cells in the display language (docs/app.md, Export).
    std::vector<std::string> keys;
    std::vector<std::vector<std::string>> rows;
};
enum class Export { Visits, Cases, Activities };
Result<Export> parse_export(const std::string& s);  // visits, cases, activities
// What a coded cell holds. Chinese: the CLI's CSV as it always was (category, status, feedback
// channel and satisfaction by their Chinese names; channel and route stay codes, which `liaison
// visit import` reads back). Codes: every coded column as its code, for the app to name.
enum class Cells { Chinese, Codes };
// Visits: the columns `liaison visit import` reads back. Cases: id, dates, status, department,
// result, feedback and rating. Activities: the deputies' record (reception from visits, the
// hand-entered activities and duty slots), by date.
Result<Table> export_table(db::Db& db, Export what, const Range& r, bool visitor_columns = true,
                           Cells cells = Cells::Chinese);

}  // namespace liaison::store::stats
