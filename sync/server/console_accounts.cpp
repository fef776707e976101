#include "sync/server/console_accounts.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include <sodium.h>

#include "domain/rules.h"

namespace liaison::server::accounts {
namespace {

// Each Argon2id hash takes crypto_pwhash_MEMLIMIT_INTERACTIVE of memory while it runs.
class HashSlots {
public:
    void acquire() {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [&] { return free_ > 0; });
        --free_;
    }
    void release() {
        {
            std::lock_guard<std::mutex> lk(mu_);
            ++free_;
        }
        cv_.notify_one();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    int free_ = 2;
};

HashSlots& slots() {
    static HashSlots s;
    return s;
}

struct SlotGuard {
    SlotGuard() { slots().acquire(); }
    ~SlotGuard() { slots().release(); }
    SlotGuard(const SlotGuard&) = delete;
    SlotGuard& operator=(const SlotGuard&) = delete;
};

bool sodium_ready() {
    static const bool ok = sodium_init() >= 0;
    return ok;
}

std::vector<std::string> split_ids(const std::string& s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i <= s.size()) {
        size_t j = s.find(',', i);
        if (j == std::string::npos) j = s.size();
        std::string id = s.substr(i, j - i);
        id.erase(0, id.find_first_not_of(' '));
        id.erase(id.find_last_not_of(' ') + 1);
        if (!id.empty()) out.push_back(id);
        i = j + 1;
    }
    return out;
}

}  // namespace

Result<std::string> hash_password(const std::string& password) {
    if (password.size() < kMinPassword)
        return invalid("a password needs at least " + std::to_string(kMinPassword) + " characters");
    if (password.size() > kMaxPassword) return invalid("password too long");
    if (!sodium_ready()) return Error{Error::Kind::Internal, "libsodium did not initialise"};
    char out[crypto_pwhash_STRBYTES];
    SlotGuard slot;
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return Error{Error::Kind::Internal, "out of memory while hashing a password"};
    return std::string(out);
}

bool verify_password(const std::string& hash, const std::string& password) {
    if (!sodium_ready() || hash.empty() || password.size() > kMaxPassword) return false;
    SlotGuard slot;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

int64_t lock_ms(int64_t failures) {
    if (failures < kFailuresPerLock || failures % kFailuresPerLock != 0) return 0;
    constexpr int64_t kMinute = 60'000, kDay = 24 * 60 * kMinute;
    int64_t ms = kMinute;
    for (int64_t g = failures / kFailuresPerLock; g > 1 && ms < kDay; --g) ms *= 2;
    return std::min(ms, kDay);
}

bool valid_role(const std::string& role) { return role == "admin" || role == "office" || role == "department"; }

Status check_user(const ConsoleUser& u) {
    if (u.name.empty() || u.name.size() > 64 || !domain::valid_utf8(u.name) ||
        u.name.find_first_of(" /\\?#%\t\r\n") != std::string::npos)
        return invalid("a user name is 1 to 64 characters without spaces or / \\ ? # %");
    if (!domain::valid_utf8(u.display) || u.display.size() > 100) return invalid("display name too long");
    if (!valid_role(u.role)) return invalid("role must be admin, office or department");
    if (u.role == "department" && u.department_id.empty()) return invalid("a department user needs --department");
    if (u.role != "department" && !u.department_id.empty()) return invalid("only department users have a department");
    if (u.role == "office" && u.stations.empty())
        return invalid("an office user needs --stations (ids, * or district:NAME)");
    if (u.role != "office" && !u.stations.empty()) return invalid("only office users have --stations");
    return {};
}

Scope scope_of(const ConsoleUser& u, const std::vector<StationRecord>& stations) {
    Scope s;
    if (u.role != "office" || u.stations == "*") {
        s.all = true;
        return s;
    }
    if (u.stations.rfind("district:", 0) == 0) {
        const std::string district = u.stations.substr(9);
        for (const auto& st : stations)
            if (st.district == district) s.stations.push_back(st.id);
        return s;
    }
    s.stations = split_ids(u.stations);
    return s;
}

bool in_scope(const Scope& s, const std::string& station_id) {
    return s.all || std::find(s.stations.begin(), s.stations.end(), station_id) != s.stations.end();
}

}  // namespace liaison::server::accounts
