// The case workflow (意见建议), shared by the tablet's store and the central server's console:
// 登记 → 交办 → 办理中 → (已答复 → 审核) → 已办结 → 已反馈 → 已测评 (docs/cases.md, docs/console.md).
//
// Pure rules over status codes: which step may follow which, the names shown for each code and
// the deadline colours. The writes live in client/store/cases (the tablet) and in the server's
// console (the centre); both ask these functions first, so the two never disagree.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace liaison::domain::cases {

// ---- names: codes are stored, the UI shows zh/en ----
struct Name {
    const char* code;
    const char* zh;
    const char* en;
};
const std::vector<Name>& statuses();           // in workflow order
const std::vector<Name>& satisfactions();      // satisfied 满意, basically 基本满意, unsatisfied 不满意
const std::vector<Name>& feedback_channels();  // in_person 当面, written 书面, phone 电话
// Accepts a code, the Chinese or the English name; the error lists the choices.
Result<std::string> parse_status(const std::string& s);
Result<std::string> parse_satisfaction(const std::string& s);
Result<std::string> parse_feedback_channel(const std::string& s);
std::string status_zh(const std::string& code);                                // the code itself when unknown
std::string name_zh(const std::vector<Name>& names, const std::string& code);  // likewise
int status_rank(const std::string& code);                                      // 0 registered ... 6 rated, -1 unknown
bool is_resolved(const std::string& status);                                   // 已办结 or later

// ---- the tablet's steps ----
enum class Action { Assign, Progress, Close, Feedback, Rate };
const char* action_code(Action a);    // assign, progress, close, feedback, rate
const char* action_target(Action a);  // the status it leads to

struct Refusal {
    Action action;
    std::string from;   // the case's status
    std::string to;     // the status the action leads to
    std::string needs;  // the status the case must reach first; "" when it is already past `to`
    // One line naming both statuses in Chinese and English, e.g.
    // 不能从「已办结」转为「已测评」：须先「已反馈」 (cannot go from resolved to rated before answered)
    std::string message() const;
};
// nullopt when `action` is allowed from `status`.
std::optional<Refusal> check(const std::string& status, Action action);
std::vector<Action> allowed_actions(const std::string& status);

// ---- the centre's steps (the web console) ----
// Office: Assign (交办/改派), Extend (延期), Urge (催办), Approve (审核通过), Return (退回).
// Department: Accept (签收), Progress (办理进展), Reply (答复), ExtensionRequest (申请延期).
enum class CentreStep { Assign, Extend, Urge, Approve, Return, Accept, Progress, Reply, ExtensionRequest };
const char* centre_step_code(CentreStep s);  // assign, extend, urge, approve, return, accept, ...
std::optional<CentreStep> parse_centre_step(const std::string& code);
const std::vector<CentreStep>& centre_steps();
// The status `step` leads to from `status` (the same status for a step that only adds an event);
// nullopt when the step is refused from that status.
std::optional<std::string> centre_target(const std::string& status, CentreStep step);

// ---- deadlines (display colours) ----
// done (resolved or later), none (no deadline), on_time, due_soon (within kDueSoonDays days),
// overdue (deadline passed and not yet resolved).
enum class DeadlineState { Done, None, OnTime, DueSoon, Overdue };
inline constexpr int kDueSoonDays = 3;
const char* deadline_code(DeadlineState d);
DeadlineState deadline_state(const std::string& status, const std::string& deadline, const std::string& today);

}  // namespace liaison::domain::cases
