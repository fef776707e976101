#include "client/store/cases.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "platform/platform.h"

namespace liaison::store::cases {

using sync::Value;

// ---------------------------------------------------------------- dates

std::string today(Store& s) { return platform::local_date(s.now()); }

// ---------------------------------------------------------------- writes

namespace {

// "" → now; a date → that day at 00:00; a datetime as is.
Result<std::string> event_time(Store& s, const std::string& at) {
    if (at.empty()) return platform::local_datetime(s.now());
    if (valid_date(at)) return at + " 00:00";
    if (valid_datetime(at)) return at;
    return invalid("case.time_format", {at}, "time must be YYYY-MM-DD or YYYY-MM-DD HH:MM");
}

Status text_ok(std::initializer_list<const std::string*> fields) {
    for (const auto* f : fields)
        if (!valid_utf8(*f)) return invalid("text is not valid UTF-8");
    return {};
}

struct Current {
    std::string status, created_at, scope;
};

Result<Current> load(Store& s, const std::string& id) {
    auto& st = s.db().cached(
        "SELECT coalesce(status, ''), coalesce(created_at, '') FROM cases "
        "WHERE id = ? AND _deleted = 0");
    st.bind(1, id);
    auto r = st.step();
    if (!r) return r.error();
    if (!*r) return not_found("no case " + id);
    Current c{st.text(0), st.text(1), ""};
    st.reset();
    c.scope = s.replica().scope_of("cases", id).value_or(s.station_id());
    return c;
}

Status write_event(Store& s, const std::string& case_id, const std::string& scope, const std::string& kind,
                   const std::string& note, const std::string& at) {
    const std::string author = s.replica().author().empty() ? s.replica().device() : s.replica().author();
    std::vector<std::pair<std::string, Value>> f = {
        {"case_id", case_id}, {"at", at}, {"author", author}, {"kind", kind}};
    if (!note.empty()) f.emplace_back("note", note);
    return s.replica().write("case_events", platform::new_id(), scope, f);
}

// The common shape of a step: validate, check the rule, then one transaction writing the
// case's fields and the timeline event.
Status step(Store& s, const std::string& id, Action action, const std::string& at_in,
            std::vector<std::pair<std::string, Value>> fields, const std::string& kind, const std::string& note,
            bool set_status) {
    auto at = event_time(s, at_in);
    if (!at) return at.error();
    auto cur = load(s, id);
    if (!cur) return cur.error();
    if (auto no = check(cur->status, action))
        return invalid(no->needs.empty() ? "case.step_past" : "case.step_needs", {no->from, no->to, no->needs},
                       no->message());
    if (!cur->created_at.empty() && at->substr(0, 10) < cur->created_at.substr(0, 10))
        return invalid("case.date_before_registered", {at->substr(0, 10), cur->created_at.substr(0, 10)},
                       "the date " + at->substr(0, 10) + " is before the case was registered (" +
                           cur->created_at.substr(0, 10) + ")");
    // A step given as a date alone on the day of the previous step keeps the timeline in order
    // (the date means "that day", not midnight before what already happened that day).
    if (valid_date(at_in)) {
        auto& last = s.db().cached("SELECT coalesce(max(at), '') FROM case_events WHERE case_id = ? AND _deleted = 0");
        last.bind(1, id);
        auto r = last.step();
        if (!r) return r.error();
        const std::string prev = last.text(0);
        last.reset();
        if (prev.substr(0, 10) == at_in && prev > *at) *at = prev;
    }
    if (action == Action::Close) fields.emplace_back("resolved_at", *at);
    if (set_status) fields.emplace_back("status", action_target(action));
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(s.db()));
    if (!fields.empty()) LIAISON_TRY(s.replica().write("cases", id, cur->scope, fields));
    LIAISON_TRY(write_event(s, id, cur->scope, kind, note, *at));
    return tx.commit();
}

}  // namespace

Status phone_shown(Store& s, const std::string& id) {
    auto at = event_time(s, "");
    if (!at) return at.error();
    auto cur = load(s, id);
    if (!cur) return cur.error();
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(s.db()));
    LIAISON_TRY(write_event(s, id, cur->scope, "phone_viewed", "", *at));
    return tx.commit();
}

