// Who may open the store: the people of a station and the key slots that unlock its data key
// (docs/security.md, "Sign-in and keys").
//
// The keyring is DIR/keyring.json beside the store, 0600, never synced: a synced PIN verifier
// would be an offline guess away from every tablet. It holds, per person, the store's random
// 64-byte data key wrapped (XChaCha20-Poly1305) by a key derived from the PIN with Argon2id
// (64 MiB, tuned to about half a second), and one slot wrapped by the station's recovery key.
// A PIN is checked by unwrapping its slot: there is no separate verifier to steal.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/replica/store_key.h"

namespace liaison::store {

using StoreKeyPtr = std::shared_ptr<const db::StoreKey>;

enum class Role { Admin, Staff, Deputy };
const char* role_code(Role r);  // "admin", "staff", "deputy"
std::optional<Role> parse_role(const std::string& code);

// A wrapped copy of the data key.
struct KeySlot {
    std::string salt_hex, nonce_hex, sealed_hex;
    uint64_t ops = 0;
    size_t mem = 0;
    bool weak() const;  // made with LIAISON_TEST_FAST_KDF: fine for tests, never for a station
};

struct Person {
    std::string id;  // stable: the audit trail names it beside the name
    std::string name;
    Role role = Role::Staff;
    std::string deputy_id;  // the roster's deputy this person is (Role::Deputy)
    bool disabled = false;
    int failures = 0;  // wrong PINs since the last sign-in or lockout
    int lockouts = 0;  // lockouts in a row: each doubles the wait
    int64_t locked_until_ms = 0;
    KeySlot slot;
};

// The author of every change a person makes: "name#id" (docs/security.md).
std::string author_of(const Person& p);

// At least 6 digits that are not all one digit nor a run (123456, 987654), or a passphrase of
// at least 8 characters.
Status valid_pin(const std::string& pin);

struct SignInOutcome {
    enum class Kind { SignedIn, Wrong, LockedOut, Disabled, Unknown } kind = Kind::Unknown;
    int attempts_left = 0;      // Wrong
    int64_t locked_for_ms = 0;  // LockedOut (also right after the attempt that locked)
    std::optional<Person> person;
    StoreKeyPtr key;  // SignedIn
};

inline constexpr int kMaxPinFailures = 5;
inline constexpr int64_t kFirstLockoutMs = 60 * 1000;
inline constexpr int64_t kMaxLockoutMs = 24 * 60 * 60 * 1000;

class Keyring {
public:
    static std::string path_in(const std::string& data_dir) { return data_dir + "/keyring.json"; }
    static bool exists(const std::string& path);
    // NotFound when there is no keyring; Corrupt when it cannot be read.
    static Result<Keyring> load(const std::string& path);
    // A new keyring for a new data key, with its first administrator and a recovery slot; the
    // recovery key (printed once, 8 groups of 4 characters) is returned in `recovery_code`.
    static Result<Keyring> create(const StoreKeyPtr& key, const std::string& admin_name, const std::string& pin,
                                  std::string& recovery_code);
    // Written to a temporary file, synced and renamed over the old one; 0600.
    Status save(const std::string& path) const;

    const std::vector<Person>& people() const { return people_; }
    const Person* find(const std::string& name) const;

    // Counts a wrong PIN (and locks after kMaxPinFailures); the caller saves the keyring
    // whatever the outcome, so a restart does not give more guesses.
    SignInOutcome sign_in(const std::string& name, const std::string& pin, int64_t now_ms);
    Result<StoreKeyPtr> unlock_with_recovery(const std::string& code) const;

    // Administration: `key` is the unlocked data key of whoever signed in.
    Result<Person> add(const StoreKeyPtr& key, const std::string& name, Role role, const std::string& deputy_id,
                       const std::string& pin);
    Status reset_pin(const StoreKeyPtr& key, const std::string& name, const std::string& pin);
    Status set_disabled(const std::string& name, bool disabled);
    // A new recovery key (the old one stops working); returns the code to hand to the centre.
    Result<std::string> renew_recovery(const StoreKeyPtr& key);

private:
    std::vector<Person> people_;
    KeySlot recovery_;
};

// Loads the keyring at `path`, tries the PIN and saves the failure count whatever the outcome,
// so that retrying in a loop meets the lockout.
Result<SignInOutcome> sign_in_at(const std::string& path, const std::string& name, const std::string& pin,
                                 int64_t now_ms);

// A new store's keyring at `path`: a new data key, its first administrator and a recovery key.
struct NewKeyring {
    Person admin;
    StoreKeyPtr key;
    std::string recovery_code;  // shown once (or escrowed at the centre), never stored
};
Result<NewKeyring> create_keyring(const std::string& path, const std::string& admin_name, const std::string& pin);

// A new random data key for a new store.
Result<StoreKeyPtr> new_store_key();
// Crockford base32 of 20 random bytes, "XXXX-XXXX-…" (8 groups); case, spaces, dashes, I/L/O
// are forgiven on the way in.
std::optional<std::string> normalise_recovery_code(const std::string& typed);

}  // namespace liaison::store
