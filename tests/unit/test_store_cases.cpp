// The case workflow: every allowed and refused transition, the timeline, deadlines, bad input
// writing nothing, concurrent moves on two devices; duty slots, activities and deputy records.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "cases_fixture.h"
#include "base/ids.h"
#include "platform/platform.h"

using namespace liaison;
using namespace liaison::store;
using testing_support::TestStation;
namespace cases = liaison::store::cases;

namespace {

// Every status a tablet's own steps reach (已答复 is the centre's: see the table test below).
const std::vector<std::string> kAll = {"registered", "assigned", "in_progress", "resolved", "answered", "rated"};

// A new case brought to `status` through the workflow.
std::string case_at(TestStation& s, const std::string& status) {
    std::string id = s.add_case("", "测试案件", "2026-03-01 09:00", "urban");
    const int rank = cases::status_rank(status);
    auto past = [&](const char* step) { return rank >= cases::status_rank(step); };
    if (past("assigned")) REQUIRE(cases::assign(*s, id, "区住建局", "2026-03-30", "", "2026-03-02"));
    if (past("in_progress")) REQUIRE(cases::progress(*s, id, "在办", "2026-03-03"));
    if (past("resolved")) REQUIRE(cases::close(*s, id, "已办结", "2026-03-04"));
    if (past("answered")) REQUIRE(cases::feedback(*s, id, "当面", "", "2026-03-05"));
    if (past("rated")) REQUIRE(cases::rate(*s, id, "满意", "", "2026-03-06"));
    REQUIRE(cases::get(*s, id)->status == status);
    return id;
}

Status act(TestStation& s, const std::string& id, cases::Action a) {
    switch (a) {
        case cases::Action::Assign: return cases::assign(*s, id, "区住建局", "2026-04-15", "", "2026-03-10");
        case cases::Action::Progress: return cases::progress(*s, id, "继续办理", "2026-03-10");
        case cases::Action::Close: return cases::close(*s, id, "已解决", "2026-03-10");
        case cases::Action::Feedback: return cases::feedback(*s, id, "电话", "", "2026-03-10");
        case cases::Action::Rate: return cases::rate(*s, id, "基本满意", "", "2026-03-10");
    }
    return invalid("?");
}

}  // namespace

TEST_CASE("case statuses, names and the transition table") {
    CHECK(cases::statuses().size() == 7);
    CHECK(cases::parse_status("已答复").value() == "replied");
    CHECK(cases::parse_status("已办结").value() == "resolved");
    CHECK(cases::parse_status("in progress").value() == "in_progress");
    CHECK(cases::parse_status("已交办").value() == "assigned");
    CHECK_FALSE(cases::parse_status("done"));
    CHECK(cases::parse_satisfaction("基本满意").value() == "basically");
    CHECK(cases::parse_satisfaction("Satisfied").value() == "satisfied");
    CHECK_FALSE(cases::parse_satisfaction("很满意"));
    CHECK(cases::parse_feedback_channel("书面").value() == "written");
    CHECK(cases::parse_feedback_channel("in_person").value() == "in_person");

    // The whole table: which actions each status allows.
    const std::map<std::string, std::set<std::string>> allowed = {
        {"registered", {"assign"}},
        {"assigned", {"assign", "progress", "close"}},
        {"in_progress", {"assign", "progress", "close"}},
        {"replied", {"assign", "progress", "close"}},  // the station may still close it itself
        {"resolved", {"feedback"}},
        {"answered", {"rate"}},
        {"rated", {}},
    };
    for (const auto& entry : allowed) {
        const auto& status = entry.first;  // named: clang 14 cannot capture a structured binding
        const auto& ok = entry.second;
        std::set<std::string> got;
        for (auto a : cases::allowed_actions(status)) got.insert(cases::action_code(a));
        CHECK_MESSAGE(got == ok, status);
    }
    CHECK(cases::allowed_actions("from_a_newer_app").empty());

    auto no = cases::check("in_progress", cases::Action::Feedback);
    REQUIRE(no);
    CHECK(no->needs == "resolved");
    const std::string m = no->message();
    for (const char* part : {"办理中", "已反馈", "已办结", "in_progress", "answered", "resolved"})
        CHECK_MESSAGE(m.find(part) != std::string::npos, part);
    no = cases::check("resolved", cases::Action::Rate);
    REQUIRE(no);
    CHECK(no->needs == "answered");
    CHECK(no->message().find("已测评") != std::string::npos);
    no = cases::check("rated", cases::Action::Feedback);
    REQUIRE(no);
    CHECK(no->needs.empty());  // already past
    CHECK(no->message().find("已测评") != std::string::npos);
}

