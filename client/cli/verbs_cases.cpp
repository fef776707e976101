// liaison case add|assign|progress|close|feedback|rate|list|show, liaison department add|list
#include <nlohmann/json.hpp>
#include <ostream>

#include "client/cli/verbs.h"
#include "client/store/cases.h"
#include "client/store/duty.h"

namespace liaison::cli {

using nlohmann::json;
namespace cases = store::cases;

namespace {

const char* const kCaseUsage =
    "case add [--visit ID] --title T [--content C] [--category C] [--deputy NAME[,NAME]] [--at TIME] [--note N]\n"
    "case assign ID --department NAME|ID --deadline YYYY-MM-DD [--note N] [--at TIME]\n"
    "case progress ID --note N [--at TIME]\n"
    "case close ID --result R [--at TIME]\n"
    "case feedback ID [--channel 当面|书面|电话] [--note N] [--at TIME]\n"
    "case rate ID --satisfaction 满意|基本满意|不满意 [--comment C] [--at TIME]\n"
    "case list [--status S] [--overdue] [--category C] [--visit ID] [--today YYYY-MM-DD] [--json]\n"
    "case show ID [--json]\n"
    "  TIME is YYYY-MM-DD or \"YYYY-MM-DD HH:MM\" (default now), for steps recorded afterwards\n";

json row_json(const cases::CaseRow& c) {
    return {{"id", c.id},
            {"title", c.title},
            {"category", c.category},
            {"status", c.status},
            {"status_zh", cases::status_zh(c.status)},
            {"department", {{"id", c.department_id}, {"name", c.department_name}}},
            {"deadline", c.deadline},
            {"deadline_state", cases::deadline_code(c.deadline_state)},
            {"created_at", c.created_at},
            {"resolved_at", c.resolved_at},
            {"satisfaction", c.satisfaction},
            {"visit_id", c.visit_id}};
}

int case_add(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"visit", "title", "content", "category", "deputy", "at", "note"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "unexpected word '" + a->positional[0] + "'");
    if (a->get("title").empty()) return usage_error(ctx, "case add needs --title T");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    cases::NewCase n;
    n.visit_id = a->get("visit");
    n.title = a->get("title");
    n.content = a->get("content");
    n.category = a->get("category");
    n.at = a->get("at");
    n.note = a->get("note");
    if (a->has("deputy")) {
        auto ids = store::duty::deputy_ids_from_names(*s, a->get("deputy"));
        if (!ids) return fail(ctx, ids.error());
        n.deputy_ids = *ids;
    }
    auto id = cases::add(*s, n);
    if (!id) return fail(ctx, id.error());
    ctx.out << *id << "\n";
    return 0;
}

// The five steps share one shape: ID, their options, then the store function.
int case_step(Context& ctx, const std::string& verb, const std::vector<std::string>& words) {
    std::set<std::string> valued = {"at", "note"};
    if (verb == "assign") valued.insert({"department", "deadline"});
    if (verb == "close") valued.insert("result");
    if (verb == "feedback") valued.insert("channel");
    if (verb == "rate") valued.insert({"satisfaction", "comment"});
    if (verb == "close" || verb == "rate") valued.erase("note");
    auto a = parse_args(words, valued);
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "case " + verb + " ID ... (liaison case help)");
    const std::string& id = a->positional[0];
    const std::map<std::string, std::vector<const char*>> required = {{"assign", {"department", "deadline"}},
                                                                      {"progress", {"note"}},
                                                                      {"close", {"result"}},
                                                                      {"feedback", {}},
                                                                      {"rate", {"satisfaction"}}};
    for (const char* r : required.at(verb))
        if (a->get(r).empty()) return usage_error(ctx, "case " + verb + " needs --" + r);
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    Status st;
    if (verb == "assign")
        st = cases::assign(*s, id, a->get("department"), a->get("deadline"), a->get("note"), a->get("at"));
    else if (verb == "progress")
        st = cases::progress(*s, id, a->get("note"), a->get("at"));
    else if (verb == "close")
        st = cases::close(*s, id, a->get("result"), a->get("at"));
    else if (verb == "feedback")
        st = cases::feedback(*s, id, a->get("channel"), a->get("note"), a->get("at"));
    else
        st = cases::rate(*s, id, a->get("satisfaction"), a->get("comment"), a->get("at"));
    if (!st) return fail(ctx, st.error());
    auto c = cases::get(*s, id);
    if (!c) return fail(ctx, c.error());
    ctx.out << id << "  " << cases::status_zh(c->status) << " " << c->status << "\n";
    return 0;
}

