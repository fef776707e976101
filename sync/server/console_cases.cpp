// The console's case pages: the list, a case with its timeline, and the steps of the workflow
// (docs/console.md). A case outside the user's scope is "not found", whatever the request says.
#include "sync/server/console_call.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/dates.h"
#include "domain/case_flow.h"
#include "domain/rules.h"
#include "platform/platform.h"
#include "sync/core/json.h"
#include "sync/server/console_accounts.h"
#include "sync/server/http_util.h"
#include "sync/server/secrets.h"

namespace liaison::server::console {

using nlohmann::json;
using sync::HttpRequest;
using sync::HttpResponse;
namespace flow = domain::cases;

json user_json(const ConsoleUser& u, ConsoleStorage& cs) {
    json dept = nullptr;
    if (!u.department_id.empty()) {
        auto d = cs.department(u.department_id);
        dept = {{"id", u.department_id}, {"name", d && *d ? (*d)->second : ""}};
    }
    json stations = "*";
    if (u.role == "office" && u.stations != "*") stations = u.stations;
    return {{"name", u.name},
            {"display", u.display.empty() ? u.name : u.display},
            {"role", u.role},
            {"department", dept},
            {"stations", stations}};
}

json case_row_json(const CaseListRow& r, const std::string& today) {
    json dept = nullptr;
    if (!r.department_id.empty()) dept = {{"id", r.department_id}, {"name", r.department_name}};
    return {{"id", r.id},
            {"title", r.title},
            {"status", r.status},
            {"category", r.category},
            {"station", {{"id", r.station_id}, {"name", r.station_name}}},
            {"department", dept},
            {"deadline", r.deadline},
            {"deadline_state", flow::deadline_code(flow::deadline_state(r.status, r.deadline, today))},
            {"created_at", r.created_at}};
}

namespace {

constexpr size_t kMaxNote = 2000, kMaxResult = 10000;

bool visible(const Call& c, const CaseListRow& r) {
    if (c.user.role == "department") return !r.department_id.empty() && r.department_id == c.user.department_id;
    return accounts::in_scope(c.scope, r.station_id);
}

// The steps each role takes (docs/console.md).
bool role_takes(const std::string& role, flow::CentreStep s) {
    using S = flow::CentreStep;
    const bool office_step = s == S::Assign || s == S::Extend || s == S::Urge || s == S::Approve || s == S::Return;
    return role == "office" ? office_step : role == "department" ? !office_step : false;
}

std::vector<std::string> actions_for(const Call& c, const std::string& status) {
    std::vector<std::string> out;
    for (auto s : flow::centre_steps())
        if (role_takes(c.user.role, s) && flow::centre_target(status, s)) out.push_back(flow::centre_step_code(s));
    return out;
}

bool phone_available(const std::string& status) {
    return flow::status_rank(status) >= flow::status_rank("in_progress");
}

Result<CaseListRow> visible_case(Call& c, const std::string& id) {
    auto row = c.cs.case_row(id);
    if (!row) return row.error();
    if (!*row || !visible(c, **row)) return not_found("no such case");
    return **row;
}

Result<json> case_detail(Call& c, const std::string& id) {
    LIAISON_ASSIGN_OR_RETURN(auto row, visible_case(c, id));
    LIAISON_ASSIGN_OR_RETURN(auto fields, c.cs.case_fields(id));
    LIAISON_ASSIGN_OR_RETURN(auto events, c.cs.case_events(id));
    json out = case_row_json(row, c.today());
    for (const char* k :
         {"content", "result", "satisfaction", "satisfaction_comment", "feedback_channel", "resolved_at", "visit_id"})
        out[k] = fields.is_object() && fields.contains(k) && fields[k].is_string() ? fields[k] : json("");
    out["visit"] = nullptr;
    const std::string visit_id = out["visit_id"].get<std::string>();
    if (!visit_id.empty()) {
        LIAISON_ASSIGN_OR_RETURN(auto v, c.cs.visit(visit_id));
        out["visit"] = v;
        if (c.user.role != "department" && !v.is_null()) {
            LIAISON_ASSIGN_OR_RETURN(auto people, c.cs.visitors(visit_id));
            out["visitors"] = people;
        }
    }
    out["phone_available"] = c.user.role == "department" && !visit_id.empty() && phone_available(row.status);
    out["actions"] = actions_for(c, row.status);
    // A tablet's own steps carry its device id when nobody signed in: show the device's name.
    LIAISON_ASSIGN_OR_RETURN(auto devices, c.storage.devices());
    for (auto& e : events)
        for (const auto& d : devices)
            if (e.value("author", "") == d.id && !d.name.empty()) e["author"] = d.name;
    out["timeline"] = events;
    return out;
}

// ---------------------------------------------------------------- writes to a case

struct StepInput {
    flow::CentreStep step;
    std::string department_id, department_name, deadline, note;
};

Status check_text(const std::string& s, size_t max, const char* what) {
    if (!domain::valid_utf8(s)) return invalid(std::string(what) + " is not valid UTF-8");
    if (s.size() > max) return invalid(std::string(what) + " is too long");
    return {};
}

// What the step's body must hold, checked before anything is written.
Result<StepInput> read_step(Call& c, flow::CentreStep step, const CaseListRow& row) {
    using S = flow::CentreStep;
    StepInput in{step, "", "", c.text("deadline"),
                 c.text(step == S::Return || step == S::ExtensionRequest ? "reason"
                        : step == S::Reply                               ? "result"
                                                                         : "note")};
    LIAISON_TRY(check_text(in.note, step == S::Reply ? kMaxResult : kMaxNote, "the text"));
    if ((step == S::Return || step == S::Progress || step == S::Reply || step == S::ExtensionRequest) &&
        in.note.find_first_not_of(" \t\r\n") == std::string::npos)
        return invalid(step == S::Reply ? "a reply needs its result" : "this step needs a text");
    if (step == S::Assign || step == S::Extend || step == S::ExtensionRequest) {
        if (!domain::valid_date(in.deadline)) return invalid("the deadline must be a date YYYY-MM-DD");
        if (in.deadline < row.created_at.substr(0, 10))
            return invalid("the deadline is before the case was registered");
    }
    if (step == S::Assign) {
        LIAISON_ASSIGN_OR_RETURN(auto d, c.cs.department(c.text("department")));
        if (!d) return invalid("no such department");
        in.department_id = d->first;
        in.department_name = d->second;
    }
    return in;
}

// The fields the step writes on the case, and the event it adds: kind and note.
struct StepWrite {
    std::vector<std::pair<std::string, sync::Value>> fields;
    std::string kind, note;
};

StepWrite plan_step(const Call& c, const StepInput& in, const CaseListRow& row, const std::string& to) {
    using S = flow::CentreStep;
    StepWrite w;
    const auto with_note = [&](const std::string& head) { return in.note.empty() ? head : head + "\n" + in.note; };
    switch (in.step) {
        case S::Assign: {
            const bool first = row.department_id.empty();
            const bool other = row.department_id != in.department_id;
            w.fields = {{"department_id", in.department_id}, {"deadline", in.deadline}};
            // Another department must 签收 again; the same one only gets the new deadline.
            if (first || other) w.fields.emplace_back("status", "assigned");
            w.kind = row.status == "registered" ? "assigned" : "reassigned";
            w.note = with_note(in.department_name + " " + in.deadline);
            break;
        }
        case S::Extend:
            w.fields = {{"deadline", in.deadline}};
            w.kind = "extended";
            w.note = with_note(in.deadline);
            break;
        case S::ExtensionRequest:
            w.kind = "extension_requested";
            w.note = with_note(in.deadline);
            break;
        case S::Approve:
            w.fields = {{"status", to}, {"resolved_at", platform::local_datetime(c.now)}};
            w.kind = "resolved";
            w.note = in.note;
            break;
        case S::Reply:
            w.fields = {{"status", to}, {"result", in.note}};
            w.kind = "replied";
            w.note = in.note;
            break;
        case S::Return:
        case S::Accept:
            w.fields = {{"status", to}};
            w.kind = in.step == S::Return ? "returned" : "accepted";
            w.note = in.note;
            break;
        case S::Urge:
        case S::Progress:
            w.kind = in.step == S::Urge ? "urged" : "progress";
            w.note = in.note;
            break;
    }
    return w;
}

Status write_step(Call& c, const CaseListRow& row, const StepWrite& w) {
    std::vector<CentreWrite> writes;
    if (!w.fields.empty()) writes.push_back(CentreWrite{"cases", row.id, "", w.fields, false});
    std::vector<std::pair<std::string, sync::Value>> ev = {
        {"case_id", row.id}, {"at", platform::local_datetime(c.now)}, {"author", c.author()}, {"kind", w.kind}};
    if (!w.note.empty()) ev.emplace_back("note", w.note);
    writes.push_back(CentreWrite{"case_events", platform::new_id(), row.station_id, std::move(ev), false});
    auto n = c.storage.write_as_centre(writes, c.author());
    if (!n) return n.error();
    return {};
}

// One step on a case the user may see: allowed for the role, allowed from the status, then
// written. `refused` tells a refused transition (409) from other errors.
Status take_step(Call& c, const CaseListRow& row, flow::CentreStep step, bool& refused) {
    refused = false;
    if (!role_takes(c.user.role, step)) return Error{Error::Kind::Forbidden, "this role may not take this step"};
    const auto to = flow::centre_target(row.status, step);
    if (!to) {
        refused = true;
        return invalid(std::string("a case at ") + row.status + " does not allow " + flow::centre_step_code(step));
    }
    LIAISON_ASSIGN_OR_RETURN(auto in, read_step(c, step, row));
    LIAISON_TRY(write_step(c, row, plan_step(c, in, row, *to)));
    c.note += std::string(" ") + flow::centre_step_code(step) + " case=" + row.id;
    return {};
}

HttpResponse step_error(const Error& e, bool refused, const std::string& action, const std::string& from) {
    if (!refused) return from_error(e);
    return json_response(
        409, {{"error", "refused"}, {"message", e.message}, {"params", {{"action", action}, {"from", from}}}});
}

// ---------------------------------------------------------------- handlers

}  // namespace

HttpResponse me(Call& c) { return json_response(200, {{"csrf", c.session.csrf}, {"user", user_json(c.user, c.cs)}}); }

HttpResponse logout(Call& c) {
    auto st = c.cs.end_session(c.session.token_hash);
    if (!st) return from_error(st.error());
    c.note += " logout";
    auto r = json_response(200, json::object());
    r.headers.emplace_back("Set-Cookie",
                           std::string(kCookie) + "=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0");
    return r;
}

HttpResponse lookups(Call& c) {
    json stations = json::array(), districts = json::array();
    std::set<std::string> seen_districts;
    std::set<std::string> dept_stations;
    if (c.user.role == "department") {
        auto ids = c.cs.stations_of_department(c.user.department_id);
        if (!ids) return from_error(ids.error());
        dept_stations.insert(ids->begin(), ids->end());
    }
    for (const auto& s : c.stations) {
        const bool shown =
            c.user.role == "department" ? dept_stations.count(s.id) > 0 : accounts::in_scope(c.scope, s.id);
        if (!shown) continue;
        stations.push_back({{"id", s.id}, {"name", s.name}, {"district", s.district}});
        if (!s.district.empty() && seen_districts.insert(s.district).second) districts.push_back(s.district);
    }
    auto depts = c.cs.departments();
    if (!depts) return from_error(depts.error());
    auto categories = c.cs.categories();
    if (!categories) return from_error(categories.error());
    json statuses = json::array();
    for (const auto& s : flow::statuses()) statuses.push_back({{"code", s.code}, {"zh", s.zh}, {"en", s.en}});
    return json_response(200, {{"stations", stations},
                               {"departments", *depts},
                               {"categories", *categories},
                               {"statuses", statuses},
                               {"districts", districts}});
}

// The filter of a case list or export from the query, inside the user's scope.
Result<CaseFilter> case_filter(const Call& c) {
    CaseFilter f;
    f.all_stations = c.scope.all;
    f.stations = c.scope.stations;
    if (c.user.role == "department") f.department_id = c.user.department_id;
    auto get = [&](const char* k) { return c.q.count(k) ? c.q.at(k) : std::string(); };
    f.station = get("station");
    f.status = get("status");
    f.category = get("category");
    f.department = get("department");
    f.q = get("q");
    f.from = get("from");
    f.to = get("to");
    f.overdue = get("overdue") == "1";
    f.open_only = get("open") == "1";
    f.today = c.today();
    if (get("due_soon") == "1") f.due_by = dates::date_of_day(dates::day_number(f.today) + flow::kDueSoonDays);
    for (const auto* s : {&f.station, &f.status, &f.category, &f.department, &f.q})
        if (!domain::valid_utf8(*s) || s->size() > 200) return invalid("bad filter");
    for (const auto* d : {&f.from, &f.to})
        if (!d->empty() && !domain::valid_date(*d)) return invalid("dates are YYYY-MM-DD");
    const std::string sort = get("sort");
    if (!sort.empty()) {
        if (sort != "created" && sort != "deadline" && sort != "status" && sort != "station")
            return invalid("bad sort");
        f.sort = sort;
    } else if (c.user.role == "department") {
        f.sort = "inbox";
    }
    f.descending = get("order") != "asc";
    int64_t v = 0;
    if (c.q.count("limit")) {
        if (!parse_i64(c.q.at("limit"), v) || v == 0) return invalid("bad limit");
        f.limit = std::min<int64_t>(v, 200);
    }
    if (c.q.count("offset")) {
        if (!parse_i64(c.q.at("offset"), v)) return invalid("bad offset");
        f.offset = v;
    }
    return f;
}

HttpResponse list_cases(Call& c) {
    auto f = case_filter(c);
    if (!f) return from_error(f.error());
    auto list = c.cs.cases(*f);
    if (!list) return from_error(list.error());
    json rows = json::array();
    for (const auto& r : list->rows) rows.push_back(case_row_json(r, f->today));
    return json_response(200, {{"total", list->total}, {"cases", rows}});
}

HttpResponse get_case(Call& c) {
    auto d = case_detail(c, c.args[0]);
    if (!d) return from_error(d.error());
    return json_response(200, *d);
}

HttpResponse case_phone(Call& c) {
    auto row = visible_case(c, c.args[0]);
    if (!row) return from_error(row.error());
    auto fields = c.cs.case_fields(row->id);
    if (!fields) return from_error(fields.error());
    const std::string visit_id = fields->value("visit_id", "");
    if (visit_id.empty() || !phone_available(row->status))
        return fail(403, "forbidden", "the phone number is shown after the case is accepted (签收)");
    auto people = c.cs.visitors(visit_id);
    if (!people) return from_error(people.error());
    json out = json::array();
    for (const auto& p : *people) out.push_back({{"name", p["name"]}, {"phone", p["phone"]}});
    // Each look is on the case's record, as the PIPL's purpose limitation asks.
    auto st = write_step(c, *row, StepWrite{{}, "phone_viewed", ""});
    if (!st) return from_error(st.error());
    c.note += " phone case=" + row->id;
    return json_response(200, {{"visitors", out}});
}

HttpResponse case_step(Call& c) {
    const auto step = flow::parse_centre_step(c.args[1]);
    if (!step) return fail(404, "not_found", "no such action");
    bool refused = false;
    auto row = visible_case(c, c.args[0]);
    if (!row) return from_error(row.error());
    auto st = take_step(c, *row, *step, refused);
    if (!st) return step_error(st.error(), refused, c.args[1], row->status);
    auto d = case_detail(c, c.args[0]);
    if (!d) return from_error(d.error());
    return json_response(200, *d);
}

HttpResponse bulk_assign(Call& c) {
    if (!c.body.contains("ids") || !c.body["ids"].is_array() || c.body["ids"].size() > 500)
        return fail(400, "bad_request", "'ids' must be an array of at most 500 case ids");
    int assigned = 0;
    json refused = json::array();
    for (const auto& id : c.body["ids"]) {
        if (!id.is_string()) return fail(400, "bad_request", "'ids' must hold strings");
        bool was_refused = false;
        auto row = visible_case(c, id.get<std::string>());
        Status st = row ? take_step(c, *row, flow::CentreStep::Assign, was_refused) : Status{row.error()};
        if (st)
            ++assigned;
        else
            refused.push_back({{"id", id},
                               {"error", was_refused                                ? "refused"
                                         : st.error().kind == Error::Kind::NotFound ? "not_found"
                                                                                    : "invalid"},
                               {"message", st.error().message}});
    }
    return json_response(200, {{"assigned", assigned}, {"refused", refused}});
}

}  // namespace liaison::server::console