TEST_CASE("every transition from every status: allowed ones move the case, refused ones write nothing") {
    TestStation s;
    s.department("区住建局");
    const std::map<cases::Action, std::string> target = {{cases::Action::Assign, "assigned"},
                                                         {cases::Action::Progress, "in_progress"},
                                                         {cases::Action::Close, "resolved"},
                                                         {cases::Action::Feedback, "answered"},
                                                         {cases::Action::Rate, "rated"}};
    int allowed = 0, refused = 0;
    for (const auto& from : kAll) {
        for (const auto& step : target) {
            const auto& action = step.first;  // named: clang 14 cannot capture a structured binding
            const auto& to = step.second;
            CAPTURE(from);
            CAPTURE(cases::action_code(action));
            const std::string id = case_at(s, from);
            const auto before = cases::get(*s, id).value();
            const int64_t pending = s.pending();
            const bool should = !cases::check(from, action).has_value();
            auto st = act(s, id, action);
            const auto after = cases::get(*s, id).value();
            if (should) {
                ++allowed;
                REQUIRE(st);
                // Re-交办 and further progress notes keep the status; everything else moves it.
                const bool stays = (action == cases::Action::Assign && from != "registered") ||
                                   (action == cases::Action::Progress && from == "in_progress");
                CHECK(after.status == (stays ? from : to));
                CHECK(after.timeline.size() == before.timeline.size() + 1);
                CHECK(s.pending() > pending);
            } else {
                ++refused;
                REQUIRE_FALSE(st);
                CHECK(st.error().kind == Error::Kind::Invalid);
                CHECK(st.error().message.find(cases::status_zh(from)) != std::string::npos);
                CHECK(st.error().message.find(cases::status_zh(to)) != std::string::npos);
                CHECK(after.status == from);
                CHECK(after.timeline.size() == before.timeline.size());
                CHECK(s.pending() == pending);
            }
        }
    }
    CHECK(allowed == 9);
    CHECK(refused == 21);
}