int case_list(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"status", "category", "visit", "today"}, {"overdue", "json"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "unexpected word '" + a->positional[0] + "'");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    cases::CaseQuery q;
    q.status = a->get("status");
    q.category = a->get("category");
    q.visit_id = a->get("visit");
    q.today = a->get("today");
    q.overdue_only = a->flag("overdue");
    auto rows = cases::list(*s, q);
    if (!rows) return fail(ctx, rows.error());
    if (a->flag("json")) {
        json arr = json::array();
        for (const auto& r : *rows) arr.push_back(row_json(r));
        ctx.out << arr.dump(2) << "\n";
        return 0;
    }
    for (const auto& r : *rows) {
        ctx.out << r.id << "  " << cases::status_zh(r.status);
        if (!r.deadline.empty()) ctx.out << "  " << r.deadline;
        if (r.deadline_state == cases::DeadlineState::Overdue) ctx.out << " 超期 overdue";
        if (r.deadline_state == cases::DeadlineState::DueSoon) ctx.out << " 临期 due soon";
        if (!r.department_name.empty()) ctx.out << "  " << r.department_name;
        ctx.out << "  " << r.title << "\n";
    }
    ctx.out << rows->size() << " cases\n";
    return 0;
}

int case_show(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"today"}, {"json"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "case show ID [--json]");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto c = cases::get(*s, a->positional[0]);
    if (!c) return fail(ctx, c.error());
    std::string dept_name;
    if (!c->department_id.empty())
        if (auto d = cases::find_department(*s, c->department_id)) dept_name = d->name;
    const std::string today = a->get("today", cases::today(*s));
    if (!store::valid_date(today)) return usage_error(ctx, "--today must be YYYY-MM-DD");
    const auto state = cases::deadline_state(c->status, c->deadline, today);
    json deps = json::array();
    for (const auto& id : c->deputy_ids) {
        auto d = s->deputy(id);
        deps.push_back({{"id", id}, {"name", d ? d->name : ""}});
    }
    json actions = json::array();
    for (auto act : cases::allowed_actions(c->status)) actions.push_back(cases::action_code(act));
    json timeline = json::array();
    for (const auto& e : c->timeline)
        timeline.push_back({{"id", e.id}, {"at", e.at}, {"author", e.author}, {"kind", e.kind}, {"note", e.note}});
    if (a->flag("json")) {
        json j = {{"id", c->id},
                  {"station_id", c->station_id},
                  {"visit_id", c->visit_id},
                  {"title", c->title},
                  {"content", c->content},
                  {"category", c->category},
                  {"status", c->status},
                  {"status_zh", cases::status_zh(c->status)},
                  {"department", {{"id", c->department_id}, {"name", dept_name}}},
                  {"deadline", c->deadline},
                  {"deadline_state", cases::deadline_code(state)},
                  {"result", c->result},
                  {"resolved_at", c->resolved_at},
                  {"feedback_channel", c->feedback_channel},
                  {"satisfaction", c->satisfaction},
                  {"satisfaction_comment", c->satisfaction_comment},
                  {"created_at", c->created_at},
                  {"deputies", deps},
                  {"actions", actions},
                  {"timeline", timeline}};
        ctx.out << j.dump(2) << "\n";
        return 0;
    }
    ctx.out << "id:          " << c->id << "\n"
            << "title:       " << c->title << "\n"
            << "status:      " << cases::status_zh(c->status) << " " << c->status << "\n"
            << "category:    " << c->category << "\n"
            << "registered:  " << c->created_at << "\n";
    if (!c->visit_id.empty()) ctx.out << "visit:       " << c->visit_id << "\n";
    if (!c->content.empty()) ctx.out << "content:     " << c->content << "\n";
    if (!c->department_id.empty())
        ctx.out << "department:  " << dept_name << "\n"
                << "deadline:    " << c->deadline << " (" << cases::deadline_code(state) << ")\n";
    if (!c->result.empty()) ctx.out << "result:      " << c->result << "  (" << c->resolved_at << ")\n";
    if (!c->satisfaction.empty())
        ctx.out << "rating:      " << c->satisfaction << " " << c->satisfaction_comment << "\n";
    ctx.out << "timeline:\n";
    for (const auto& e : c->timeline) {
        ctx.out << "  " << e.at << "  " << e.kind << "  " << e.author;
        if (!e.note.empty()) {
            std::string note = e.note;
            for (size_t p; (p = note.find('\n')) != std::string::npos;) note.replace(p, 1, " / ");
            ctx.out << "  " << note;
        }
        ctx.out << "\n";
    }
    return 0;
}

}  // namespace

