// The case workflow (意见建议) on the tablet: 登记 → 交办 → 办理中 → 已办结 → 已反馈 → 已测评
// (the centre adds 已答复 and its 审核 between 办理中 and 已办结: docs/console.md).
//
// A case is a row of `cases`; every step also appends one row to `case_events` (the timeline).
// Events are separate rows that are written once and never edited, so two devices adding steps
// to the same case never conflict over the timeline. The status itself is a field: when two
// devices move the same case concurrently the replica keeps one value and a conflict for review,
// like any other field (docs/design.md §3, rule 5).
//
// Every function validates first and writes nothing on bad input, an unknown id or a refused
// transition; each write is one transaction with its change records. Times are local
// "YYYY-MM-DD HH:MM"; an empty `at` means now. A date alone ("YYYY-MM-DD") is accepted for
// records entered after the fact and stored as "YYYY-MM-DD 00:00" (or as the time of the case's
// latest step when that was on the same day, so the timeline stays in order).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/dates.h"
#include "base/result.h"
#include "client/store/domain.h"
#include "client/store/store.h"
#include "domain/case_flow.h"

namespace liaison::store::cases {

// The names, the transition rules and the deadline colours are the domain's (domain/case_flow.h),
// shared with the server's console.
using domain::cases::Action;
using domain::cases::action_code;
using domain::cases::action_target;
using domain::cases::allowed_actions;
using domain::cases::check;
using domain::cases::feedback_channels;
using domain::cases::is_resolved;
using domain::cases::Name;
using domain::cases::name_zh;
using domain::cases::parse_feedback_channel;
using domain::cases::parse_satisfaction;
using domain::cases::parse_status;
using domain::cases::Refusal;
using domain::cases::satisfactions;
using domain::cases::status_rank;
using domain::cases::status_zh;
using domain::cases::statuses;

// ---- writes ----
struct NewCase {
    std::string visit_id;                 // "" for a directly entered case
    std::string title;                    // required
    std::string content;                  // default: the visit's content
    std::string category;                 // code or name; default: the visit's, else "other"
    std::vector<std::string> deputy_ids;  // default: none (the visit's deputies count for it)
    std::string at;                       // registration time; "" = now
    std::string note;                     // on the "created" event
};
Result<std::string> add(Store& s, const NewCase& c);

// 交办: department by id or name (it must exist: see find_department), deadline a date.
// Allowed while not yet resolved; on an assigned or in-progress case it re-assigns (kind
// "reassigned", status unchanged), e.g. to extend the deadline.
Status assign(Store& s, const std::string& id, const std::string& department, const std::string& deadline,
              const std::string& note = "", const std::string& at = "");
// 办理中: a progress note; the first one moves an assigned case to in_progress.
Status progress(Store& s, const std::string& id, const std::string& note, const std::string& at = "");
// 已办结 with the result (required).
Status close(Store& s, const std::string& id, const std::string& result, const std::string& at = "");
// 已反馈: the answer was given to the voter; channel "" or one of kFeedbackChannels (any name).
Status feedback(Store& s, const std::string& id, const std::string& channel, const std::string& note = "",
                const std::string& at = "");
// 已测评: the voter's satisfaction (any name of kSatisfactions) and comment.
Status rate(Store& s, const std::string& id, const std::string& satisfaction, const std::string& comment = "",
            const std::string& at = "");

// Staff were shown the voter's full phone number for 电话反馈 (issue 13 item 15): a timeline event
// "phone_viewed" by this author, now, carrying no number. Any status.
Status phone_shown(Store& s, const std::string& id);

// ---- reads ----
// The case with its timeline (oldest first).
Result<Case> get(Store& s, const std::string& id);

using domain::cases::deadline_code;
using domain::cases::deadline_state;
using domain::cases::DeadlineState;
using domain::cases::kDueSoonDays;

struct CaseRow {
    std::string id, title, category, status, department_id, department_name, deadline, created_at, visit_id;
    std::string satisfaction, resolved_at;
    DeadlineState deadline_state = DeadlineState::None;
};
struct CaseQuery {
    std::string status;  // code or name; "" = all
    bool overdue_only = false;
    std::string visit_id;    // cases raised by one visit
    std::string category;    // code or name
    std::string department;  // the assigned department, by id or exact name (find_department)
    std::string text;        // a substring of the title or the content (ASCII letters in any case)
    std::string today;       // "" = today's local date
};
// Overdue first, then due soon, on time, no deadline, done; then by deadline, newest first.
Result<std::vector<CaseRow>> list(Store& s, const CaseQuery& q = {});

// The case board: one column per status in workflow order, each sorted as list(); the query's
// status is ignored (every column is there), its other filters apply.
struct BoardColumn {
    std::string status;
    std::vector<CaseRow> cases;
};
Result<std::vector<BoardColumn>> board(Store& s, const std::string& today = "");
Result<std::vector<BoardColumn>> board(Store& s, const CaseQuery& q);

// A department by id or exact name; unknown → Invalid with a hint to add it.
Result<Department> find_department(Store& s, const std::string& id_or_name);

// ---- dates (base/dates.h, shared by duty and the figures) ----
using dates::date_of_day;
using dates::day_number;
std::string today(Store& s);  // the store clock's local date

}  // namespace liaison::store::cases
