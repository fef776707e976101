// Retention of voters' personal data (docs/retention.md): the period the centre sets, which visits
// are due, and the masks that replace their visitors' names and phone numbers. The same rule on
// the tablet and on the server; the masking itself is the replica's (Replica::scrub_field).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/replica/replica.h"
#include "sync/replica/sqlite.h"

namespace liaison::domain::retention {

inline constexpr int kMinMonths = 6;
inline constexpr int kMaxMonths = 120;
// The centre_settings row that holds the period in months (0 = off); reference data, scope "*".
inline constexpr const char* kSettingsTable = "centre_settings";
inline constexpr const char* kPeriodRow = "retention_months";
// The author of the centre's masking writes and of the purge records.
inline constexpr const char* kAuthor = "retention";

// "N" (kMinMonths..kMaxMonths), or "0" / "off" to switch retention off.
Result<int> parse_months(const std::string& text);

// 刘䶮测 → 刘**: the first character (code point) and two stars; "" stays "".
std::string mask_name(const std::string& name);
// 13912345678 → 139****5678; shorter numbers keep less (docs/retention.md); "" stays "".
std::string mask_phone(const std::string& phone);
// The mask of one stored value (canonical JSON text) of a masked column: strings are masked,
// anything else (null, numbers) is kept.
std::string mask_json(const std::string& column, const std::string& value_json);

// The visits received before this "YYYY-MM-DD HH:MM" are past a period of `months` at `now`
// (a local "YYYY-MM-DD HH:MM"); the day is clamped to the shorter month (08-31 - 6 → 02-28).
std::string cutoff(const std::string& now, int months);

// The period the centre set (0 when unset or off).
Result<int> period(db::Db& db);

// The columns masked in each visitor row.
const std::vector<std::string>& masked_columns();

struct DueVisitor {
    std::string visit_id, visitor_id;
};
// Visitor rows (deleted ones too) of visits received before `cutoff` whose live cases are all
// rated (已测评), or that never had one, and whose name or phone is still held unmasked
// anywhere: in the row, the change log or a conflict row.
Result<std::vector<DueVisitor>> due_visitors(db::Db& db, const std::string& cutoff);

struct RunStats {
    int64_t visits = 0;    // visits whose visitors were purged in this run
    int64_t visitors = 0;  // visitor rows
    int64_t values = 0;    // stored values rewritten (rows, log, conflicts)
};
// Scrubs the history of the due visitors (rows, log, conflicts, search index through the
// replica's hooks) and records one purge per visit. The caller holds the transaction and has
// already written the masks as changes where it must (the centre does).
Result<RunStats> scrub(sync::Replica& replica, const std::vector<DueVisitor>& due, int64_t now_ms);

}  // namespace liaison::domain::retention
