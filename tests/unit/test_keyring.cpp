// The keyring: PIN slots, lockout, disabled people, the recovery key (docs/security.md).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/store/keyring.h"

using namespace liaison;
using namespace liaison::store;

namespace {

struct FastKdf {  // cheap Argon2id parameters for the tests (slots flagged weak)
    FastKdf() { ::setenv("LIAISON_TEST_FAST_KDF", "1", 1); }
};
const FastKdf fast_kdf;

struct TempDir {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("liaison-keyring-" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(dir); }
    ~TempDir() { std::filesystem::remove_all(dir); }
    std::string file() const { return (dir / "keyring.json").string(); }
};

StoreKeyPtr key() {
    auto k = new_store_key();
    REQUIRE(k.ok());
    return *k;
}

Keyring made(const StoreKeyPtr& k, std::string& code) {
    auto r = Keyring::create(k, "王芳", "582913", code);
    REQUIRE(r.ok());
    return *r;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("the right PIN unwraps the data key; a wrong one does not and counts") {
    const auto k = key();
    std::string code;
    Keyring ring = made(k, code);
    auto in = ring.sign_in("王芳", "582913", 1000);
    REQUIRE(in.kind == SignInOutcome::Kind::SignedIn);
    REQUIRE(in.key);
    CHECK(in.key->bytes == k->bytes);
    CHECK(in.person->role == Role::Admin);
    CHECK(author_of(*in.person) == "王芳#" + in.person->id);

    auto wrong = ring.sign_in("王芳", "582914", 2000);
    CHECK(wrong.kind == SignInOutcome::Kind::Wrong);
    CHECK(wrong.attempts_left == kMaxPinFailures - 1);
    CHECK_FALSE(wrong.key);
    CHECK(ring.sign_in("李四", "582913", 2000).kind == SignInOutcome::Kind::Unknown);
}

TEST_CASE("five wrong PINs lock the person for a minute, then twice as long, at most a day") {
    const auto k = key();
    std::string code;
    Keyring ring = made(k, code);
    int64_t now = 1'000'000;
    for (int i = 0; i < kMaxPinFailures - 1; ++i)
        CHECK(ring.sign_in("王芳", "111222", now).kind == SignInOutcome::Kind::Wrong);
    auto locked = ring.sign_in("王芳", "111222", now);
    CHECK(locked.kind == SignInOutcome::Kind::LockedOut);
    CHECK(locked.locked_for_ms == kFirstLockoutMs);
    // While locked even the right PIN is not tried.
    CHECK(ring.sign_in("王芳", "582913", now + 1000).kind == SignInOutcome::Kind::LockedOut);
    now += kFirstLockoutMs;
    for (int i = 0; i < kMaxPinFailures; ++i) locked = ring.sign_in("王芳", "111222", now);
    CHECK(locked.locked_for_ms == 2 * kFirstLockoutMs);
    for (int round = 0; round < 15; ++round) {
        now += locked.locked_for_ms;
        for (int i = 0; i < kMaxPinFailures; ++i) locked = ring.sign_in("王芳", "111222", now);
    }
    CHECK(locked.locked_for_ms == kMaxLockoutMs);
    now += locked.locked_for_ms;
    CHECK(ring.sign_in("王芳", "582913", now).kind == SignInOutcome::Kind::SignedIn);
    CHECK(ring.find("王芳")->lockouts == 0);
}

TEST_CASE("the lockout survives a restart: the count is in the saved keyring") {
    TempDir t;
    const auto k = key();
    std::string code;
    Keyring ring = made(k, code);
    for (int i = 0; i < kMaxPinFailures; ++i) (void)ring.sign_in("王芳", "000111", 5000);
    REQUIRE(ring.save(t.file()).ok());
    auto again = Keyring::load(t.file());
    REQUIRE(again.ok());
    CHECK(again->sign_in("王芳", "582913", 6000).kind == SignInOutcome::Kind::LockedOut);
}

TEST_CASE("a disabled person cannot sign in; the last administrator cannot be disabled") {
    const auto k = key();
    std::string code;
    Keyring ring = made(k, code);
    CHECK_FALSE(ring.set_disabled("王芳", true).ok());
    REQUIRE(ring.add(k, "李明", Role::Deputy, "deputy-1", "730418").ok());
    REQUIRE(ring.set_disabled("李明", true).ok());
    CHECK(ring.sign_in("李明", "730418", 1).kind == SignInOutcome::Kind::Disabled);
    REQUIRE(ring.set_disabled("李明", false).ok());
    CHECK(ring.sign_in("李明", "730418", 1).kind == SignInOutcome::Kind::SignedIn);
}

TEST_CASE("PIN rules: 6 digits that are not a run, or a passphrase of 8 characters") {
    CHECK_FALSE(valid_pin("12345").ok());
    CHECK_FALSE(valid_pin("123456").ok());
    CHECK_FALSE(valid_pin("987654").ok());
    CHECK_FALSE(valid_pin("888888").ok());
    CHECK_FALSE(valid_pin("7890123").ok());
    CHECK(valid_pin("582913").ok());
    CHECK_FALSE(valid_pin("短口令").ok());
    CHECK(valid_pin("春眠不觉晓处处").ok() == false);  // 7 characters
    CHECK(valid_pin("春眠不觉晓处处闻").ok());
    CHECK(valid_pin("correct horse").ok());
    const auto k = key();
    std::string code;
    Keyring ring = made(k, code);
    CHECK(ring.add(k, "赵六", Role::Staff, "", "000000").error().code == "pin.too_simple");
    CHECK(ring.add(k, "王芳", Role::Staff, "", "730418").error().code == "person.exists");
}

TEST_CASE("the recovery key opens the store; a new one replaces it; typing slips are forgiven") {
    const auto k = key();
    std::string code;
    Keyring ring = made(k, code);
    CHECK(code.size() == 39);  // 8 groups of 4 and 7 dashes
    auto by_code = ring.unlock_with_recovery(code);
    REQUIRE(by_code.ok());
    CHECK((*by_code)->bytes == k->bytes);
    std::string sloppy = code;
    for (auto& c : sloppy) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(ring.unlock_with_recovery(sloppy).ok());
    std::string other = code;
    other[0] = other[0] == 'A' ? 'B' : 'A';
    CHECK(ring.unlock_with_recovery(other).error().code == "recovery.wrong");
    CHECK(ring.unlock_with_recovery("ABCD").error().code == "recovery.bad_format");

    auto renewed = ring.renew_recovery(k);
    REQUIRE(renewed.ok());
    CHECK_FALSE(ring.unlock_with_recovery(code).ok());
    CHECK(ring.unlock_with_recovery(*renewed).ok());
}

TEST_CASE("reset-pin: the old PIN stops working, the new one opens, failures are forgotten") {
    const auto k = key();
    std::string code;
    Keyring ring = made(k, code);
    REQUIRE(ring.add(k, "李明", Role::Staff, "", "730418").ok());
    (void)ring.sign_in("李明", "111333", 1);
    REQUIRE(ring.reset_pin(k, "李明", "604152").ok());
    CHECK(ring.find("李明")->failures == 0);
    CHECK(ring.sign_in("李明", "730418", 2).kind == SignInOutcome::Kind::Wrong);
    CHECK(ring.sign_in("李明", "604152", 3).kind == SignInOutcome::Kind::SignedIn);
}

TEST_CASE("the keyring file is 0600, holds no PIN and no data key, and a damaged one is refused") {
    TempDir t;
    const auto k = key();
    std::string code;
    Keyring ring = made(k, code);
    REQUIRE(ring.save(t.file()).ok());
    struct stat st {};
    REQUIRE(::stat(t.file().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const std::string text = slurp(t.file());
    CHECK(text.find("582913") == std::string::npos);
    std::string key_hex;
    for (unsigned char b : k->bytes) {
        static const char* digits = "0123456789abcdef";
        key_hex += digits[b >> 4];
        key_hex += digits[b & 15];
    }
    CHECK(text.find(key_hex.substr(0, 16)) == std::string::npos);
    CHECK(text.find(code.substr(0, 9)) == std::string::npos);

    std::ofstream(t.file(), std::ios::trunc) << "{\"people\": [";
    CHECK(Keyring::load(t.file()).error().kind == Error::Kind::Corrupt);
    CHECK(Keyring::load((t.dir / "none.json").string()).error().kind == Error::Kind::NotFound);
}

TEST_CASE("a slot is bound to its person: swapping slots between people does not sign in") {
    TempDir t;
    const auto k = key();
    std::string code;
    Keyring ring = made(k, code);
    REQUIRE(ring.add(k, "李明", Role::Staff, "", "730418").ok());
    REQUIRE(ring.save(t.file()).ok());
    // 李明 copies his slot over the administrator's, hoping his PIN then signs in as 王芳.
    std::string text = slurp(t.file());
    auto j = nlohmann::json::parse(text);
    j["people"][0]["slot"] = j["people"][1]["slot"];
    std::ofstream(t.file(), std::ios::trunc) << j.dump();
    auto again = Keyring::load(t.file());
    REQUIRE(again.ok());
    CHECK(again->sign_in("王芳", "730418", 1).kind == SignInOutcome::Kind::Wrong);
}