int verb_case(Context& ctx, const std::vector<std::string>& words) {
    if (words.empty() || words[0] == "help") {
        ctx.out << kCaseUsage;
        return words.empty() ? 2 : 0;
    }
    const std::string& sub = words[0];
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    if (sub == "add") return case_add(ctx, rest);
    if (sub == "list") return case_list(ctx, rest);
    if (sub == "show") return case_show(ctx, rest);
    if (sub == "assign" || sub == "progress" || sub == "close" || sub == "feedback" || sub == "rate")
        return case_step(ctx, sub, rest);
    return usage_error(ctx, "unknown case verb '" + sub + "' (liaison case help)");
}

int verb_department(Context& ctx, const std::vector<std::string>& words) {
    if (words.empty()) return usage_error(ctx, "department add --name NAME | department list [--json]");
    const std::string& sub = words[0];
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    if (sub == "add") {
        auto a = parse_args(rest, {"name"});
        if (!a) return usage_error(ctx, a.error().message);
        if (a->get("name").empty()) return usage_error(ctx, "department add needs --name NAME");
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        if (auto existing = cases::find_department(*s, a->get("name")))
            return usage_error(ctx, "department '" + a->get("name") + "' already exists: " + existing->id);
        // Once enrolled, departments are the centre's reference data: a tablet's own would never
        // sync (the server refuses them), so cases assigned to it would name nothing elsewhere.
        if (auto token = s->token(); token && !token->empty())
            return usage_error(ctx,
                               "this tablet is enrolled: departments come from the central office "
                               "(liaison-central import departments FILE.csv); ask it to add '" +
                                   a->get("name") + "'");
        auto id = s->add_department(store::Department{"", a->get("name")});
        if (!id) return fail(ctx, id.error());
        ctx.out << *id << "\n";
        return 0;
    }
    if (sub == "list") {
        auto a = parse_args(rest, {}, {"json"});
        if (!a) return usage_error(ctx, a.error().message);
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        auto ds = s->departments();
        if (!ds) return fail(ctx, ds.error());
        if (a->flag("json")) {
            json arr = json::array();
            for (const auto& d : *ds) arr.push_back({{"id", d.id}, {"name", d.name}});
            ctx.out << arr.dump(2) << "\n";
        } else {
            for (const auto& d : *ds) ctx.out << d.id << "  " << d.name << "\n";
        }
        return 0;
    }
    return usage_error(ctx, "unknown department verb '" + sub + "'");
}

}  // namespace liaison::cli
