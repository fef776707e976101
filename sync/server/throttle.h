// Failed attempts per client address, as a token bucket each: `burst` failures at once, then one
// more every `refill_ms`. Used to slow down guessing of enrolment codes (docs/server.md).
#pragma once
#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace liaison::server {

class FailureThrottle {
public:
    FailureThrottle(int burst, int64_t refill_ms) : burst_(burst), refill_ms_(std::max<int64_t>(1, refill_ms)) {}

    // 0 when `peer` may try now, else the whole seconds until it may.
    int64_t wait_s(const std::string& peer, int64_t now_ms) {
        std::lock_guard<std::mutex> lk(mu_);
        auto it = buckets_.find(peer);
        if (it == buckets_.end()) return 0;
        const double tokens = refilled(it->second, now_ms);
        if (tokens >= 1) return 0;
        return static_cast<int64_t>((1 - tokens) * static_cast<double>(refill_ms_) / 1000) + 1;
    }

    void failed(const std::string& peer, int64_t now_ms) {
        std::lock_guard<std::mutex> lk(mu_);
        if (buckets_.size() >= kMaxPeers) forget_idle(now_ms);
        auto [it, fresh] = buckets_.try_emplace(peer, Bucket{static_cast<double>(burst_), now_ms});
        it->second.tokens = std::max(0.0, refilled(it->second, now_ms) - 1);
        it->second.at_ms = now_ms;
    }

private:
    struct Bucket {
        double tokens;
        int64_t at_ms;
    };
    static constexpr size_t kMaxPeers = 4096;  // then addresses back to a full bucket are dropped

    double refilled(const Bucket& b, int64_t now_ms) const {
        const double gained =
            static_cast<double>(std::max<int64_t>(0, now_ms - b.at_ms)) / static_cast<double>(refill_ms_);
        return std::min(static_cast<double>(burst_), b.tokens + gained);
    }
    void forget_idle(int64_t now_ms) {
        for (auto it = buckets_.begin(); it != buckets_.end();)
            it = refilled(it->second, now_ms) >= burst_ ? buckets_.erase(it) : std::next(it);
    }

    const int burst_;
    const int64_t refill_ms_;
    std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace liaison::server
