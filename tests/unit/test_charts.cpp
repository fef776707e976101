// The statistics charts' arithmetic (client/ui/charts.h): share bars fill a 100 % track, the
// month series marks years and the month in progress and leaves out months still to come.
#include <doctest/doctest.h>

#include <cstdio>

#include "client/ui/charts.h"

using namespace liaison::ui::charts;

TEST_CASE("a share fills its own part of a 100 % track") {
    CHECK(share_fill(316) == doctest::Approx(0.316));  // 31.6 % is not the whole track
    CHECK(share_fill(1000) == doctest::Approx(1.0));
    CHECK(share_fill(0) == doctest::Approx(0.0));
    CHECK(share_fill(5) == doctest::Approx(0.005));
    CHECK(share_fill(-1) == doctest::Approx(0.0));    // no total: nothing to fill
    CHECK(share_fill(1200) == doctest::Approx(1.0));  // never past the track
}

namespace {
std::vector<MonthCount> twelve_from(int year, int month) {
    std::vector<MonthCount> v;
    for (int i = 0; i < 12; ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
        v.push_back({buf, i + 1});
        if (++month > 12) month = 1, ++year;
    }
    return v;
}
}  // namespace

TEST_CASE("a series over a year boundary marks each year where it starts") {
    const auto s = month_series(twelve_from(2025, 12), "2026-11");  // 2025-12 .. 2026-11
    REQUIRE(s.size() == 12);
    CHECK(s[0].month == "2025-12");
    CHECK(s[0].year == "2025");  // the first slot says its year
    CHECK(s[1].month == "2026-01");
    CHECK(s[1].year == "2026");  // January after December: the year changes
    for (size_t i = 2; i < s.size(); ++i) CHECK(s[i].year.empty());
    CHECK(s[1].value == 2);
    CHECK(s[11].current);  // 2026-11 is in progress
    for (size_t i = 0; i < 11; ++i) CHECK_FALSE(s[i].current);
}

TEST_CASE("months after the current one are left out, not drawn as 0") {
    const auto s = month_series(twelve_from(2026, 1), "2026-03");  // a year view in March
    REQUIRE(s.size() == 3);
    CHECK(s[0].month == "2026-01");
    CHECK(s[0].year == "2026");
    CHECK(s[2].month == "2026-03");
    CHECK(s[2].current);
    // a year entirely past: all twelve, none current
    const auto past = month_series(twelve_from(2025, 1), "2026-03");
    CHECK(past.size() == 12);
    for (const auto& m : past) CHECK_FALSE(m.current);
    // a year entirely to come: nothing to draw
    CHECK(month_series(twelve_from(2027, 1), "2026-03").empty());
}