TEST_CASE("a case from a visit: defaults, timeline rows, result, feedback and rating fields") {
    TestStation s;
    const std::string dep = s.deputy("陈明");
    const std::string dept = s.department("区住建局");
    liaison::store::Visit v;
    v.received_at = "2026-03-02 09:00";
    v.category = "教育";
    v.subject = "校门口拥堵";
    v.content = "上下学时段车辆乱停";
    v.deputy_ids = {dep};
    v.visitors.push_back(liaison::store::Visitor{"", "", "张三", "", "", ""});
    const std::string vid = s->add_visit(v).value();
    s->set_author("陈明");

    // One visit may raise several cases.
    const std::string c1 = s.add_case(vid, "规范停车", "");
    const std::string c2 = s.add_case(vid, "增设协管员", "2026-03-02 10:00", "交通出行");
    auto one = cases::get(*s, c1).value();
    CHECK(one.content == "上下学时段车辆乱停");  // the visit's content
    CHECK(one.category == "education");          // and category
    CHECK(one.status == "registered");
    CHECK(one.created_at == platform::local_datetime(s.now));  // the store's clock
    CHECK(cases::get(*s, c2)->category == "transport");
    cases::CaseQuery q;
    q.visit_id = vid;
    CHECK(cases::list(*s, q)->size() == 2);

    REQUIRE(cases::assign(*s, c2, "区住建局", "2026-03-20", "请两周内答复", "2026-03-03 08:00"));
    REQUIRE(cases::assign(*s, c2, dept, "2026-03-31", "延期", "2026-03-15 08:00"));  // re-交办
    REQUIRE(cases::progress(*s, c2, "已召开协调会", "2026-03-16 09:00"));
    REQUIRE(cases::progress(*s, c2, "已招募协管员", "2026-03-18 09:00"));
    REQUIRE(cases::close(*s, c2, "已设协管员两名", "2026-03-19 17:30"));
    REQUIRE(cases::feedback(*s, c2, "当面", "在联络站当面答复", "2026-03-20"));
    REQUIRE(cases::rate(*s, c2, "satisfied", "很及时", "2026-03-20 10:00"));
    auto c = cases::get(*s, c2).value();
    CHECK(c.status == "rated");
    CHECK(c.department_id == dept);
    CHECK(c.deadline == "2026-03-31");
    CHECK(c.result == "已设协管员两名");
    CHECK(c.resolved_at == "2026-03-19 17:30");
    CHECK(c.feedback_channel == "in_person");
    CHECK(c.satisfaction == "satisfied");
    CHECK(c.satisfaction_comment == "很及时");
    std::vector<std::string> kinds;
    for (const auto& e : c.timeline) {
        kinds.push_back(e.kind);
        CHECK(e.author == "陈明");
        CHECK(e.case_id == c2);
    }
    CHECK(kinds == std::vector<std::string>{"created", "assigned", "reassigned", "progress", "progress", "resolved",
                                            "answered", "rated"});
    CHECK(c.timeline[1].note.find("区住建局 2026-03-20") == 0);
    CHECK(c.timeline[1].note.find("请两周内答复") != std::string::npos);
    CHECK(c.timeline[5].at == "2026-03-19 17:30");
    CHECK(c.timeline[6].at == "2026-03-20 00:00");
    CHECK(c.timeline[6].note == "当面：在联络站当面答复");
    CHECK(c.timeline[7].note == "满意：很及时");

    // A date alone on the day of the previous step is not put before it.
    const std::string c3 = s.add_case("", "当天办结", "2026-03-05 15:00");
    REQUIRE(cases::assign(*s, c3, dept, "2026-03-31", "", "2026-03-05"));
    REQUIRE(cases::close(*s, c3, "已办", "2026-03-06"));
    auto t3 = cases::get(*s, c3)->timeline;
    REQUIRE(t3.size() == 3);
    CHECK(t3[1].at == "2026-03-05 15:00");
    CHECK(t3[2].at == "2026-03-06 00:00");

    // The timeline is separate rows: one change-record set per event, never rewritten.
    auto st = s->db().prepare("SELECT count(*) FROM case_events WHERE case_id = ?");
    st->bind(1, c2);
    REQUIRE(*st->step());
    CHECK(st->i64(0) == 8);
    auto trail = s->audit_trail("cases", c2).value();
    int status_changes = 0;
    for (const auto& e : trail)
        if (e.column == "status") ++status_changes;
    CHECK(status_changes == 6);  // registered, assigned, in_progress, resolved, answered, rated
}

