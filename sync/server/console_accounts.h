// Console accounts (docs/console.md): password hashing with Argon2id, the lockout rule, roles
// and the station scope of a user. No storage here: console.cpp and main.cpp call these.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/server/console_storage.h"
#include "sync/server/storage.h"

namespace liaison::server::accounts {

inline constexpr size_t kMinPassword = 8;
inline constexpr size_t kMaxPassword = 1024;
inline constexpr int64_t kFailuresPerLock = 5;

// libsodium's crypto_pwhash_str (Argon2id, interactive limits). At most two hashes run at once
// in the process, so a flood of sign-ins cannot exhaust memory. Invalid for a short password.
Result<std::string> hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);

// How long the `failures`-th wrong password in a row locks the account: 0 unless it completes a
// group of kFailuresPerLock; then 1 minute, doubling with each further group, at most a day.
int64_t lock_ms(int64_t failures);

bool valid_role(const std::string& role);  // admin, office, department
// The checks of a new user (name, role, scope, department); the password is checked by hash.
Status check_user(const ConsoleUser& u);

// The stations a user may see: every one ("*"), a list of ids, or the stations of a district
// ("district:NAME"). Department and admin users see every station (a department is then
// narrowed to its own cases).
struct Scope {
    bool all = false;
    std::vector<std::string> stations;
};
Scope scope_of(const ConsoleUser& u, const std::vector<StationRecord>& stations);
bool in_scope(const Scope& s, const std::string& station_id);

}  // namespace liaison::server::accounts