Result<std::string> add(Store& s, const NewCase& n) {
    if (!s.initialized()) return invalid("this store has no station: run `liaison init --station NAME` first");
    LIAISON_TRY(text_ok({&n.visit_id, &n.title, &n.content, &n.category, &n.note}));
    if (n.title.empty()) return invalid("case.title_required", {}, "case title is required");
    auto at = event_time(s, n.at);
    if (!at) return at.error();
    std::string content = n.content, category = n.category;
    if (!n.visit_id.empty()) {
        auto v = s.visit(n.visit_id);
        if (!v) return v.error();
        if (content.empty()) content = v->content;
        if (category.empty()) category = v->category;
    }
    auto cat = s.category(category.empty() ? std::string("other") : category);
    if (!cat) return cat.error();
    for (const auto& d : n.deputy_ids)
        if (!s.replica().exists("deputies", d)) return invalid("unknown deputy " + d);
    const std::string id = platform::new_id(), scope = s.station_id();
    std::vector<std::pair<std::string, Value>> f = {{"station_id", scope},
                                                    {"title", n.title},
                                                    {"category", cat->id},
                                                    {"status", "registered"},
                                                    {"created_at", *at}};
    if (!n.visit_id.empty()) f.emplace_back("visit_id", n.visit_id);
    if (!content.empty()) f.emplace_back("content", content);
    if (!n.deputy_ids.empty()) f.emplace_back("deputy_ids", join_ids(n.deputy_ids));
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(s.db()));
    LIAISON_TRY(s.replica().write("cases", id, scope, f));
    LIAISON_TRY(write_event(s, id, scope, "created", n.note, *at));
    LIAISON_TRY(tx.commit());
    return id;
}

Result<Department> find_department(Store& s, const std::string& key) {
    if (key.empty()) return invalid("case.department_required", {}, "a department (承办单位) is required");
    if (!valid_utf8(key)) return invalid("text is not valid UTF-8");
    auto& st = s.db().cached(
        "SELECT id, name FROM departments WHERE _deleted = 0 AND (id = ?1 OR name = ?1) "
        "ORDER BY id = ?1 DESC, id LIMIT 2");
    st.bind(1, key);
    std::vector<Department> found;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) { found.push_back(Department{q.text(0), q.text(1)}); }));
    if (found.empty())
        return invalid("case.department_unknown", {key},
                       "unknown department '" + key + "' (add it with `liaison department add --name " + key + "`)");
    if (found.size() > 1 && found[0].id != key)
        return invalid("case.department_ambiguous", {key}, "two departments are named '" + key + "': give the id");
    return found.front();
}

Status assign(Store& s, const std::string& id, const std::string& department, const std::string& deadline,
              const std::string& note, const std::string& at) {
    LIAISON_TRY(text_ok({&id, &department, &deadline, &note}));
    if (!valid_date(deadline))
        return invalid("case.deadline_format", {deadline}, "the deadline must be a date YYYY-MM-DD");
    auto dep = find_department(s, department);
    if (!dep) return dep.error();
    auto cur = load(s, id);
    if (!cur) return cur.error();
    if (!cur->created_at.empty() && deadline < cur->created_at.substr(0, 10))
        return invalid(
            "case.deadline_before_registered", {deadline, cur->created_at.substr(0, 10)},
            "the deadline " + deadline + " is before the case was registered (" + cur->created_at.substr(0, 10) + ")");
    const bool first = cur->status == "registered";
    // The timeline shows where the case went even after a later re-交办 changed the fields.
    std::string text = dep->name + " " + deadline;
    if (!note.empty()) text += "\n" + note;
    return step(s, id, Action::Assign, at, {{"department_id", dep->id}, {"deadline", deadline}},
                first ? "assigned" : "reassigned", text, first);
}

Status progress(Store& s, const std::string& id, const std::string& note, const std::string& at) {
    LIAISON_TRY(text_ok({&id, &note}));
    if (note.empty()) return invalid("case.note_required", {}, "a progress note is required");
    auto cur = load(s, id);
    if (!cur) return cur.error();
    // Further notes on a case already in progress add events only: no field write, no conflict.
    return step(s, id, Action::Progress, at, {}, "progress", note, cur->status == "assigned");
}

