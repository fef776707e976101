// Who is on duty: the kiosk's deputy step (slots running now), the sign-in view's tiles (slots of
// today not over) and duty held (a shift from sign-in to sign-out).
#include <doctest/doctest.h>

#include <algorithm>
#include <ctime>
#include <fstream>

#include "cases_fixture.h"
#include "client/store/duty_board.h"
#include "platform/platform.h"

using namespace liaison;
using namespace liaison::store;
using testing_support::TestStation;
namespace duty = liaison::store::duty;

namespace {
std::vector<std::string> ids(const std::vector<duty::OnDuty>& v) {
    std::vector<std::string> r;
    r.reserve(v.size());
    for (const auto& d : v) r.push_back(d.deputy_id);
    return r;
}
}  // namespace

TEST_CASE("on duty: slots before, during and after now; start included, end excluded") {
    const std::vector<DutySlot> slots = {
        {"s1", "", "2026-03-20", "08:00", "10:00", {"early"}, ""},      // over
        {"s2", "", "2026-03-20", "09:00", "12:00", {"a", "b"}, ""},     // running
        {"s3", "", "2026-03-20", "14:00", "17:00", {"late"}, ""},       // not yet
        {"s4", "", "2026-03-19", "09:00", "12:00", {"yesterday"}, ""},  // another day
        {"s5", "", "2026-03-20", "10:00", "11:00", {"b", "c"}, ""},     // overlaps: b once
    };
    auto now = duty::on_duty(slots, "2026-03-20", "10:30");
    CHECK(ids(now) == std::vector<std::string>{"a", "b", "c"});
    REQUIRE(now.size() == 3);
    CHECK(now[0].start == "09:00");
    CHECK(now[0].end == "12:00");
    CHECK(now[2].start == "10:00");

    CHECK(ids(duty::on_duty(slots, "2026-03-20", "07:59")).empty());
    CHECK(ids(duty::on_duty(slots, "2026-03-20", "08:00")) == std::vector<std::string>{"early"});        // start: on
    CHECK(ids(duty::on_duty(slots, "2026-03-20", "10:00")) == std::vector<std::string>{"a", "b", "c"});  // s1 ended
    CHECK(ids(duty::on_duty(slots, "2026-03-20", "12:00")).empty());                                     // end: off
    CHECK(ids(duty::on_duty(slots, "2026-03-20", "16:59")) == std::vector<std::string>{"late"});
    CHECK(ids(duty::on_duty(slots, "2026-03-20", "17:00")).empty());
    CHECK(ids(duty::on_duty(slots, "2026-03-21", "10:30")).empty());
    CHECK(ids(duty::on_duty({}, "2026-03-20", "10:30")).empty());
}

TEST_CASE("on duty from the store, at the store's clock (local time)") {
    TestStation s;
    std::tm noon{};  // 2026-03-20 12:00 local: the slots below stay within the day in any zone
    noon.tm_year = 2026 - 1900;
    noon.tm_mon = 2;
    noon.tm_mday = 20;
    noon.tm_hour = 12;
    noon.tm_isdst = -1;
    s.now = static_cast<int64_t>(std::mktime(&noon)) * 1000;
    const std::string a = s.deputy("陈明"), b = s.deputy("李华"), c = s.deputy("王芳");
    const std::string day = platform::local_date(s.now);
    // A slot over an hour ago, one running now, one from an hour on.
    auto at = [&](int64_t delta_min) { return platform::local_datetime(s.now + delta_min * 60000).substr(11, 5); };
    REQUIRE(day == "2026-03-20");
    duty::add_slot(*s, DutySlot{"", "", day, at(-120), at(-60), {a}, ""}).value();
    duty::add_slot(*s, DutySlot{"", "", day, at(-30), at(30), {b}, ""}).value();
    duty::add_slot(*s, DutySlot{"", "", day, at(60), at(120), {c}, ""}).value();

    auto now = duty::on_duty(*s, s->now());
    REQUIRE(now);
    CHECK(ids(*now) == std::vector<std::string>{b});
    s.now += 31 * 60000;  // b's slot is over, c's not begun
    CHECK(duty::on_duty(*s, s->now())->empty());
    s.now += 30 * 60000;
    CHECK(ids(*duty::on_duty(*s, s->now())) == std::vector<std::string>{c});
    s.now -= 61 * 60000 + 3 * 60 * 60000;  // 09:00: before any
    CHECK(duty::on_duty(*s, s->now())->empty());
}

// ---- the sign-in view's duty (docs/app.md "Sign-in"): slots of today not over yet ----

TEST_CASE("on duty today: running and later slots of the day, not those over") {
    const std::vector<DutySlot> slots = {
        {"s1", "", "2026-03-20", "08:00", "10:00", {"early"}, ""},
        {"s2", "", "2026-03-20", "09:00", "12:00", {"a", "b"}, ""},
        {"s3", "", "2026-03-20", "14:00", "17:00", {"late", "a"}, ""},
        {"s4", "", "2026-03-21", "09:00", "12:00", {"tomorrow"}, ""},
    };
    auto day = duty::on_duty_today(slots, "2026-03-20", "10:30");
    CHECK(ids(day) == std::vector<std::string>{"a", "b", "late"});
    REQUIRE(day.size() == 3);
    CHECK(day[0].slot_id == "s2");  // a's first slot not over
    CHECK(day[2].start == "14:00");
    // Before anything started, everyone of the day; an early arrival is on today's duty.
    CHECK(ids(duty::on_duty_today(slots, "2026-03-20", "07:00")) ==
          std::vector<std::string>{"early", "a", "b", "late"});
    CHECK(ids(duty::on_duty_today(slots, "2026-03-20", "12:00")) == std::vector<std::string>{"late", "a"});
    CHECK(duty::on_duty_today(slots, "2026-03-20", "12:00")[1].slot_id == "s3");
    CHECK(ids(duty::on_duty_today(slots, "2026-03-20", "17:00")).empty());
}

