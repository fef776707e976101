#include "sync/core/hlc.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace liaison::sync {

std::string Hlc::str() const {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%015lld-%08x-", static_cast<long long>(wall_ms), counter);
    return buf + node;
}

std::optional<Hlc> Hlc::parse(std::string_view t) {
    // 15 digits, '-', 8 hex digits, '-', node (non-empty)
    if (t.size() < 26 || t[15] != '-' || t[24] != '-' || t[0] == '-')
        return std::nullopt;  // no sign: "-0..." read as 0
    Hlc h;
    auto r1 = std::from_chars(t.data(), t.data() + 15, h.wall_ms);
    if (r1.ec != std::errc() || r1.ptr != t.data() + 15 || h.wall_ms < 0) return std::nullopt;
    auto r2 = std::from_chars(t.data() + 16, t.data() + 24, h.counter, 16);
    if (r2.ec != std::errc() || r2.ptr != t.data() + 24) return std::nullopt;
    // Lower-case hex only, as str() writes it: one text per stamp, since stamps compare as text.
    if (std::any_of(t.begin() + 16, t.begin() + 24, [](char c) { return c >= 'A' && c <= 'F'; })) return std::nullopt;
    h.node = std::string(t.substr(25));
    for (char c : h.node)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return std::nullopt;
    return h;
}

HlcClock::HlcClock(std::string node, Hlc last) : node_(std::move(node)), last_(std::move(last)) { last_.node = node_; }

namespace {
// The stamp after `h` at the same or a later wall time, without wrapping the counter.
void step_counter(Hlc& h) {
    if (h.counter < UINT32_MAX) {
        ++h.counter;
    } else if (h.wall_ms < kMaxWallMs) {
        ++h.wall_ms;
        h.counter = 0;
    }  // else saturated: nothing can be later; callers keep stamps far from here (kMaxClockAheadMs)
}
}  // namespace

Hlc HlcClock::tick(int64_t wall_ms) {
    wall_ms = std::min(wall_ms, kMaxWallMs);
    if (wall_ms > last_.wall_ms) {
        last_.wall_ms = wall_ms;
        last_.counter = 0;
    } else {
        step_counter(last_);
    }
    last_.node = node_;
    return last_;
}

Hlc HlcClock::tick_block(int64_t wall_ms, uint32_t n) {
    Hlc first = tick(wall_ms);
    if (n == 0) return first;
    if (first.counter > UINT32_MAX - (n - 1) && first.wall_ms < kMaxWallMs) {
        // The block must not wrap the counter: it starts at the next millisecond.
        ++last_.wall_ms;
        last_.counter = 0;
        first = last_;
    }
    last_.counter = first.counter + (n - 1);
    return first;
}

bool HlcClock::observe(const Hlc& remote, int64_t wall_ms, int64_t max_ahead_ms) {
    wall_ms = std::min(wall_ms, kMaxWallMs);
    if (remote.wall_ms > wall_ms && remote.wall_ms - wall_ms > max_ahead_ms) return false;
    const int64_t w = std::max({wall_ms, last_.wall_ms, remote.wall_ms});
    if (w == last_.wall_ms && w == remote.wall_ms) {
        last_.counter = std::max(last_.counter, remote.counter);
        step_counter(last_);
    } else if (w == last_.wall_ms) {
        step_counter(last_);
    } else if (w == remote.wall_ms) {
        last_.wall_ms = w;
        last_.counter = remote.counter;
        step_counter(last_);
    } else {
        last_.wall_ms = w;
        last_.counter = 0;
    }
    return true;
}

}  // namespace liaison::sync
