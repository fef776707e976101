// The kiosk's admin PIN and idle timeout. The PIN is kept only as a salted PBKDF2-HMAC-SHA256
// hash (OpenSSL's libcrypto, already on every device through libcurl).
#include "client/store/kiosk_lock.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include <openssl/evp.h>

#include "base/digest.h"
#include "client/store/store.h"

namespace liaison::store::kiosk {

namespace {

constexpr const char* kPinSetting = "kiosk.pin_hash";
constexpr const char* kLockSetting = "kiosk.lock_state";  // "FAILURES LOCKED_UNTIL_MS"
constexpr const char* kIdleSetting = "kiosk.idle_seconds";
constexpr const char* kHashScheme = "pbkdf2-sha256";

std::string random_salt_hex() {
    std::random_device rd;  // the OS entropy source
    uint8_t b[16];
    for (size_t i = 0; i < sizeof b; i += 4) {
        const uint32_t x = rd();
        std::memcpy(b + i, &x, 4);
    }
    return hex(b, sizeof b);
}

// The default PIN's hash: a fixed salt is fine, the PIN is public anyway.
PinHash default_pin_hash() {
    static const PinHash h = hash_pin(kDefaultPin, "liaison-default-pin", 1000);
    return h;
}

}  // namespace

std::string pbkdf2_sha256_hex(std::string_view password, std::string_view salt, int iterations, size_t bytes) {
    std::vector<unsigned char> out(bytes);
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                          iterations, EVP_sha256(), static_cast<int>(bytes), out.data()) != 1)
        return {};
    return hex(out.data(), out.size());
}

// ---------------------------------------------------------------- PIN hashes

std::string PinHash::encode() const {
    return std::string(kHashScheme) + "$" + std::to_string(iterations) + "$" + salt_hex + "$" + hash_hex;
}

std::optional<PinHash> PinHash::decode(const std::string& text) {
    std::vector<std::string> parts;
    size_t at = 0;
    for (;;) {
        const size_t p = text.find('$', at);
        parts.push_back(text.substr(at, p == std::string::npos ? std::string::npos : p - at));
        if (p == std::string::npos) break;
        at = p + 1;
    }
    if (parts.size() != 4 || parts[0] != kHashScheme || parts[1].empty() || parts[1].size() > 7 ||
        parts[1].find_first_not_of("0123456789") != std::string::npos || parts[3].size() != 64)
        return std::nullopt;
    PinHash h;
    h.iterations = std::stoi(parts[1]);
    h.salt_hex = parts[2];
    h.hash_hex = parts[3];
    if (h.iterations < 1) return std::nullopt;
    return h;
}

Status valid_pin(const std::string& pin) {
    if (pin.size() < kMinPinDigits || pin.size() > kMaxPinDigits ||
        pin.find_first_not_of("0123456789") != std::string::npos)
        return invalid("kiosk.pin_format", {}, "the kiosk PIN is 4 to 8 digits");
    return {};
}

PinHash hash_pin(const std::string& pin, const std::string& salt, int iterations) {
    PinHash h;
    h.salt_hex = salt;
    h.iterations = iterations;
    h.hash_hex = pbkdf2_sha256_hex(pin, salt, iterations, 32);
    return h;
}

bool pin_matches(const PinHash& stored, const std::string& pin) {
    if (!valid_pin(pin)) return false;
    const std::string got = pbkdf2_sha256_hex(pin, stored.salt_hex, stored.iterations, 32);
    return same_secret(got, stored.hash_hex);
}

// ---------------------------------------------------------------- the lock

KioskLock::KioskLock(PinHash pin, bool default_pin, LockPolicy policy)
    : pin_(std::move(pin)), default_pin_(default_pin), policy_(policy) {}