TEST_CASE("duty held: a shift starts once a day, ends at sign-out, and is in the deputy's record") {
    TestStation s;  // 2026-03-20 04:00 UTC
    const std::string a = s.deputy("陈明"), b = s.deputy("李华");
    const std::string day = platform::local_date(s.now);
    const std::string slot = duty::add_slot(*s, DutySlot{"", "", day, "00:00", "23:59", {a, b}, ""}).value();
    const std::string t0 = platform::local_datetime(s.now);

    auto first = duty::start_shift(*s, a, slot);
    REQUIRE(first);
    s.now += 10 * 60000;  // the idle lock, then the same deputy again: the same shift
    auto again = duty::start_shift(*s, a, slot);
    REQUIRE(again);
    CHECK(*again == *first);
    auto open = duty::open_shifts(*s, day);
    REQUIRE(open);
    REQUIRE(open->size() == 1);
    CHECK((*open)[0].deputy_id == a);
    CHECK((*open)[0].started_at == t0);
    CHECK((*open)[0].ended_at.empty());

    REQUIRE(duty::start_shift(*s, b, slot));
    CHECK(duty::open_shifts(*s, day)->size() == 2);

    s.now += 50 * 60000;
    const std::string t1 = platform::local_datetime(s.now);
    REQUIRE(duty::end_shifts(*s, a));
    open = duty::open_shifts(*s, day);
    REQUIRE(open->size() == 1);  // b's duty goes on
    CHECK((*open)[0].deputy_id == b);
    REQUIRE(duty::end_shifts(*s, a));  // nothing open: nothing happens

    // Signing in later the same day starts a new shift.
    s.now += 5 * 60000;
    auto later = duty::start_shift(*s, a, slot);
    REQUIRE(later);
    CHECK(*later != *first);

    auto rec = duty::deputy_record(*s, a, day, day);
    REQUIRE(rec);
    CHECK(rec->shifts == 2);
    CHECK(rec->duty_slots == 1);
    std::vector<std::string> held;
    for (const auto& e : rec->entries)
        if (e.type == "shift") held.push_back(e.text);
    std::sort(held.begin(), held.end());
    REQUIRE(held.size() == 2);
    CHECK(held[0] == t0.substr(11, 5) + "-" + t1.substr(11, 5));
    CHECK(held[1] == platform::local_datetime(s.now).substr(11, 5) + "-");  // still on duty
}

TEST_CASE("duty held: bad input writes nothing") {
    TestStation s;
    const std::string a = s.deputy("陈明");
    const std::string day = platform::local_date(s.now);
    const std::string slot = duty::add_slot(*s, DutySlot{"", "", day, "00:00", "23:59", {a}, ""}).value();
    const int64_t before = s.pending();
    CHECK_FALSE(duty::start_shift(*s, "nobody", slot));
    CHECK_FALSE(duty::start_shift(*s, a, "no-slot"));
    CHECK_FALSE(duty::open_shifts(*s, "2026-02-30"));
    CHECK(duty::end_shifts(*s, ""));
    CHECK(s.pending() == before);
}

TEST_CASE("duty board: the coming days' slots, read back for a cold start") {
    TestStation s;
    const std::string a = s.deputy("陈明");
    const std::string day = platform::local_date(s.now);
    const auto path = (s.dir / "duty_board.json").string();
    CHECK(duty::load_board(path)->empty());  // no board yet: nobody first
    const std::string next = cases::date_of_day(cases::day_number(day) + 1);
    const std::string far = cases::date_of_day(cases::day_number(day) + duty::kBoardDays);
    const std::string past = cases::date_of_day(cases::day_number(day) - 1);
    duty::add_slot(*s, DutySlot{"", "", day, "09:00", "12:00", {a}, "接待日"}).value();
    duty::add_slot(*s, DutySlot{"", "", next, "14:00", "17:00", {a}, ""}).value();
    duty::add_slot(*s, DutySlot{"", "", far, "09:00", "12:00", {a}, ""}).value();
    duty::add_slot(*s, DutySlot{"", "", past, "09:00", "12:00", {a}, ""}).value();
    REQUIRE(duty::save_board(*s, path));
    auto board = duty::load_board(path);
    REQUIRE(board);
    REQUIRE(board->size() == 2);  // today and tomorrow; not yesterday, not past the board's days
    CHECK((*board)[0].date == day);
    CHECK((*board)[0].deputy_ids == std::vector<std::string>{a});
    CHECK((*board)[0].note.empty());  // no notes on the board
    CHECK(ids(duty::on_duty_today(*board, day, "10:00")) == std::vector<std::string>{a});

    std::ofstream(path) << "{not json";
    auto bad = duty::load_board(path);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == Error::Kind::Corrupt);
}
