// Hybrid logical clock (Kulkarni et al.): wall milliseconds + counter + node id.
// Pure: the wall time is passed in so tests can fake a tablet whose clock is wrong.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace liaison::sync {

// The largest wall time the fixed-width text form holds (15 digits).
inline constexpr int64_t kMaxWallMs = 999999999999999;
// How far ahead of the server's clock a pushed stamp may be (docs/replication.md, "Clock bounds").
inline constexpr int64_t kMaxClockAheadMs = 5 * 60 * 1000;
// A replica does not move its clock to a stamp further ahead of its own (corrected) wall time:
// the server's bound plus room for the error of a tablet's corrected clock.
inline constexpr int64_t kObserveMaxAheadMs = 2 * kMaxClockAheadMs;

struct Hlc {
    int64_t wall_ms = 0;
    uint32_t counter = 0;
    std::string node;  // device id; makes every Hlc globally unique

    bool empty() const { return wall_ms == 0 && counter == 0 && node.empty(); }
    // Fixed-width text form; lexicographic order equals clock order.
    std::string str() const;
    static std::optional<Hlc> parse(std::string_view text);

    friend bool operator==(const Hlc& a, const Hlc& b) {
        return a.wall_ms == b.wall_ms && a.counter == b.counter && a.node == b.node;
    }
    friend bool operator!=(const Hlc& a, const Hlc& b) { return !(a == b); }
    friend bool operator<(const Hlc& a, const Hlc& b) {
        return std::tie(a.wall_ms, a.counter, a.node) < std::tie(b.wall_ms, b.counter, b.node);
    }
    friend bool operator>(const Hlc& a, const Hlc& b) { return b < a; }
};

class HlcClock {
public:
    explicit HlcClock(std::string node, Hlc last = {});
    // Stamp a local event. The counter never wraps: when it is full the logical wall moves on
    // by one millisecond, so every stamp is later than the one before.
    Hlc tick(int64_t wall_ms);
    // Stamp a local event that names `n` versions at once (a new row's fields): the returned
    // stamp and the n-1 after it at the same wall time, counter + i, all belong to it.
    Hlc tick_block(int64_t wall_ms, uint32_t n);
    // Advance past a received stamp so that anything written afterwards is causally later,
    // even when this device's wall clock is a day behind. A stamp more than `max_ahead_ms`
    // ahead of `wall_ms` is not adopted (false): one device's wrong clock must not move
    // everyone's.
    bool observe(const Hlc& remote, int64_t wall_ms, int64_t max_ahead_ms = kObserveMaxAheadMs);
    const Hlc& last() const { return last_; }
    const std::string& node() const { return node_; }

private:
    std::string node_;
    Hlc last_;
};

}  // namespace liaison::sync