void KioskLock::expire(int64_t now_ms) {
    if (locked_until_ms_ == 0) return;
    // A clock set back must not stretch the lockout beyond its length.
    if (locked_until_ms_ - now_ms > policy_.lockout_ms) locked_until_ms_ = now_ms + policy_.lockout_ms;
    if (now_ms >= locked_until_ms_) {
        locked_until_ms_ = 0;
        failures_ = 0;  // a fresh set of attempts after the wait
    }
}

int64_t KioskLock::locked_for_ms(int64_t now_ms) const {
    KioskLock probe = *this;
    probe.expire(now_ms);
    return probe.locked_until_ms_ == 0 ? 0 : probe.locked_until_ms_ - now_ms;
}

int KioskLock::attempts_left(int64_t now_ms) const {
    KioskLock probe = *this;
    probe.expire(now_ms);
    if (probe.locked_until_ms_ != 0) return 0;
    return std::max(0, policy_.max_attempts - probe.failures_);
}

PinAttempt KioskLock::enter(const std::string& pin, int64_t now_ms) {
    expire(now_ms);
    if (locked_until_ms_ != 0) return {PinOutcome::LockedOut, 0, locked_until_ms_ - now_ms};
    if (pin_matches(pin_, pin)) {
        unlocked_ = true;
        failures_ = 0;
        return {PinOutcome::Unlocked, policy_.max_attempts, 0};
    }
    ++failures_;
    if (failures_ >= policy_.max_attempts) {
        locked_until_ms_ = now_ms + policy_.lockout_ms;
        return {PinOutcome::LockedOut, 0, policy_.lockout_ms};
    }
    return {PinOutcome::Wrong, policy_.max_attempts - failures_, 0};
}

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

Status set_pin(Store& s, const std::string& pin) {
    LIAISON_TRY(valid_pin(pin));
    if (pin == kDefaultPin) return invalid("kiosk.pin_default", {}, "choose a PIN other than the default one");
    return s.set_setting(kPinSetting, hash_pin(pin, random_salt_hex()).encode());
}

Result<PinChange> change_pin(Store& s, const std::string& current, const std::string& next, const std::string& repeat,
                             int64_t now_ms) {
    using O = PinChange::Outcome;
    if (next != repeat) return PinChange{O::Mismatch};
    if (!valid_pin(next)) return PinChange{O::BadFormat};
    if (next == kDefaultPin) return PinChange{O::DefaultPin};
    auto lock = load_lock(s);
    if (!lock) return lock.error();
    const PinAttempt a = lock->enter(current, now_ms);
    LIAISON_TRY(save_lock_state(s, *lock));
    if (a.outcome == PinOutcome::LockedOut) return PinChange{O::LockedOut, 0, a.locked_for_ms};
    if (a.outcome == PinOutcome::Wrong) return PinChange{O::Wrong, a.attempts_left, 0};
    LIAISON_TRY(set_pin(s, next));
    return PinChange{O::Changed};
}

Result<KioskLock> load_lock(Store& s, LockPolicy policy) {
    auto text = s.setting(kPinSetting);
    if (!text) return text.error();
    std::optional<PinHash> h;
    if (!text->empty()) {
        h = PinHash::decode(*text);
        if (!h)
            return Error{Error::Kind::Corrupt,
                         "the stored kiosk PIN is unreadable: set it again (liaison kiosk-pin set)"};
    }
    KioskLock lock(h ? *h : default_pin_hash(), !h, policy);
    auto st = s.setting(kLockSetting);
    if (!st) return st.error();
    int failures = 0;
    long long until = 0;
    if (std::sscanf(st->c_str(), "%d %lld", &failures, &until) == 2 && failures >= 0)
        lock.restore(KioskLock::Saved{failures, static_cast<int64_t>(until)});
    return lock;
}

Status save_lock_state(Store& s, const KioskLock& lock) {
    const auto saved = lock.saved();
    return s.set_setting(kLockSetting, std::to_string(saved.failures) + " " + std::to_string(saved.locked_until_ms));
}

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
