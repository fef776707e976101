// The arithmetic behind the statistics charts (docs/app.md, "Statistics"), kept apart from the
// drawing so it can be tested. Pure functions (no ImGui).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace liaison::ui::charts {

// The part of a share bar's track to fill. The track is the whole (100 %), so a share of 31.6 %
// (permille 316) fills 0.316 of it, whatever the other bars hold. Clamped to [0, 1]; 0 when
// there is no share (permille -1: the total was 0).
float share_fill(int64_t permille);

struct MonthCount {
    std::string month;  // YYYY-MM
    int64_t value = 0;
};
struct MonthSlot {
    std::string month;  // YYYY-MM
    int64_t value = 0;
    std::string year;      // "2026" on the first slot and where the year changes, else ""
    bool current = false;  // the month in progress: counted so far (本月至今)
};
// The months to chart, in the order given: months after `this_month` (YYYY-MM) are left out,
// since nothing can have been counted in them yet; the month equal to it is marked current.
std::vector<MonthSlot> month_series(const std::vector<MonthCount>& counts, const std::string& this_month);

}  // namespace liaison::ui::charts