Status close(Store& s, const std::string& id, const std::string& result, const std::string& at) {
    LIAISON_TRY(text_ok({&id, &result}));
    if (result.empty()) return invalid("case.result_required", {}, "the result (办理结果) is required");
    return step(s, id, Action::Close, at, {{"result", result}}, "resolved", result, true);
}

Status feedback(Store& s, const std::string& id, const std::string& channel, const std::string& note,
                const std::string& at) {
    LIAISON_TRY(text_ok({&id, &channel, &note}));
    std::vector<std::pair<std::string, Value>> f;
    std::string text = note;
    if (!channel.empty()) {
        auto ch = parse_feedback_channel(channel);
        if (!ch) return ch.error();
        f.emplace_back("feedback_channel", *ch);
        text = name_zh(feedback_channels(), *ch) + (note.empty() ? "" : "：" + note);
    }
    return step(s, id, Action::Feedback, at, f, "answered", text, true);
}

Status rate(Store& s, const std::string& id, const std::string& satisfaction, const std::string& comment,
            const std::string& at) {
    LIAISON_TRY(text_ok({&id, &satisfaction, &comment}));
    auto sat = parse_satisfaction(satisfaction);
    if (!sat) return sat.error();
    std::vector<std::pair<std::string, Value>> f = {{"satisfaction", *sat}};
    if (!comment.empty()) f.emplace_back("satisfaction_comment", comment);
    const std::string text = name_zh(satisfactions(), *sat) + (comment.empty() ? "" : "：" + comment);
    return step(s, id, Action::Rate, at, f, "rated", text, true);
}

// ---------------------------------------------------------------- reads

Result<Case> get(Store& s, const std::string& id) {
    auto& st = s.db().cached(
        "SELECT id, coalesce(station_id, ''), coalesce(visit_id, ''), coalesce(title, ''), coalesce(content, ''), "
        "coalesce(category, ''), coalesce(status, ''), coalesce(department_id, ''), coalesce(deadline, ''), "
        "coalesce(result, ''), coalesce(satisfaction, ''), coalesce(satisfaction_comment, ''), "
        "coalesce(feedback_channel, ''), coalesce(created_at, ''), coalesce(deputy_ids, ''), "
        "coalesce(resolved_at, '') FROM cases WHERE id = ? AND _deleted = 0");
    st.bind(1, id);
    auto r = st.step();
    if (!r) return r.error();
    if (!*r) return not_found("no case " + id);
    Case c;
    c.id = st.text(0);
    c.station_id = st.text(1);
    c.visit_id = st.text(2);
    c.title = st.text(3);
    c.content = st.text(4);
    c.category = st.text(5);
    c.status = st.text(6);
    c.department_id = st.text(7);
    c.deadline = st.text(8);
    c.result = st.text(9);
    c.satisfaction = st.text(10);
    c.satisfaction_comment = st.text(11);
    c.feedback_channel = st.text(12);
    c.created_at = st.text(13);
    c.deputy_ids = split_ids(st.text(14));
    c.resolved_at = st.text(15);
    st.reset();
    // Events from several devices within one minute: the id (UUIDv7) breaks the tie.
    auto& ev = s.db().cached(
        "SELECT id, case_id, coalesce(at, ''), coalesce(author, ''), coalesce(kind, ''), coalesce(note, '') "
        "FROM case_events WHERE case_id = ? AND _deleted = 0 ORDER BY at, id");
    ev.bind(1, id);
    LIAISON_TRY(ev.for_each_row([&](const db::Stmt& q) {
        c.timeline.push_back(CaseEvent{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)});
    }));
    return c;
}

namespace {
// The query with names resolved to codes and ids; Invalid or NotFound for what cannot be.
Result<CaseQuery> resolved(Store& s, const CaseQuery& q0) {
    CaseQuery q = q0;
    if (q.today.empty()) q.today = today(s);
    if (!valid_date(q.today)) return invalid("today must be YYYY-MM-DD");
    if (!q.status.empty()) {
        auto st = parse_status(q.status);
        if (!st) return st.error();
        q.status = *st;
    }
    if (!q.category.empty()) {
        auto c = s.category(q.category);
        if (!c) return c.error();
        q.category = c->id;
    }
    if (!valid_utf8(q.visit_id) || !valid_utf8(q.text)) return invalid("text is not valid UTF-8");
    if (!q.department.empty()) {
        auto d = find_department(s, q.department);
        if (!d) return d.error();
        q.department = d->id;
    }
    return q;
}
}  // namespace

