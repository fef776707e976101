// The kiosk's admin PIN and idle timeout. SHA-256 is implemented here (FIPS 180-4) because the
// client links no crypto library; it is only used to hash a local PIN, checked against the
// standard test vectors in tests/unit/test_kiosk_lock.cpp.
#include "client/store/kiosk_lock.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "client/store/store.h"

namespace liaison::store::kiosk {

namespace {

constexpr const char* kPinSetting = "kiosk.pin_hash";
constexpr const char* kLockSetting = "kiosk.lock_state";  // "FAILURES LOCKED_UNTIL_MS"
constexpr const char* kIdleSetting = "kiosk.idle_seconds";
constexpr const char* kHashScheme = "pbkdf2-sha256";

class Sha256 {
public:
    Sha256() { reset(); }
    void reset() {
        static const uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        std::memcpy(h_, init, sizeof h_);
        len_ = 0;
        fill_ = 0;
    }
    void update(const uint8_t* p, size_t n) {
        len_ += n;
        while (n > 0) {
            const size_t k = std::min(n, sizeof buf_ - fill_);
            std::memcpy(buf_ + fill_, p, k);
            fill_ += k;
            p += k;
            n -= k;
            if (fill_ == sizeof buf_) {
                block(buf_);
                fill_ = 0;
            }
        }
    }
    void update(std::string_view s) { update(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }
    std::array<uint8_t, 32> finish() {
        const uint64_t bits = len_ * 8;
        const uint8_t one = 0x80, zero = 0;
        update(&one, 1);
        while (fill_ != 56) update(&zero, 1);
        uint8_t lenbuf[8];
        for (int i = 0; i < 8; ++i) lenbuf[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
        update(lenbuf, 8);
        std::array<uint8_t, 32> out{};
        for (int i = 0; i < 8; ++i)
            for (int j = 0; j < 4; ++j) out[i * 4 + j] = static_cast<uint8_t>(h_[i] >> (24 - 8 * j));
        return out;
    }

private:
    static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
    void block(const uint8_t* p) {
        static const uint32_t k[64] = {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
        uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = (uint32_t(p[4 * i]) << 24) | (uint32_t(p[4 * i + 1]) << 16) | (uint32_t(p[4 * i + 2]) << 8) |
                   uint32_t(p[4 * i + 3]);
        for (int i = 16; i < 64; ++i) {
            const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
        for (int i = 0; i < 64; ++i) {
            const uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
            const uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h_[0] += a; h_[1] += b; h_[2] += c; h_[3] += d;
        h_[4] += e; h_[5] += f; h_[6] += g; h_[7] += h;
    }

    uint32_t h_[8];
    uint8_t buf_[64];
    size_t fill_ = 0;
    uint64_t len_ = 0;
};

// HMAC-SHA256 with the key's inner and outer pads hashed once and reused for every iteration.
class HmacSha256 {
public:
    explicit HmacSha256(std::string_view key) {
        uint8_t k[64] = {};
        if (key.size() > 64) {
            Sha256 h;
            h.update(key);
            const auto d = h.finish();
            std::memcpy(k, d.data(), d.size());
        } else {
            std::memcpy(k, key.data(), key.size());
        }
        uint8_t ipad[64], opad[64];
        for (int i = 0; i < 64; ++i) {
            ipad[i] = k[i] ^ 0x36;
            opad[i] = k[i] ^ 0x5c;
        }
        inner_.update(ipad, 64);
        outer_.update(opad, 64);
    }
    std::array<uint8_t, 32> mac(const uint8_t* p, size_t n) const {
        Sha256 in = inner_;
        in.update(p, n);
        const auto d = in.finish();
        Sha256 out = outer_;
        out.update(d.data(), d.size());
        return out.finish();
    }

private:
    Sha256 inner_, outer_;
};

std::string hex(const uint8_t* p, size_t n) {
    static const char* const digits = "0123456789abcdef";
    std::string s;
    s.reserve(n * 2);
    for (size_t i = 0; i < n; ++i) {
        s.push_back(digits[p[i] >> 4]);
        s.push_back(digits[p[i] & 15]);
    }
    return s;
}

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

std::string sha256_hex(std::string_view data) {
    Sha256 h;
    h.update(data);
    const auto d = h.finish();
    return hex(d.data(), d.size());
}

std::string pbkdf2_sha256_hex(std::string_view password, std::string_view salt, int iterations, size_t bytes) {
    const HmacSha256 prf(password);
    std::vector<uint8_t> out;
    for (uint32_t block = 1; out.size() < bytes; ++block) {
        std::vector<uint8_t> msg(salt.begin(), salt.end());
        for (int i = 3; i >= 0; --i) msg.push_back(static_cast<uint8_t>(block >> (8 * i)));
        auto u = prf.mac(msg.data(), msg.size());
        auto t = u;
        for (int i = 1; i < iterations; ++i) {
            u = prf.mac(u.data(), u.size());
            for (size_t j = 0; j < t.size(); ++j) t[j] ^= u[j];
        }
        out.insert(out.end(), t.begin(), t.end());
    }
    out.resize(bytes);
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
        return invalid("the kiosk PIN is 4 to 8 digits");
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
    if (got.size() != stored.hash_hex.size()) return false;
    unsigned diff = 0;
    for (size_t i = 0; i < got.size(); ++i) diff |= static_cast<unsigned>(got[i] ^ stored.hash_hex[i]);
    return diff == 0;
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
    if (pin == kDefaultPin) return invalid("choose a PIN other than the default one");
    return s.set_setting(kPinSetting, hash_pin(pin, random_salt_hex()).encode());
}

Result<KioskLock> load_lock(Store& s, LockPolicy policy) {
    auto text = s.setting(kPinSetting);
    if (!text) return text.error();
    std::optional<PinHash> h;
    if (!text->empty()) {
        h = PinHash::decode(*text);
        if (!h) return Error{Error::Kind::Corrupt, "the stored kiosk PIN is unreadable: set it again (liaison kiosk-pin set)"};
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
