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

TEST_CASE("a tablet a day behind still stamps after what it has received") {
    const int64_t day = 86400000;
    HlcClock ahead("ahead");
    HlcClock behind("behind");
    Hlc remote = ahead.tick(10 * day);
    behind.observe(remote, 9 * day);
    Hlc local = behind.tick(9 * day + 5);
    CHECK(remote < local);
    // and once the wall clock passes the observed time, it returns to wall time
    Hlc later = behind.tick(11 * day);
    CHECK(later.wall_ms == 11 * day);
    CHECK(later.counter == 0);
}

TEST_CASE("observe handles equal walls by taking the larger counter") {
    HlcClock a("a");
    a.tick(100);
    a.observe(Hlc{100, 7, "b"}, 50);
    CHECK(a.last().wall_ms == 100);
    CHECK(a.last().counter == 8);
    CHECK(a.last().node == "a");
}
