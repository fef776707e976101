// The statistics charts' arithmetic (client/ui/charts.h).
#include "client/ui/charts.h"

#include <algorithm>

namespace liaison::ui::charts {

float share_fill(int64_t permille) {
    if (permille <= 0) return 0.0f;
    return static_cast<float>(std::min<int64_t>(permille, 1000)) / 1000.0f;
}

std::vector<MonthSlot> month_series(const std::vector<MonthCount>& counts, const std::string& this_month) {
    std::vector<MonthSlot> out;
    std::string last_year;
    for (const auto& c : counts) {
        if (c.month.size() < 7 || c.month > this_month) continue;  // YYYY-MM compares as text
        MonthSlot m{c.month, c.value, "", c.month == this_month};
        const std::string year = c.month.substr(0, 4);
        if (year != last_year) m.year = year;
        last_year = year;
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace liaison::ui::charts
