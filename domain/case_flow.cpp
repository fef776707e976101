#include "domain/case_flow.h"

#include <cctype>

#include "base/dates.h"
#include "domain/rules.h"

namespace liaison::domain::cases {

// ---------------------------------------------------------------- names

const std::vector<Name>& statuses() {
    static const std::vector<Name> v = {{"registered", "登记", "registered"},
                                        {"assigned", "交办", "assigned"},
                                        {"in_progress", "办理中", "in progress"},
                                        {"replied", "已答复", "replied"},
                                        {"resolved", "已办结", "resolved"},
                                        {"answered", "已反馈", "answered"},
                                        {"rated", "已测评", "rated"}};
    return v;
}

const std::vector<Name>& satisfactions() {
    static const std::vector<Name> v = {{"satisfied", "满意", "satisfied"},
                                        {"basically", "基本满意", "basically satisfied"},
                                        {"unsatisfied", "不满意", "unsatisfied"}};
    return v;
}

const std::vector<Name>& feedback_channels() {
    static const std::vector<Name> v = {
        {"in_person", "当面", "in person"}, {"written", "书面", "written"}, {"phone", "电话", "phone"}};
    return v;
}

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

Result<std::string> parse_name(const std::vector<Name>& names, const std::string& s, const char* what) {
    const std::string l = lower(s);
    for (const auto& n : names)
        if (l == n.code || s == n.zh || l == n.en) return std::string(n.code);
    std::string choices;
    for (const auto& n : names) choices += std::string(choices.empty() ? "" : ", ") + n.zh + " " + n.code;
    return invalid("unknown " + std::string(what) + " '" + s + "' (" + choices + ")");
}

}  // namespace

Result<std::string> parse_status(const std::string& s) {
    if (s == "已交办") return std::string("assigned");
    if (s == "已登记") return std::string("registered");
    return parse_name(statuses(), s, "status");
}
Result<std::string> parse_satisfaction(const std::string& s) { return parse_name(satisfactions(), s, "satisfaction"); }
Result<std::string> parse_feedback_channel(const std::string& s) {
    return parse_name(feedback_channels(), s, "feedback channel");
}
std::string name_zh(const std::vector<Name>& names, const std::string& code) {
    for (const auto& n : names)
        if (code == n.code) return n.zh;
    return code;
}

std::string status_zh(const std::string& code) { return name_zh(statuses(), code); }

int status_rank(const std::string& code) {
    const auto& all = statuses();
    for (size_t i = 0; i < all.size(); ++i)
        if (code == all[i].code) return static_cast<int>(i);
    return -1;
}

bool is_resolved(const std::string& status) { return status_rank(status) >= status_rank("resolved"); }

// ---------------------------------------------------------------- transition rules

const char* action_code(Action a) {
    switch (a) {
        case Action::Assign: return "assign";
        case Action::Progress: return "progress";
        case Action::Close: return "close";
        case Action::Feedback: return "feedback";
        case Action::Rate: return "rate";
    }
    return "";
}

const char* action_target(Action a) {
    switch (a) {
        case Action::Assign: return "assigned";
        case Action::Progress: return "in_progress";
        case Action::Close: return "resolved";
        case Action::Feedback: return "answered";
        case Action::Rate: return "rated";
    }
    return "";
}

std::optional<Refusal> check(const std::string& status, Action action) {
    const int from = status_rank(status);
    const std::string to = action_target(action);
    Refusal no{action, status, to, ""};
    if (from < 0) return no;  // a value no rule knows (e.g. from a newer app): touch nothing
    const int rr = status_rank("resolved"), ra = status_rank("assigned");
    switch (action) {
        case Action::Assign:  // 交办, or re-交办 before 办结
            if (from < rr) return std::nullopt;
            return no;
        case Action::Progress:
        case Action::Close:  // both need a department (交办) and end at 办结
            if (from >= ra && from < rr) return std::nullopt;
            if (from < ra) no.needs = "assigned";
            return no;
        case Action::Feedback:  // no 反馈 before 办结
        case Action::Rate: {    // no 测评 before 反馈
            const int target = status_rank(to);
            if (from == target - 1) return std::nullopt;
            if (from < target - 1) no.needs = statuses()[static_cast<size_t>(target - 1)].code;
            return no;
        }
    }
    return no;
}

