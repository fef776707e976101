#include <doctest/doctest.h>

#include "sync/core/hlc.h"

using liaison::sync::Hlc;
using liaison::sync::HlcClock;

TEST_CASE("hlc text form round-trips and sorts like the clock") {
    Hlc a{1700000000000, 3, "tabA"};
    auto p = Hlc::parse(a.str());
    REQUIRE(p);
    CHECK(*p == a);
    Hlc b{1700000000000, 12, "tabA"};
    Hlc c{1700000000001, 0, "tabA"};
    CHECK(a < b);
    CHECK(b < c);
    CHECK(a.str() < b.str());
    CHECK(b.str() < c.str());
    CHECK_FALSE(Hlc::parse("garbage"));
    CHECK_FALSE(Hlc::parse("000001700000000-00000003-"));
    CHECK_FALSE(Hlc::parse("000001700000000-0000000g-x"));
}

TEST_CASE("local ticks are strictly increasing even when the wall clock stands still or goes back") {
    HlcClock clk("dev1");
    Hlc prev = clk.tick(1000);
    for (int64_t wall : {1000, 999, 500, 1000, 1001, 1001}) {
        Hlc next = clk.tick(wall);
        CHECK(prev < next);
        prev = next;
    }
}

TEST_CASE("a tablet a few minutes behind still stamps after what it has received") {
    const int64_t day = 86400000, minute = 60000;
    HlcClock ahead("ahead");
    HlcClock behind("behind");
    Hlc remote = ahead.tick(10 * day);
    behind.observe(remote, 10 * day - 4 * minute);
    Hlc local = behind.tick(10 * day - 4 * minute + 5);
    CHECK(remote < local);
    // and once the wall clock passes the observed time, it returns to wall time
    Hlc later = behind.tick(11 * day);
    CHECK(later.wall_ms == 11 * day);
    CHECK(later.counter == 0);
}

TEST_CASE("a full counter never wraps: the next stamp is still later") {
    HlcClock clk("dev1", Hlc{1000, 0xffffffffu, "dev1"});
    Hlc next = clk.tick(1000);
    CHECK(Hlc{1000, 0xffffffffu, "dev1"} < next);
    CHECK(next.wall_ms == 1001);
    CHECK(next.counter == 0);
    // Observing a stamp with a full counter at the current wall time.
    HlcClock obs("dev2");
    Hlc full{5000, 0xffffffffu, "other"};
    obs.observe(full, 5000);
    Hlc after = obs.tick(5000);
    CHECK(full < after);
    CHECK(full.str() < after.str());
}

TEST_CASE("a stamp far ahead of the wall clock is not adopted; one within the bound is") {
    const int64_t now = 1750000000000;
    HlcClock clk("tab");
    clk.tick(now);
    clk.observe(Hlc{999999999999999, 0xffffffffu, "hostile"}, now);
    clk.observe(Hlc{now + 3LL * 86400000, 0, "tab2"}, now);
    Hlc mine = clk.tick(now + 1);
    CHECK(mine.wall_ms == now + 1);
    clk.observe(Hlc{now + 60000, 7, "tab2"}, now);
    CHECK(Hlc{now + 60000, 7, "tab2"} < clk.tick(now + 2));
}

TEST_CASE("observe handles equal walls by taking the larger counter") {
    HlcClock a("a");
    a.tick(100);
    a.observe(Hlc{100, 7, "b"}, 50);
    CHECK(a.last().wall_ms == 100);
    CHECK(a.last().counter == 8);
    CHECK(a.last().node == "a");
}
