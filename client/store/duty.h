// Duty roster (接待日/值班安排) and the deputies' duty record (履职档案).
//
// Duty slots belong to the station and sync down to its tablets and kiosk. Activities are
// entered by hand for 视察调研 inspection, 执法检查 law_check, 培训 training and 走访 outreach;
// 接待选民 reception is never entered: it is counted from the visits whose receiving deputies
// include the deputy, so the record and the visit ledger cannot disagree.
//
// Writes validate first and write nothing on bad input. Date ranges are inclusive; "" is open.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "client/store/cases.h"
#include "client/store/domain.h"
#include "client/store/store.h"
#include "base/result.h"

namespace liaison::store::duty {

bool valid_time(const std::string& hhmm);  // "HH:MM", 00:00 to 23:59

// Deputies named in typed text: names or ids separated by "," or "、". Unknown or ambiguous
// names are Invalid with a hint; duplicates are dropped.
Result<std::vector<std::string>> deputy_ids_from_names(Store& s, const std::string& names);

// ---- duty slots ----
// date YYYY-MM-DD, start < end ("HH:MM"), at least one known deputy. Returns the id.
Result<std::string> add_slot(Store& s, const DutySlot& slot);
Status remove_slot(Store& s, const std::string& id);
// Oldest first (date, start).
Result<std::vector<DutySlot>> slots(Store& s, const std::string& from = "", const std::string& to = "");

// ---- who is on duty now (the kiosk's deputy step) ----
struct OnDuty {
    std::string deputy_id, start, end;  // the slot the deputy is on duty in ("09:00", "12:00")
    std::string slot_id;
};
// The deputies of the slots on `date` running at `hhmm` (start <= hhmm < end: a slot ending at
// 12:00 is over at 12:00), each once (their first slot), in slot order. Pure.
std::vector<OnDuty> on_duty(const std::vector<DutySlot>& slots, const std::string& date, const std::string& hhmm);
// The same from the store at `now_ms` (unix ms, read as local time): pass the store's clock
// (Store::now), never the OS's, so tests and screenshots can fix the time.
Result<std::vector<OnDuty>> on_duty(Store& s, int64_t now_ms);
// The day's duty (the sign-in view, docs/app.md "Sign-in"): the deputies of the slots on `date`
// not over at `hhmm` (running, or still to come: a deputy may arrive early), each once (their
// first such slot), in slot order. Pure.
std::vector<OnDuty> on_duty_today(const std::vector<DutySlot>& slots, const std::string& date, const std::string& hhmm);
Result<std::vector<OnDuty>> on_duty_today(Store& s, int64_t now_ms);

// ---- duty held (值班签到): started by the deputy's sign-in, ended by 退出登录 ----
struct Shift {
    std::string id, deputy_id, slot_id;
    std::string started_at, ended_at;  // "YYYY-MM-DD HH:MM" on the store's clock; ended_at "" while on duty
};
// The deputy's shift in `slot_id`, from the store's clock. A shift of the deputy started today and
// not ended is kept instead (signing in again after the idle lock). Returns the shift's id.
Result<std::string> start_shift(Store& s, const std::string& deputy_id, const std::string& slot_id);
// Ends the deputy's shifts started today and not ended, at the store's clock; none: nothing.
Status end_shifts(Store& s, const std::string& deputy_id);
// Shifts started on `date` and not ended, oldest first.
Result<std::vector<Shift>> open_shifts(Store& s, const std::string& date);

// ---- activities ----
const std::vector<cases::Name>& activity_types();               // kActivityTypes with 中文/English names
Result<std::string> parse_activity_type(const std::string& s);  // code, Chinese or English name
// deputy_id, type (any name of the four hand-entered types), date; notes optional.
Result<std::string> add_activity(Store& s, const Activity& a);
Status remove_activity(Store& s, const std::string& id);
// Newest first; deputy_id "" = every deputy.
Result<std::vector<Activity>> activities(Store& s, const std::string& deputy_id = "", const std::string& from = "",
                                         const std::string& to = "");

// ---- the deputy's record over a period ----
struct RecordEntry {
    std::string date;    // YYYY-MM-DD
    std::string type;    // an activity type code, "duty" for a duty slot, "shift" for duty held
    std::string text;    // visit subject, activity notes, "HH:MM-HH:MM" of the slot or shift ("HH:MM-" open)
    std::string ref_id;  // the visit, activity or slot
    int64_t people = 0;  // 人次, for reception entries
};
struct DeputyRecord {
    Deputy deputy;
    std::string from, to;
    int64_t visits = 0;                      // 接待选民 批次
    int64_t people = 0;                      // 接待选民 人次
    int64_t duty_slots = 0;                  // 值班 times on the roster
    int64_t shifts = 0;                      // 值班签到: duty held (signed in on a tablet)
    std::map<std::string, int64_t> by_type;  // every kActivityTypes code; reception = visits
    std::vector<RecordEntry> entries;        // newest first
    int64_t activity_count() const;          // sum of by_type
};
// Works on any database with the station schema (the central server's too).
Result<DeputyRecord> deputy_record(db::Db& db, const std::string& deputy_id, const std::string& from = "",
                                   const std::string& to = "");
inline Result<DeputyRecord> deputy_record(Store& s, const std::string& deputy_id, const std::string& from = "",
                                          const std::string& to = "") {
    return deputy_record(s.db(), deputy_id, from, to);
}

}  // namespace liaison::store::duty
