#include "client/store/keyring.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>

#include "base/utf8.h"
#include "platform/platform.h"

namespace liaison::store {

namespace {

using Json = nlohmann::json;
using Bytes = std::vector<unsigned char>;

constexpr size_t kMemBytes = size_t{64} << 20;  // docs/security.md: 64 MiB per guess
constexpr int64_t kTargetKdfMs = 500;
constexpr size_t kRecoveryBytes = 20;
constexpr const char* kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// A derived wrapping key, wiped when it goes.
struct Kek {
    unsigned char bytes[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    Kek() = default;
    Kek(const Kek&) = delete;
    Kek& operator=(const Kek&) = delete;
    ~Kek() { sodium_memzero(bytes, sizeof bytes); }
};

Status sodium_ready() {
    static const int rc = sodium_init();
    if (rc < 0) return Error{Error::Kind::Internal, "libsodium could not start"};
    return {};
}

bool fast_kdf_for_tests() {
    const char* v = std::getenv("LIAISON_TEST_FAST_KDF");
    return v && std::string(v) == "1";
}

std::string hex(const unsigned char* p, size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}

std::optional<Bytes> unhex(const std::string& h) {
    Bytes out(h.size() / 2);
    size_t len = 0;
    if (h.size() % 2 || sodium_hex2bin(out.data(), out.size(), h.data(), h.size(), nullptr, &len, nullptr) != 0 ||
        len != out.size())
        return std::nullopt;
    return out;
}

int64_t kdf_ms(uint64_t ops, size_t mem) {
    Kek k;
    const unsigned char salt[crypto_pwhash_SALTBYTES] = {};
    const auto t0 = std::chrono::steady_clock::now();
    if (crypto_pwhash(k.bytes, sizeof k.bytes, "calibrate", 9, salt, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return -1;
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

// The passes that make one guess take about kTargetKdfMs on this device, measured once a process.
uint64_t calibrated_ops() {
    static std::once_flag once;
    static uint64_t ops = 3;
    std::call_once(once, [] {
        // One pass costs little next to filling the 64 MiB: time one and three passes and take
        // the difference as the cost of a pass.
        const int64_t one = kdf_ms(1, kMemBytes), three = kdf_ms(3, kMemBytes);
        const int64_t pass = std::max<int64_t>((three - one) / 2, 1);
        if (one > 0 && three > 0)
            ops = static_cast<uint64_t>(std::clamp<int64_t>(1 + (kTargetKdfMs - one + pass / 2) / pass, 1, 32));
    });
    return ops;
}

// KDF parameters for a new slot: LIAISON_TEST_FAST_KDF=1 makes them cheap (and marks the slot weak).
std::pair<uint64_t, size_t> new_slot_cost() {
    if (fast_kdf_for_tests()) return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    return {calibrated_ops(), kMemBytes};
}

Status derive(Kek& kek, const std::string& secret, const Bytes& salt, uint64_t ops, size_t mem) {
    if (salt.size() != crypto_pwhash_SALTBYTES) return Error{Error::Kind::Corrupt, "the keyring has a bad salt"};
    if (crypto_pwhash(kek.bytes, sizeof kek.bytes, secret.data(), secret.size(), salt.data(), ops, mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return Error{Error::Kind::Full, "not enough memory to check the PIN (Argon2id needs 64 MiB)"};
    return {};
}

// The recovery key has 160 random bits: one keyed hash makes the wrapping key, no stretching.
void derive_recovery(Kek& kek, const Bytes& code_bytes, const Bytes& salt) {
    crypto_generichash(kek.bytes, sizeof kek.bytes, salt.data(), salt.size(), code_bytes.data(), code_bytes.size());
}

KeySlot seal(const Kek& kek, const db::StoreKey& key, const Bytes& salt, uint64_t ops, size_t mem,
             const std::string& bound_to) {
    unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    randombytes_buf(nonce, sizeof nonce);
    Bytes sealed(key.bytes.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), &len, key.bytes.data(), key.bytes.size(),
                                               reinterpret_cast<const unsigned char*>(bound_to.data()), bound_to.size(),
                                               nullptr, nonce, kek.bytes);
    return {hex(salt.data(), salt.size()), hex(nonce, sizeof nonce), hex(sealed.data(), len), ops, mem};
}

// Null when the slot does not open with this key (a wrong PIN); an error when it is damaged.
Result<StoreKeyPtr> open_slot(const Kek& kek, const KeySlot& slot, const std::string& bound_to) {
    auto nonce = unhex(slot.nonce_hex);
    auto sealed = unhex(slot.sealed_hex);
    if (!nonce || !sealed || nonce->size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
        sealed->size() != db::StoreKey::kSize + crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return Error{Error::Kind::Corrupt, "the keyring is damaged (a key slot cannot be read)"};
    auto key = std::make_shared<db::StoreKey>();
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(key->bytes.data(), &len, nullptr, sealed->data(), sealed->size(),
                                                   reinterpret_cast<const unsigned char*>(bound_to.data()),
                                                   bound_to.size(), nonce->data(), kek.bytes) != 0)
        return StoreKeyPtr{};
    return StoreKeyPtr(std::move(key));
}

Bytes random_bytes(size_t n) {
    Bytes b(n);
    randombytes_buf(b.data(), n);
    return b;
}

Result<KeySlot> pin_slot(const db::StoreKey& key, const std::string& pin, const std::string& person_id) {
    const auto [ops, mem] = new_slot_cost();
    const Bytes salt = random_bytes(crypto_pwhash_SALTBYTES);
    Kek kek;
    LIAISON_TRY(derive(kek, pin, salt, ops, mem));
    return seal(kek, key, salt, ops, mem, person_id);
}

std::string recovery_text(const Bytes& b) {
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : b) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out += kCrockford[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    std::string grouped;
    for (size_t i = 0; i < out.size(); ++i) {
        if (i && i % 4 == 0) grouped += '-';
        grouped += out[i];
    }
    return grouped;
}

std::optional<Bytes> recovery_bytes(const std::string& typed) {
    auto norm = normalise_recovery_code(typed);
    if (!norm) return std::nullopt;
    Bytes out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : *norm) {
        if (c == '-') continue;
        acc = (acc << 5) | static_cast<uint32_t>(std::string(kCrockford).find(c));
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<unsigned char>((acc >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    return out;
}

Result<KeySlot> recovery_slot(const db::StoreKey& key, std::string& code) {
    const Bytes secret = random_bytes(kRecoveryBytes);
    const Bytes salt = random_bytes(crypto_pwhash_SALTBYTES);
    Kek kek;
    derive_recovery(kek, secret, salt);
    code = recovery_text(secret);
    return seal(kek, key, salt, 0, 0, "recovery");
}

Json slot_json(const KeySlot& s) {
    return {{"salt", s.salt_hex}, {"nonce", s.nonce_hex}, {"sealed", s.sealed_hex}, {"ops", s.ops}, {"mem", s.mem}};
}

KeySlot slot_from(const Json& j) {
    return {j.at("salt").get<std::string>(), j.at("nonce").get<std::string>(), j.at("sealed").get<std::string>(),
            j.at("ops").get<uint64_t>(), j.at("mem").get<size_t>()};
}

Json person_json(const Person& p) {
    return {{"id", p.id},
            {"name", p.name},
            {"role", role_code(p.role)},
            {"deputy_id", p.deputy_id},
            {"disabled", p.disabled},
            {"failures", p.failures},
            {"lockouts", p.lockouts},
            {"locked_until_ms", p.locked_until_ms},
            {"slot", slot_json(p.slot)}};
}

Person person_from(const Json& j) {
    Person p;
    p.id = j.at("id").get<std::string>();
    p.name = j.at("name").get<std::string>();
    p.role = parse_role(j.at("role").get<std::string>()).value_or(Role::Staff);
    p.deputy_id = j.value("deputy_id", "");
    p.disabled = j.value("disabled", false);
    p.failures = j.value("failures", 0);
    p.lockouts = j.value("lockouts", 0);
    p.locked_until_ms = j.value("locked_until_ms", int64_t{0});
    p.slot = slot_from(j.at("slot"));
    return p;
}

size_t characters(const std::string& s) {
    size_t n = 0;
    for (size_t i = 0; i < s.size(); ++n) (void)utf8::next_code_point(s, i);
    return n;
}

bool is_run(const std::string& digits) {
    bool up = true, down = true, same = true;
    for (size_t i = 1; i < digits.size(); ++i) {
        const int d = digits[i] - digits[i - 1];
        up = up && (d == 1 || d == -9);
        down = down && (d == -1 || d == 9);
        same = same && d == 0;
    }
    return up || down || same;
}

Person* find_mut(std::vector<Person>& people, const std::string& name) {
    for (auto& p : people)
        if (p.name == name) return &p;
    return nullptr;
}

void count_failure(Person& p, int64_t now_ms, SignInOutcome& out) {
    if (++p.failures < kMaxPinFailures) {
        out.kind = SignInOutcome::Kind::Wrong;
        out.attempts_left = kMaxPinFailures - p.failures;
        return;
    }
    const int doublings = std::min(p.lockouts, 20);
    p.lockouts += 1;
    p.failures = 0;
    const int64_t wait = std::min(kFirstLockoutMs << doublings, kMaxLockoutMs);
    p.locked_until_ms = now_ms + wait;
    out.kind = SignInOutcome::Kind::LockedOut;
    out.locked_for_ms = wait;
}

}  // namespace

const char* role_code(Role r) {
    switch (r) {
        case Role::Admin: return "admin";
        case Role::Deputy: return "deputy";
        case Role::Staff: break;
    }
    return "staff";
}

std::optional<Role> parse_role(const std::string& code) {
    if (code == "admin") return Role::Admin;
    if (code == "staff") return Role::Staff;
    if (code == "deputy") return Role::Deputy;
    return std::nullopt;
}

bool KeySlot::weak() const { return mem < kMemBytes && mem != 0; }

std::string author_of(const Person& p) { return p.name + "#" + p.id; }

Status valid_pin(const std::string& pin) {
    const bool digits =
        !pin.empty() && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
        if (pin.size() < 6)
            return invalid("pin.too_short", {},
                           "a PIN needs at least 6 digits (or a passphrase of 8 characters or more)");
        if (is_run(pin))
            return invalid("pin.too_simple", {}, "a PIN must not be one digit repeated or a run like 123456");
        return {};
    }
    if (!utf8::valid(pin) || characters(pin) < 8)
        return invalid("pin.too_short", {}, "a passphrase needs at least 8 characters (or a PIN of 6 digits or more)");
    return {};
}

Result<SignInOutcome> sign_in_at(const std::string& path, const std::string& name, const std::string& pin,
                                 int64_t now_ms) {
    LIAISON_ASSIGN_OR_RETURN(auto ring, Keyring::load(path));
    auto o = ring.sign_in(name, pin, now_ms);
    if (o.kind != SignInOutcome::Kind::Unknown && o.kind != SignInOutcome::Kind::Disabled) LIAISON_TRY(ring.save(path));
    return o;
}

Result<NewKeyring> create_keyring(const std::string& path, const std::string& admin_name, const std::string& pin) {
    NewKeyring out;
    LIAISON_ASSIGN_OR_RETURN(out.key, new_store_key());
    LIAISON_ASSIGN_OR_RETURN(auto ring, Keyring::create(out.key, admin_name, pin, out.recovery_code));
    LIAISON_TRY(ring.save(path));
    out.admin = *ring.find(admin_name);
    return out;
}

Result<StoreKeyPtr> new_store_key() {
    LIAISON_TRY(sodium_ready());
    auto key = std::make_shared<db::StoreKey>();
    randombytes_buf(key->bytes.data(), key->bytes.size());
    return StoreKeyPtr(std::move(key));
}

std::optional<std::string> normalise_recovery_code(const std::string& typed) {
    std::string plain;
    for (char c : typed) {
        if (c == '-' || c == ' ') continue;
        char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (u == 'O') u = '0';
        if (u == 'I' || u == 'L') u = '1';
        if (std::string(kCrockford).find(u) == std::string::npos) return std::nullopt;
        plain += u;
    }
    if (plain.size() != kRecoveryBytes * 8 / 5) return std::nullopt;
    return plain;
}

bool Keyring::exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

Result<Keyring> Keyring::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return not_found("no keyring at " + path);
    std::stringstream text;
    text << in.rdbuf();
    try {
        const Json j = Json::parse(text.str());
        Keyring k;
        for (const auto& p : j.at("people")) k.people_.push_back(person_from(p));
        k.recovery_ = slot_from(j.at("recovery"));
        return k;
    } catch (const Json::exception&) {
        return Error{Error::Kind::Corrupt, "the keyring " + path +
                                               " is damaged; restore it from a backup or use the "
                                               "recovery key (liaison unlock --recovery-key)"};
    }
}

Status Keyring::save(const std::string& path) const {
    Json people = Json::array();
    for (const auto& p : people_) people.push_back(person_json(p));
    const Json j = {{"version", 1}, {"people", people}, {"recovery", slot_json(recovery_)}};
    return platform::write_private_file(path, j.dump(2) + "\n");
}

Result<Keyring> Keyring::create(const StoreKeyPtr& key, const std::string& admin_name, const std::string& pin,
                                std::string& recovery_code) {
    LIAISON_TRY(sodium_ready());
    Keyring k;
    LIAISON_TRY(k.add(key, admin_name, Role::Admin, "", pin));
    LIAISON_ASSIGN_OR_RETURN(auto slot, recovery_slot(*key, recovery_code));
    k.recovery_ = std::move(slot);
    return k;
}

const Person* Keyring::find(const std::string& name) const {
    for (const auto& p : people_)
        if (p.name == name) return &p;
    return nullptr;
}

SignInOutcome Keyring::sign_in(const std::string& name, const std::string& pin, int64_t now_ms) {
    SignInOutcome out;
    Person* p = find_mut(people_, name);
    if (!p) return out;  // Unknown
    out.person = *p;
    if (p->disabled) {
        out.kind = SignInOutcome::Kind::Disabled;
        return out;
    }
    if (p->locked_until_ms > now_ms) {
        out.kind = SignInOutcome::Kind::LockedOut;
        out.locked_for_ms = p->locked_until_ms - now_ms;
        return out;
    }
    auto salt = unhex(p->slot.salt_hex);
    Kek kek;
    StoreKeyPtr key;
    if (salt && sodium_ready() && derive(kek, pin, *salt, p->slot.ops, p->slot.mem)) {
        if (auto opened = open_slot(kek, p->slot, p->id)) key = *opened;
    }
    if (!key) {
        count_failure(*p, now_ms, out);
        out.person = *p;
        return out;
    }
    p->failures = 0;
    p->lockouts = 0;
    p->locked_until_ms = 0;
    out.kind = SignInOutcome::Kind::SignedIn;
    out.person = *p;
    out.key = std::move(key);
    return out;
}

Result<StoreKeyPtr> Keyring::unlock_with_recovery(const std::string& code) const {
    LIAISON_TRY(sodium_ready());
    auto secret = recovery_bytes(code);
    if (!secret) return invalid("recovery.bad_format", {}, "a recovery key is 32 letters and digits (8 groups of 4)");
    auto salt = unhex(recovery_.salt_hex);
    if (!salt) return Error{Error::Kind::Corrupt, "the keyring is damaged (the recovery slot cannot be read)"};
    Kek kek;
    derive_recovery(kek, *secret, *salt);
    LIAISON_ASSIGN_OR_RETURN(auto key, open_slot(kek, recovery_, "recovery"));
    if (!key) return invalid("recovery.wrong", {}, "that recovery key does not open this store");
    return key;
}

Result<Person> Keyring::add(const StoreKeyPtr& key, const std::string& name, Role role, const std::string& deputy_id,
                            const std::string& pin) {
    LIAISON_TRY(sodium_ready());
    if (name.empty() || name.size() > 64) return invalid("person.bad_name", {}, "a person's name needs 1 to 64 bytes");
    if (find(name)) return invalid("person.exists", {name}, "there is already a person called " + name);
    LIAISON_TRY(valid_pin(pin));
    Person p;
    p.id = platform::new_id();
    p.name = name;
    p.role = role;
    p.deputy_id = deputy_id;
    LIAISON_ASSIGN_OR_RETURN(p.slot, pin_slot(*key, pin, p.id));
    people_.push_back(p);
    return p;
}

Status Keyring::reset_pin(const StoreKeyPtr& key, const std::string& name, const std::string& pin) {
    LIAISON_TRY(sodium_ready());
    Person* p = find_mut(people_, name);
    if (!p) return not_found("no person called " + name);
    LIAISON_TRY(valid_pin(pin));
    LIAISON_ASSIGN_OR_RETURN(p->slot, pin_slot(*key, pin, p->id));
    p->failures = 0;
    p->lockouts = 0;
    p->locked_until_ms = 0;
    return {};
}

Status Keyring::set_disabled(const std::string& name, bool disabled) {
    Person* p = find_mut(people_, name);
    if (!p) return not_found("no person called " + name);
    if (disabled && p->role == Role::Admin) {
        const auto admins = std::count_if(people_.begin(), people_.end(),
                                          [](const Person& q) { return q.role == Role::Admin && !q.disabled; });
        if (admins <= 1) return invalid("person.last_admin", {name}, name + " is the last administrator");
    }
    p->disabled = disabled;
    return {};
}

Result<std::string> Keyring::renew_recovery(const StoreKeyPtr& key) {
    LIAISON_TRY(sodium_ready());
    std::string code;
    LIAISON_ASSIGN_OR_RETURN(recovery_, recovery_slot(*key, code));
    return code;
}

}  // namespace liaison::store
