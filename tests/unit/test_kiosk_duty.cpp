// The kiosk's deputy step: only the deputies whose duty slot is running now (start <= now < end).
#include <doctest/doctest.h>

#include <ctime>

#include "cases_fixture.h"
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
