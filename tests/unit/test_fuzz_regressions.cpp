// Inputs the fuzz targets (tests/fuzz, docs/fuzzing.md) found, kept as unit tests.
#include <doctest/doctest.h>

#include "sync/core/hlc.h"

using liaison::sync::Hlc;

TEST_CASE("a clock stamp has one spelling: upper-case hex in the counter is refused") {
    // fuzz_hlc: parse accepted "0000C000" and printed it back as "0000c000", so two texts named
    // one stamp, and stamps are compared as text.
    CHECK_FALSE(Hlc::parse("001700000000000-0000C000-dev1"));
    CHECK_FALSE(Hlc::parse("001700000000000-ABCDEF01-dev1"));
    auto lower = Hlc::parse("001700000000000-0000c000-dev1");
    REQUIRE(lower);
    CHECK(lower->counter == 0xc000u);
    CHECK(lower->str() == "001700000000000-0000c000-dev1");
}

TEST_CASE("a clock stamp has one spelling: a minus sign before a zero wall time is refused") {
    // fuzz_hlc: "-00000000000000" read as wall time 0 and printed back as "000000000000000".
    CHECK_FALSE(Hlc::parse("-00000000000000-00000000-dev1"));
    CHECK_FALSE(Hlc::parse("-00000000000001-00000000-dev1"));
    auto zero = Hlc::parse("000000000000000-00000000-dev1");
    REQUIRE(zero);
    CHECK(zero->wall_ms == 0);
}