TEST_CASE("bad input writes nothing: unknown ids, bad dates, invalid UTF-8, unknown names") {
    TestStation s;
    s.department("区住建局");
    const std::string dep = s.deputy("陈明");
    const std::string id = s.add_case("", "案件", "2026-03-01 09:00");
    const std::string bad = "\xff\xfe";
    const int64_t before = s.pending();
    std::vector<std::pair<const char*, Status>> tries;
    auto add = [&](const char* what, const cases::NewCase& n) {
        auto r = cases::add(*s, n);
        tries.emplace_back(what, r ? Status{} : Status{r.error()});
    };
    add("no title", {"", "", "c", "", {}, "", ""});
    add("unknown visit", {"01a0-no-such-visit", "t", "", "", {}, "", ""});
    add("bad title utf8", {"", "路灯" + bad, "", "", {}, "", ""});
    add("bad content utf8", {"", "t", bad, "", {}, "", ""});
    add("unknown category", {"", "t", "", "天文", {}, "", ""});
    add("unknown deputy", {"", "t", "", "", {"no-such-deputy"}, "", ""});
    add("bad date", {"", "t", "", "", {}, "2026-02-30", ""});
    add("bad time", {"", "t", "", "", {}, "2026-03-01 25:00", ""});
    tries.emplace_back("assign unknown id", cases::assign(*s, "no-such-case", "区住建局", "2026-03-30"));
    tries.emplace_back("assign unknown dept", cases::assign(*s, id, "区水务局", "2026-03-30"));
    tries.emplace_back("assign bad deadline", cases::assign(*s, id, "区住建局", "2026-13-01"));
    tries.emplace_back("assign no deadline", cases::assign(*s, id, "区住建局", ""));
    tries.emplace_back("assign deadline before registration", cases::assign(*s, id, "区住建局", "2026-02-01"));
    tries.emplace_back("assign bad note", cases::assign(*s, id, "区住建局", "2026-03-30", bad));
    tries.emplace_back("assign bad at", cases::assign(*s, id, "区住建局", "2026-03-30", "", "yesterday"));
    tries.emplace_back("assign at before registration",
                       cases::assign(*s, id, "区住建局", "2026-03-30", "", "2026-02-28"));
    tries.emplace_back("progress unknown id", cases::progress(*s, "no-such-case", "n"));
    tries.emplace_back("progress on registered", cases::progress(*s, id, "n"));
    tries.emplace_back("close on registered", cases::close(*s, id, "r"));
    tries.emplace_back("feedback on registered", cases::feedback(*s, id, "电话"));
    tries.emplace_back("rate on registered", cases::rate(*s, id, "满意"));
    REQUIRE(cases::assign(*s, id, "区住建局", "2026-03-30", "", "2026-03-02"));
    const int64_t after_assign = s.pending();
    tries.emplace_back("progress empty note", cases::progress(*s, id, ""));
    tries.emplace_back("progress bad utf8", cases::progress(*s, id, bad));
    tries.emplace_back("close empty result", cases::close(*s, id, ""));
    tries.emplace_back("close bad utf8", cases::close(*s, id, "已" + bad));
    REQUIRE(cases::close(*s, id, "已解决", "2026-03-05"));
    const int64_t after_close = s.pending();
    tries.emplace_back("feedback unknown channel", cases::feedback(*s, id, "微信"));
    tries.emplace_back("rate before feedback", cases::rate(*s, id, "满意"));
    REQUIRE(cases::feedback(*s, id, "", "", "2026-03-06"));
    const int64_t after_feedback = s.pending();
    tries.emplace_back("rate unknown satisfaction", cases::rate(*s, id, "很满意"));
    tries.emplace_back("rate bad comment", cases::rate(*s, id, "满意", bad));
    for (const auto& attempt : tries) {
        const auto& what = attempt.first;  // named: clang 14 cannot capture a structured binding
        const auto& st = attempt.second;
        CAPTURE(what);
        CHECK_FALSE(st);
        if (!st) {
            CHECK(st.error().message.find('\n') == std::string::npos);
            CHECK(st.error().message.find('\xff') == std::string::npos);  // never echoes the bad bytes
        }
    }
    CHECK(after_assign > before);
    CHECK(after_close > after_assign);
    CHECK(after_feedback > after_close);
    CHECK(s.pending() == after_feedback);
    auto c = cases::get(*s, id).value();
    CHECK(c.status == "answered");
    CHECK(c.timeline.size() == 4);  // created, assigned, resolved, answered
    auto unknown = cases::get(*s, "no-such-case");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().kind == Error::Kind::NotFound);
    auto dept = cases::find_department(*s, "区水务局");
    REQUIRE_FALSE(dept);
    CHECK(dept.error().message.find("liaison department add --name 区水务局") != std::string::npos);
    // A store without a station refuses to register cases.
    TestStation bare(false);
    CHECK_FALSE(cases::add(*bare, cases::NewCase{"", "t", "", "", {}, "", ""}));
    CHECK(bare.pending() == 0);
}