std::vector<Action> allowed_actions(const std::string& status) {
    std::vector<Action> out;
    for (Action a : {Action::Assign, Action::Progress, Action::Close, Action::Feedback, Action::Rate})
        if (!check(status, a)) out.push_back(a);
    return out;
}

std::string Refusal::message() const {
    const std::string zh_from = status_zh(from), zh_to = status_zh(to);
    if (!needs.empty())
        return "不能从「" + zh_from + "」转为「" + zh_to + "」：须先「" + status_zh(needs) + "」 (cannot go from " +
               from + " to " + to + " before " + needs + ")";
    if (status_rank(from) < 0) return "不能从「" + zh_from + "」转为「" + zh_to + "」 (unknown status " + from + ")";
    return "不能从「" + zh_from + "」转为「" + zh_to + "」：案件已过此步 (cannot go from " + from + " back to " + to +
           ")";
}

// ---------------------------------------------------------------- deadlines

const char* deadline_code(DeadlineState d) {
    switch (d) {
        case DeadlineState::Done: return "done";
        case DeadlineState::None: return "none";
        case DeadlineState::OnTime: return "on_time";
        case DeadlineState::DueSoon: return "due_soon";
        case DeadlineState::Overdue: return "overdue";
    }
    return "none";
}

DeadlineState deadline_state(const std::string& status, const std::string& deadline, const std::string& today) {
    if (is_resolved(status)) return DeadlineState::Done;
    if (!valid_date(deadline) || !valid_date(today)) return DeadlineState::None;
    const int64_t left = dates::day_number(deadline) - dates::day_number(today);
    if (left < 0) return DeadlineState::Overdue;
    if (left <= kDueSoonDays) return DeadlineState::DueSoon;
    return DeadlineState::OnTime;
}

// ---------------------------------------------------------------- the centre's steps

namespace {
struct StepRule {
    CentreStep step;
    const char* code;
    std::vector<const char*> from;
    const char* to;  // nullptr: the status stays
};
const std::vector<StepRule>& step_rules() {
    static const std::vector<StepRule> v = {
        {CentreStep::Assign, "assign", {"registered", "assigned", "in_progress", "replied"}, "assigned"},
        {CentreStep::Extend, "extend", {"assigned", "in_progress", "replied"}, nullptr},
        {CentreStep::Urge, "urge", {"assigned", "in_progress"}, nullptr},
        {CentreStep::Approve, "approve", {"replied"}, "resolved"},
        {CentreStep::Return, "return", {"replied"}, "in_progress"},
        {CentreStep::Accept, "accept", {"assigned"}, "in_progress"},
        {CentreStep::Progress, "progress", {"in_progress"}, nullptr},
        {CentreStep::Reply, "reply", {"in_progress"}, "replied"},
        {CentreStep::ExtensionRequest, "extension-request", {"assigned", "in_progress"}, nullptr},
    };
    return v;
}
}  // namespace

const char* centre_step_code(CentreStep s) {
    for (const auto& r : step_rules())
        if (r.step == s) return r.code;
    return "";
}

std::optional<CentreStep> parse_centre_step(const std::string& code) {
    for (const auto& r : step_rules())
        if (code == r.code) return r.step;
    return std::nullopt;
}

const std::vector<CentreStep>& centre_steps() {
    static const std::vector<CentreStep> v = [] {
        std::vector<CentreStep> all;
        for (const auto& r : step_rules()) all.push_back(r.step);
        return all;
    }();
    return v;
}

std::optional<std::string> centre_target(const std::string& status, CentreStep step) {
    for (const auto& r : step_rules()) {
        if (r.step != step) continue;
        for (const char* f : r.from)
            if (status == f) return std::string(r.to ? r.to : f);
    }
    return std::nullopt;
}

}  // namespace liaison::domain::cases
