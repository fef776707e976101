// Kiosk mode's way out and its idle reset (docs/design.md §6), as pure state the screens drive.
//
// KioskLock: the admin PIN that leaves kiosk mode. Only a salted PBKDF2-HMAC-SHA256 hash is kept
// (a local setting, never replicated). Five wrong PINs lock it for five minutes; the screen shows
// the attempts left and the time to wait. Time is passed in, so tests fake it.
//
// idle_state(): the kiosk form's idle timeout (default 60 s, configurable): after the last
// touch or keystroke the form shows a countdown in its last 10 s and then resets to welcome,
// clearing what the visitor typed (nothing is carried between visitors).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace liaison::store {
class Store;
}

namespace liaison::store::kiosk {

// The PIN of a new tablet until an admin changes it (`liaison kiosk-pin set PIN`); while it is in
// use the admin screens ask for a new one.
inline constexpr const char* kDefaultPin = "123456";
inline constexpr int kPinIterations = 20000;
inline constexpr size_t kMinPinDigits = 4, kMaxPinDigits = 8;

struct PinHash {
    std::string salt_hex;
    int iterations = kPinIterations;
    std::string hash_hex;
    // "pbkdf2-sha256$ITERATIONS$SALT$HASH": the setting's text.
    std::string encode() const;
    static std::optional<PinHash> decode(const std::string& text);
};

// 4 to 8 digits (the kiosk shows a number pad).
Status valid_pin(const std::string& pin);
PinHash hash_pin(const std::string& pin, const std::string& salt, int iterations = kPinIterations);
// Compares in constant time.
bool pin_matches(const PinHash& stored, const std::string& pin);
// Exposed for the tests' known-answer vectors.
std::string pbkdf2_sha256_hex(std::string_view password, std::string_view salt, int iterations, size_t bytes);

struct LockPolicy {
    int max_attempts = 5;
    int64_t lockout_ms = 5 * 60 * 1000;
};

enum class PinOutcome {
    Unlocked,   // correct: leave kiosk mode
    Wrong,      // wrong; attempts_left tells how many remain before the lockout
    LockedOut,  // too many wrong PINs: wait locked_for_ms (the PIN was not even checked)
};

struct PinAttempt {
    PinOutcome outcome = PinOutcome::Wrong;
    int attempts_left = 0;
    int64_t locked_for_ms = 0;
};

class KioskLock {
public:
    explicit KioskLock(PinHash pin, bool default_pin = false, LockPolicy policy = {});

    // The admin types a PIN at `now_ms` (any clock that only moves forward; wall time when the
    // failure count is saved across restarts).
    PinAttempt enter(const std::string& pin, int64_t now_ms);
    bool unlocked() const { return unlocked_; }
    void relock() { unlocked_ = false; }  // back to kiosk mode

    int attempts_left(int64_t now_ms) const;
    int64_t locked_for_ms(int64_t now_ms) const;  // 0 when PINs may be tried
    bool using_default_pin() const { return default_pin_; }

    // Failures survive a restart, so switching the tablet off and on does not give five more
    // guesses: the app saves this after each attempt and restores it at start.
    struct Saved {
        int failures = 0;
        int64_t locked_until_ms = 0;
    };
    Saved saved() const { return {failures_, locked_until_ms_}; }
    void restore(const Saved& s) {
        failures_ = s.failures;
        locked_until_ms_ = s.locked_until_ms;
    }

private:
    void expire(int64_t now_ms);

    PinHash pin_;
    bool default_pin_ = false;
    LockPolicy policy_;
    bool unlocked_ = false;
    int failures_ = 0;
    int64_t locked_until_ms_ = 0;
};

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

// Sets the admin PIN (refuses the documented default PIN).
Status set_pin(Store& s, const std::string& pin);
// The settings screen: the current PIN must be given (a wrong one counts towards the lockout,
// like at the kiosk), the new one twice. `now_ms` is wall time. Refusals are outcomes (the
// screen words them); only storage failures are errors.
struct PinChange {
    enum class Outcome { Changed, Mismatch, BadFormat, DefaultPin, Wrong, LockedOut } outcome = Outcome::Changed;
    int attempts_left = 0;      // Wrong
    int64_t locked_for_ms = 0;  // LockedOut
};
Result<PinChange> change_pin(Store& s, const std::string& current, const std::string& next, const std::string& repeat,
                             int64_t now_ms);
// The lock with the stored PIN (the default PIN on a new tablet) and the saved failure count.
Result<KioskLock> load_lock(Store& s, LockPolicy policy = {});
Status save_lock_state(Store& s, const KioskLock& lock);
Result<IdlePolicy> idle_policy(Store& s);
Status set_idle_seconds(Store& s, int seconds);

}  // namespace liaison::store::kiosk