TEST_CASE("deadlines: overdue, due soon, on time, done; the list and the board put overdue first") {
    CHECK(cases::deadline_state("assigned", "2026-03-19", "2026-03-20") == cases::DeadlineState::Overdue);
    CHECK(cases::deadline_state("in_progress", "2026-03-20", "2026-03-20") == cases::DeadlineState::DueSoon);
    CHECK(cases::deadline_state("assigned", "2026-03-23", "2026-03-20") == cases::DeadlineState::DueSoon);
    CHECK(cases::deadline_state("assigned", "2026-03-24", "2026-03-20") == cases::DeadlineState::OnTime);
    CHECK(cases::deadline_state("resolved", "2026-03-01", "2026-03-20") == cases::DeadlineState::Done);
    CHECK(cases::deadline_state("registered", "", "2026-03-20") == cases::DeadlineState::None);
    // Across a month and a leap day.
    CHECK(cases::deadline_state("assigned", "2028-03-01", "2028-02-27") == cases::DeadlineState::DueSoon);
    CHECK(cases::deadline_state("assigned", "2027-03-03", "2027-02-27") == cases::DeadlineState::OnTime);
    CHECK(cases::day_number("1970-01-01") == 0);
    CHECK(cases::date_of_day(cases::day_number("2028-02-29") + 1) == "2028-03-01");

    TestStation s;  // today is 2026-03-20 on the store's clock
    s.department("区住建局");
    const std::string on_time = s.add_case("", "按期", "2026-03-01 09:00");
    REQUIRE(cases::assign(*s, on_time, "区住建局", "2026-04-30", "", "2026-03-01"));
    const std::string overdue = s.add_case("", "超期", "2026-03-01 09:00");
    REQUIRE(cases::assign(*s, overdue, "区住建局", "2026-03-15", "", "2026-03-01"));
    const std::string soon = s.add_case("", "临期", "2026-03-01 09:00");
    REQUIRE(cases::assign(*s, soon, "区住建局", "2026-03-22", "", "2026-03-01"));
    const std::string late_done = s.add_case("", "超期已办结", "2026-03-01 09:00");
    REQUIRE(cases::assign(*s, late_done, "区住建局", "2026-03-10", "", "2026-03-01"));
    REQUIRE(cases::close(*s, late_done, "已办", "2026-03-18"));
    const std::string fresh = s.add_case("", "新登记", "2026-03-19 09:00");

    auto rows = cases::list(*s).value();
    std::vector<std::string> order;
    order.reserve(rows.size());
    for (const auto& r : rows) order.push_back(r.id);
    CHECK(order == std::vector<std::string>{overdue, soon, on_time, fresh, late_done});
    CHECK(rows[0].deadline_state == cases::DeadlineState::Overdue);
    CHECK(rows[0].department_name == "区住建局");

    cases::CaseQuery q;
    q.overdue_only = true;
    auto od = cases::list(*s, q).value();
    REQUIRE(od.size() == 1);
    CHECK(od[0].id == overdue);
    q.today = "2026-04-01";  // ten days later another one is overdue
    CHECK(cases::list(*s, q)->size() == 2);
    q = {};
    q.status = "交办";
    CHECK(cases::list(*s, q)->size() == 3);
    q.status = "nonsense";
    CHECK_FALSE(cases::list(*s, q));

    auto board = cases::board(*s).value();
    REQUIRE(board.size() == 7);
    CHECK(board[0].status == "registered");
    CHECK(board[0].cases.size() == 1);
    CHECK(board[1].status == "assigned");
    REQUIRE(board[1].cases.size() == 3);
    CHECK(board[1].cases[0].id == overdue);
    CHECK(board[3].status == "replied");
    CHECK(board[3].cases.empty());
    CHECK(board[4].status == "resolved");
    CHECK(board[4].cases.size() == 1);
}

