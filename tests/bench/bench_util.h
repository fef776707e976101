// What the benchmarks share: elapsed milliseconds and percentiles of a sample.
#pragma once
#include <algorithm>
#include <chrono>
#include <vector>

namespace liaison::bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// The p-th percentile (0..1) of the sample, the nearest rank at or above; 0 for an empty one.
inline double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace liaison::bench
