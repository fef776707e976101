// The kiosk's idle timeout.
#include "client/store/kiosk_lock.h"

#include <algorithm>
#include "client/store/store.h"

namespace liaison::store::kiosk {

namespace {
constexpr const char* kIdleSetting = "kiosk.idle_seconds";
}  // namespace

// ---------------------------------------------------------------- idle timeout

IdleView idle_state(int64_t now_ms, int64_t last_input_ms, const IdlePolicy& policy) {
    IdleView v;
    const int64_t idle = std::max<int64_t>(0, now_ms - last_input_ms);  // a clock set back counts as input
    const int64_t left = policy.timeout_ms - idle;
    if (left <= 0) {
        v.kind = IdleView::Kind::Reset;
        return v;
    }
    if (left <= policy.countdown_ms) {
        v.kind = IdleView::Kind::Countdown;
        v.countdown_s = static_cast<int>((left + 999) / 1000);  // 10 .. 1, never 0 while shown
        v.next_change_ms = now_ms + (left - static_cast<int64_t>(v.countdown_s - 1) * 1000);
        return v;
    }
    v.kind = IdleView::Kind::Active;
    v.next_change_ms = now_ms + (left - policy.countdown_ms);
    return v;
}

// ---------------------------------------------------------------- store glue

Result<IdlePolicy> idle_policy(Store& s) {
    auto text = s.setting(kIdleSetting);
    if (!text) return text.error();
    IdlePolicy p;
    if (!text->empty() && text->find_first_not_of("0123456789") == std::string::npos && text->size() < 6) {
        const int secs = std::stoi(*text);
        if (secs >= kMinIdleSeconds && secs <= kMaxIdleSeconds) p.timeout_ms = int64_t{secs} * 1000;
    }
    return p;
}

Status set_idle_seconds(Store& s, int seconds) {
    if (seconds < kMinIdleSeconds || seconds > kMaxIdleSeconds)
        return invalid("the kiosk idle timeout is " + std::to_string(kMinIdleSeconds) + " to " +
                       std::to_string(kMaxIdleSeconds) + " seconds");
    return s.set_setting(kIdleSetting, std::to_string(seconds));
}

}  // namespace liaison::store::kiosk