TEST_CASE("the board's search and filters: title or content, department, overdue, combined") {
    TestStation s;  // today is 2026-03-20
    s.department("区住建局");
    s.department("区交通局");
    auto add = [&](const std::string& title, const std::string& content, const std::string& category) {
        cases::NewCase n;
        n.title = title;
        n.content = content;
        n.category = category;
        n.at = "2026-03-01 09:00";
        auto id = cases::add(*s, n);
        REQUIRE(id);
        return *id;
    };
    const std::string lamp = add("修复村口路灯", "晚上太黑", "urban");
    const std::string bus = add("增开公交线路", "村口到地铁站没有车", "transport");
    const std::string wifi = add("Free WiFi 100%_ok", "", "other");
    const std::string road = add("道路破损", "村口路面坑洼", "urban");
    REQUIRE(cases::assign(*s, lamp, "区住建局", "2026-03-10", "", "2026-03-02"));  // overdue
    REQUIRE(cases::assign(*s, bus, "区交通局", "2026-03-10", "", "2026-03-02"));   // overdue
    REQUIRE(cases::assign(*s, road, "区住建局", "2026-04-30", "", "2026-03-02"));  // on time

    auto ids = [&](const cases::CaseQuery& q) {
        std::set<std::string> out;
        auto rows = cases::list(*s, q);
        REQUIRE(rows);
        for (const auto& r : *rows) out.insert(r.id);
        return out;
    };
    cases::CaseQuery q;
    q.text = "村口";  // in lamp's title, bus's and road's content
    CHECK(ids(q) == std::set<std::string>{lamp, bus, road});
    q.text = "路灯";
    CHECK(ids(q) == std::set<std::string>{lamp});
    q.text = "wifi";  // ASCII letters in any case
    CHECK(ids(q) == std::set<std::string>{wifi});
    q.text = "%_";  // no wildcards: the characters themselves
    CHECK(ids(q) == std::set<std::string>{wifi});
    q.text = "%";
    CHECK(ids(q) == std::set<std::string>{wifi});
    q.text = "没有这样的";
    CHECK(ids(q).empty());
    q.text = "'; DROP TABLE cases; --";
    CHECK(ids(q).empty());
    CHECK(cases::list(*s)->size() == 4);

    q = {};
    q.department = "区住建局";  // by name
    CHECK(ids(q) == std::set<std::string>{lamp, road});
    q.department = cases::find_department(*s, "区交通局")->id;  // by id
    CHECK(ids(q) == std::set<std::string>{bus});
    q.department = "区教育局";
    CHECK_FALSE(cases::list(*s, q));

    // Combined: search, department, category and overdue all apply.
    q = {};
    q.text = "村口";
    q.department = "区住建局";
    CHECK(ids(q) == std::set<std::string>{lamp, road});
    q.overdue_only = true;
    CHECK(ids(q) == std::set<std::string>{lamp});
    q.overdue_only = false;
    q.category = "urban";
    CHECK(ids(q) == std::set<std::string>{lamp, road});
    q.category = "transport";
    CHECK(ids(q).empty());

    // The board takes the same filters, every column still there.
    q = {};
    q.text = "村口";
    q.status = "registered";  // ignored by the board
    auto board = cases::board(*s, q).value();
    REQUIRE(board.size() == 7);
    CHECK(board[0].cases.empty());
    CHECK(board[1].cases.size() == 3);
}

TEST_CASE("two devices move the same case at once: one status wins, a conflict is kept, both events stay") {
    TestStation a;
    TestStation b(false);  // a second tablet of the station, filled by sync
    a.department("区住建局");
    const std::string id = a.add_case("", "同时办理", "2026-03-01 09:00");
    REQUIRE(cases::assign(*a, id, "区住建局", "2026-03-30", "", "2026-03-02"));
    auto ship = [](TestStation& from, TestStation& to) {
        std::vector<sync::FieldChange> changes;
        auto pending = from->replica().pending(1000000);
        REQUIRE(pending);
        for (auto& e : *pending) changes.push_back(e.change);
        REQUIRE(to->replica().apply_remote(changes));
    };
    ship(a, b);
    CHECK(cases::get(*b, id)->status == "assigned");
    b.now += 1000;
    REQUIRE(cases::progress(*a, id, "甲：已开始办理", "2026-03-03 09:00"));
    REQUIRE(cases::close(*b, id, "乙：已办结", "2026-03-03 10:00"));
    ship(a, b);
    ship(b, a);
    auto ca = cases::get(*a, id).value(), cb = cases::get(*b, id).value();
    CHECK(ca.status == cb.status);
    CHECK(ca.timeline.size() == 4);  // created, assigned, progress, resolved: events never conflict
    CHECK(cb.timeline.size() == 4);
    bool status_conflict = false;
    auto conflicts = a->conflicts();
    REQUIRE(conflicts);
    for (const auto& c : *conflicts)
        if (c.table == "cases" && c.column == "status") status_conflict = true;
    CHECK(status_conflict);
}

