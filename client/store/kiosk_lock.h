// Kiosk mode's idle reset (docs/design.md §6), as pure state the screens drive. Kiosk mode is
// left by an administrator signing in on the sign-in view (docs/security.md "Kiosk mode"): there
// is no kiosk PIN of its own.
//
// idle_state(): the kiosk form's idle timeout (default 60 s, configurable): after the last
// touch or keystroke the form shows a countdown in its last 10 s and then resets to welcome,
// clearing what the visitor typed (nothing is carried between visitors).
#pragma once
#include <cstdint>
#include <string>

#include "base/result.h"

namespace liaison::store {
class Store;
}

namespace liaison::store::kiosk {

// ---- idle timeout of the kiosk form ----

struct IdlePolicy {
    int64_t timeout_ms = 60 * 1000;
    int64_t countdown_ms = 10 * 1000;  // the countdown shows during the last part of the timeout
};

struct IdleView {
    enum class Kind { Active, Countdown, Reset };
    Kind kind = Kind::Active;
    int countdown_s = 0;         // the number to show while counting down (10 .. 1)
    int64_t next_change_ms = 0;  // when the view changes next: the app's timer (0 after Reset), so it
                                 // draws only then and not every frame
};

IdleView idle_state(int64_t now_ms, int64_t last_input_ms, const IdlePolicy& policy = {});

// ---- the store glue: local settings, never replicated ----

inline constexpr int kDefaultIdleSeconds = 60;
inline constexpr int kMinIdleSeconds = 20, kMaxIdleSeconds = 600;

Result<IdlePolicy> idle_policy(Store& s);
Status set_idle_seconds(Store& s, int seconds);

}  // namespace liaison::store::kiosk