Result<std::vector<CaseRow>> list(Store& s, const CaseQuery& q0) {
    auto rq = resolved(s, q0);
    if (!rq) return rq.error();
    const CaseQuery& q = *rq;
    // The search text is a bound parameter matched with instr(), so % and _ are plain characters.
    auto& st = s.db().cached(
        "SELECT c.id, coalesce(c.title, ''), coalesce(c.category, ''), coalesce(c.status, ''), "
        "coalesce(c.department_id, ''), coalesce(d.name, ''), coalesce(c.deadline, ''), coalesce(c.created_at, ''), "
        "coalesce(c.visit_id, ''), coalesce(c.satisfaction, ''), coalesce(c.resolved_at, '') "
        "FROM cases c LEFT JOIN departments d ON d.id = c.department_id AND d._deleted = 0 "
        "WHERE c._deleted = 0 AND (?1 = '' OR c.status = ?1) AND (?2 = '' OR c.visit_id = ?2) "
        "AND (?3 = '' OR c.category = ?3) AND (?4 = '' OR c.department_id = ?4) "
        "AND (?5 = '' OR instr(lower(coalesce(c.title, '')), lower(?5)) > 0 "
        "OR instr(lower(coalesce(c.content, '')), lower(?5)) > 0)");
    st.bind(1, q.status).bind(2, q.visit_id).bind(3, q.category).bind(4, q.department).bind(5, q.text);
    std::vector<CaseRow> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& rs) {
        CaseRow c;
        c.id = rs.text(0);
        c.title = rs.text(1);
        c.category = rs.text(2);
        c.status = rs.text(3);
        c.department_id = rs.text(4);
        c.department_name = rs.text(5);
        c.deadline = rs.text(6);
        c.created_at = rs.text(7);
        c.visit_id = rs.text(8);
        c.satisfaction = rs.text(9);
        c.resolved_at = rs.text(10);
        c.deadline_state = deadline_state(c.status, c.deadline, q.today);
        if (q.overdue_only && c.deadline_state != DeadlineState::Overdue) return;
        out.push_back(std::move(c));
    }));
    auto urgency = [](DeadlineState d) {
        switch (d) {
            case DeadlineState::Overdue: return 0;
            case DeadlineState::DueSoon: return 1;
            case DeadlineState::OnTime: return 2;
            case DeadlineState::None: return 3;
            case DeadlineState::Done: return 4;
        }
        return 5;
    };
    std::sort(out.begin(), out.end(), [&](const CaseRow& a, const CaseRow& b) {
        if (urgency(a.deadline_state) != urgency(b.deadline_state))
            return urgency(a.deadline_state) < urgency(b.deadline_state);
        if (a.deadline != b.deadline) {
            if (a.deadline.empty() || b.deadline.empty()) return b.deadline.empty();
            return a.deadline < b.deadline;
        }
        if (a.created_at != b.created_at) return a.created_at > b.created_at;
        return a.id > b.id;
    });
    return out;
}

Result<std::vector<BoardColumn>> board(Store& s, const std::string& today) {
    CaseQuery q;
    q.today = today;
    return board(s, q);
}

Result<std::vector<BoardColumn>> board(Store& s, const CaseQuery& q0) {
    CaseQuery q = q0;
    q.status.clear();
    auto all = list(s, q);
    if (!all) return all.error();
    std::vector<BoardColumn> cols;
    for (const auto& n : statuses()) cols.push_back(BoardColumn{n.code, {}});
    for (auto& c : *all) {
        const int r = status_rank(c.status);
        // An unknown status (from a newer app) still shows, in the first column.
        cols[static_cast<size_t>(r < 0 ? 0 : r)].cases.push_back(std::move(c));
    }
    return cols;
}

}  // namespace liaison::store::cases