// ---------------------------------------------------------------- duty and activities

TEST_CASE("duty slots and activities: validation, listing, and the deputy's record over a period") {
    TestStation s;
    const std::string a = s.deputy("陈明"), b = s.deputy("李华");
    namespace duty = liaison::store::duty;
    CHECK(duty::deputy_ids_from_names(*s, "陈明、李华").value() == std::vector<std::string>{a, b});
    CHECK(duty::deputy_ids_from_names(*s, a + ", 陈明").value() == std::vector<std::string>{a});
    CHECK_FALSE(duty::deputy_ids_from_names(*s, "无名氏"));

    const int64_t before = s.pending();
    CHECK_FALSE(duty::add_slot(*s, DutySlot{"", "", "2026-02-30", "09:00", "11:00", {a}, ""}));
    CHECK_FALSE(duty::add_slot(*s, DutySlot{"", "", "2026-03-05", "9:00", "11:00", {a}, ""}));
    CHECK_FALSE(duty::add_slot(*s, DutySlot{"", "", "2026-03-05", "11:00", "09:00", {a}, ""}));
    CHECK_FALSE(duty::add_slot(*s, DutySlot{"", "", "2026-03-05", "09:00", "24:00", {a}, ""}));
    CHECK_FALSE(duty::add_slot(*s, DutySlot{"", "", "2026-03-05", "09:00", "11:00", {}, ""}));
    CHECK_FALSE(duty::add_slot(*s, DutySlot{"", "", "2026-03-05", "09:00", "11:00", {"nobody"}, ""}));
    CHECK_FALSE(duty::add_slot(*s, DutySlot{"", "", "2026-03-05", "09:00", "11:00", {a}, "\xc3"}));
    CHECK_FALSE(duty::add_activity(*s, Activity{"", a, "接待选民", "2026-03-06", ""}));  // counted from visits
    CHECK_FALSE(duty::add_activity(*s, Activity{"", a, "开会", "2026-03-06", ""}));
    CHECK_FALSE(duty::add_activity(*s, Activity{"", a, "培训", "2026-3-6", ""}));
    CHECK_FALSE(duty::add_activity(*s, Activity{"", "nobody", "培训", "2026-03-06", ""}));
    CHECK_FALSE(duty::add_activity(*s, Activity{"", a, "培训", "2026-03-06", "\xe4\xb8"}));
    CHECK_FALSE(duty::remove_slot(*s, "nothing"));
    CHECK_FALSE(duty::remove_activity(*s, "nothing"));
    CHECK(s.pending() == before);

    const std::string slot1 =
        duty::add_slot(*s, DutySlot{"", "", "2026-03-05", "09:00", "11:30", {a, b}, "接待日"}).value();
    const std::string slot2 = duty::add_slot(*s, DutySlot{"", "", "2026-03-12", "14:00", "17:00", {b}, ""}).value();
    duty::add_slot(*s, DutySlot{"", "", "2026-04-02", "09:00", "11:00", {a}, ""}).value();
    auto march = duty::slots(*s, "2026-03-01", "2026-03-31").value();
    REQUIRE(march.size() == 2);
    CHECK(march[0].id == slot1);
    CHECK(march[0].deputy_ids == std::vector<std::string>{a, b});
    CHECK(march[0].start == "09:00");
    CHECK(march[0].note == "接待日");
    CHECK(duty::slots(*s, "2026-03-12", "2026-03-12")->size() == 1);
    REQUIRE(duty::remove_slot(*s, slot2));
    CHECK(duty::slots(*s, "2026-03-01", "2026-03-31")->size() == 1);

    duty::add_activity(*s, Activity{"", a, "视察调研", "2026-03-12", "河道整治视察"}).value();
    duty::add_activity(*s, Activity{"", a, "law_check", "2026-03-20", ""}).value();
    duty::add_activity(*s, Activity{"", a, "走访", "2026-03-31", "走访困难户"}).value();
    duty::add_activity(*s, Activity{"", a, "培训", "2026-04-02", ""}).value();  // outside March
    duty::add_activity(*s, Activity{"", b, "培训", "2026-03-15", ""}).value();  // another deputy
    CHECK(duty::activities(*s, a).value().size() == 4);
    CHECK(duty::activities(*s, "", "2026-03-01", "2026-03-31").value().size() == 4);
    CHECK(duty::activities(*s, a, "2026-03-01", "2026-03-31")->front().date == "2026-03-31");  // newest first

    s.visit("2026-03-02 09:00", "urban", 3, {a});
    s.visit("2026-03-05 10:00", "urban", 2, {a, b});
    s.visit("2026-03-10 14:00", "education", 5, {b});
    s.visit("2026-04-01 09:00", "education", 4, {a});
    auto rec = duty::deputy_record(*s, a, "2026-03-01", "2026-03-31").value();
    CHECK(rec.deputy.name == "陈明");
    CHECK(rec.visits == 2);
    CHECK(rec.people == 5);
    CHECK(rec.duty_slots == 1);
    CHECK(rec.by_type["reception"] == 2);
    CHECK(rec.by_type["inspection"] == 1);
    CHECK(rec.by_type["law_check"] == 1);
    CHECK(rec.by_type["outreach"] == 1);
    CHECK(rec.by_type["training"] == 0);
    CHECK(rec.activity_count() == 5);
    REQUIRE(rec.entries.size() == 6);  // 2 receptions, 3 activities, 1 duty slot
    CHECK(rec.entries.front().date == "2026-03-31");
    CHECK(rec.entries.back().date == "2026-03-02");
    CHECK(rec.entries.back().type == "reception");
    CHECK(rec.entries.back().people == 3);
    auto all = duty::deputy_record(*s, a).value();
    CHECK(all.visits == 3);
    CHECK(all.by_type["training"] == 1);
    CHECK(all.duty_slots == 2);
    CHECK_FALSE(duty::deputy_record(*s, "nobody"));
    CHECK_FALSE(duty::deputy_record(*s, a, "2026-03-31", "2026-03-01"));
    CHECK_FALSE(duty::deputy_record(*s, a, "March"));
}

