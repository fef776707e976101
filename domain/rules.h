// The per-field rules of the domain (docs/domain.md): for every replicated (table, column) what a
// value may be, its kind and its bounds. One table, used by the tablet's store before it writes
// (so its outbox never holds a change the server would refuse) and by the central server for
// every pushed change. Rules that need the whole record or other rows (a subject is required, a
// deputy exists) stay with the store.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sync/core/change.h"
#include "base/result.h"

namespace liaison::domain {

// ---- the enumerations (stable codes; the UI translates them) ----
// Channels of a visit and its handling routes: 当场答复 / 转街道乡镇办理 / 上报·形成代表建议 / 依法引导.
inline const char* const kChannels[] = {"station", "reception_day", "outreach", "phone", "online"};
inline const char* const kRoutes[] = {"answered", "township", "escalated", "legal_channel"};
// 登记 → 交办 → 办理中 → 已办结 → 已反馈 → 已测评
inline const char* const kCaseStatuses[] = {"registered", "assigned", "in_progress", "replied",
                                            "resolved",   "answered", "rated"};
inline const char* const kSatisfactions[] = {"satisfied", "basically", "unsatisfied"};
inline const char* const kFeedbackChannels[] = {"in_person", "written", "phone"};
// 接待选民 / 视察调研 / 执法检查 / 培训 / 走访. "reception" is counted from visits, not entered.
inline const char* const kActivityTypes[] = {"reception", "inspection", "law_check", "training", "outreach"};
inline const char* const kDeputyLevels[] = {"全国", "省", "市", "县区", "乡镇"};
inline const char* const kTicketStatuses[] = {"waiting", "called", "served", "left"};

// ---- the limits of texts (characters are Unicode code points of the UTF-8 text) ----
inline constexpr size_t kShortTextChars = 200;   // names, subject, title, topic, address
inline constexpr size_t kLongTextChars = 10000;  // content, notes, result, answers
inline constexpr size_t kPhoneChars = 40;
inline constexpr size_t kIdNumberChars = 40;
inline constexpr size_t kIdBytes = 64;        // a row id, device id or category code
inline constexpr size_t kMaxListedIds = 100;  // ids in one id list (deputies of a visit)
inline constexpr size_t kMaxAuthorBytes = sync::kMaxAuthorBytes;
// People (人次) of one visit or one queue ticket: a whole village may come as one group, not more.
inline constexpr int64_t kMaxPeople = 1000;
inline constexpr size_t kMaxSupersedes = sync::kMaxSupersedes;

enum class Kind {
    Text,        // string of at most max_chars characters
    Integer,     // whole number in [min, max]
    Enum,        // one of `values`, or "" (not set)
    Date,        // "YYYY-MM-DD" or ""
    DateTime,    // "YYYY-MM-DD HH:MM" or ""
    Time,        // "HH:MM" or ""
    Id,          // printable ASCII without commas, at most kIdBytes bytes, or ""
    IdList,      // ids joined by commas, at most kMaxListedIds of them
    StationRef,  // the id of a station: a device may only name its own (see station_columns)
};

struct FieldRule {
    const char* table;
    const char* column;
    Kind kind;
    size_t max_chars = 0;                 // Text
    int64_t min = 0, max = 0;             // Integer
    const char* const* values = nullptr;  // Enum
    size_t n_values = 0;
};

// Every rule, one per replicated column of every domain table (domain/schema.cpp).
const std::vector<FieldRule>& field_rules();
const FieldRule* rule_for(std::string_view table, std::string_view column);

// The value (JSON text of a scalar, as in FieldChange::value) of table.column obeys its rule.
// null is always allowed (a field not set); the tombstone column takes 0 or 1. The message is
// one line naming the field and the limit, never the value (it may be a voter's personal data).
Status check_field(std::string_view table, std::string_view column, const std::string& value_json);
// The same for a text typed by a person, before it is written: the CLI and the CSV import say
// which field is too long in the person's terms.
Status check_text(std::string_view table, std::string_view column, const std::string& text);
// check_field plus the change's own bounds (author, supersedes).
Status check_change(const sync::FieldChange& c);

struct ColumnRef {
    const char* table;
    const char* column;
};
// The columns that name a station (Kind::StationRef).
const std::vector<ColumnRef>& station_columns();
// A change from a device of `station_id` that names a station must name that one.
Status check_claims(const std::string& station_id, const sync::FieldChange& c);

// ---- value checks shared by the store and the rules ----
bool valid_utf8(std::string_view s);
size_t utf8_chars(std::string_view s);      // code points of valid UTF-8
bool valid_date(const std::string& s);      // YYYY-MM-DD, a real day
bool valid_datetime(const std::string& s);  // YYYY-MM-DD HH:MM
bool valid_time(const std::string& s);      // HH:MM
bool valid_phone(const std::string& s);     // mainland mobile or landline, spaces and dashes allowed

// Id lists in one replicated field ("id1,id2"): a visit's deputies, a duty slot's deputies.
std::string join_ids(const std::vector<std::string>& ids);
std::vector<std::string> split_ids(const std::string& s);

}  // namespace liaison::domain