TEST_CASE("ids made in a burst (many in one millisecond) sort in the order they were made") {
    // Timelines order the events of one minute by id: two steps a few microseconds apart (the
    // console's 签收 then 办理进展) must not swap.
    std::vector<std::string> ids;
    ids.reserve(5000);
    for (int i = 0; i < 5000; ++i) ids.push_back(platform::new_id());
    CHECK(std::is_sorted(ids.begin(), ids.end()));
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
    for (const auto& id : ids) REQUIRE(sync::looks_like_uuid(id));
}

TEST_CASE("phone_shown: the feedback step's full phone is recorded on the timeline, without the number") {
    TestStation s;
    s.department("区住建局");
    const std::string id = case_at(s, "resolved");
    s->set_author("王敏");
    const size_t before = cases::get(*s, id)->timeline.size();
    REQUIRE(cases::phone_shown(*s, id));
    const auto k = cases::get(*s, id).value();
    REQUIRE(k.timeline.size() == before + 1);
    CHECK(k.timeline.back().kind == "phone_viewed");  // as the console's phone look-up
    CHECK(k.timeline.back().author == "王敏");
    CHECK(k.timeline.back().note.empty());  // no number in the record
    CHECK(k.status == "resolved");          // a look, not a step
    CHECK(cases::phone_shown(*s, "no-such-case").error().kind == Error::Kind::NotFound);
}
