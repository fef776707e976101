// The kiosk's admin PIN (salted hash, five tries then a lockout) and its idle timeout.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <unistd.h>

#include "base/digest.h"
#include "client/store/kiosk_lock.h"
#include "client/store/store.h"

using namespace liaison;
using namespace liaison::store;
using namespace liaison::store::kiosk;

namespace {
constexpr int64_t kMinute = 60 * 1000;
// Few iterations keep the tests fast; the scheme is the same.
KioskLock lock_with(const std::string& pin) { return KioskLock(hash_pin(pin, "0011223344556677", 10)); }
}  // namespace

TEST_CASE("SHA-256 and PBKDF2-HMAC-SHA256 match the published test vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // RFC 7914 §11 (PBKDF2-HMAC-SHA256 test vectors)
    CHECK(pbkdf2_sha256_hex("passwd", "salt", 1, 64) ==
          "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
          "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
    CHECK(pbkdf2_sha256_hex("password", "salt", 2, 32) ==
          "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
}

TEST_CASE("only a salted hash is kept; it round-trips through its text form") {
    const PinHash h = hash_pin("482916", "a1b2c3", 100);
    CHECK(h.hash_hex.size() == 64);
    CHECK(h.encode().find("482916") == std::string::npos);
    auto back = PinHash::decode(h.encode());
    REQUIRE(back);
    CHECK(back->hash_hex == h.hash_hex);
    CHECK(back->iterations == 100);
    CHECK(pin_matches(*back, "482916"));
    CHECK_FALSE(pin_matches(*back, "482917"));
    CHECK_FALSE(pin_matches(*back, ""));
    // The same PIN with another salt hashes differently.
    CHECK(hash_pin("482916", "d4e5f6", 100).hash_hex != h.hash_hex);
    CHECK_FALSE(PinHash::decode("plain-482916"));
    CHECK_FALSE(PinHash::decode("pbkdf2-sha256$x$salt$abc"));
    CHECK(valid_pin("1234"));
    CHECK(valid_pin("12345678"));
    CHECK_FALSE(valid_pin("123"));
    CHECK_FALSE(valid_pin("123456789"));
    CHECK_FALSE(valid_pin("12a4"));
}

TEST_CASE("the correct PIN unlocks; wrong ones count down the attempts") {
    auto lock = lock_with("482916");
    CHECK_FALSE(lock.unlocked());
    CHECK(lock.attempts_left(0) == 5);
    auto a = lock.enter("000000", 1000);
    CHECK(a.outcome == PinOutcome::Wrong);
    CHECK(a.attempts_left == 4);
    CHECK(lock.attempts_left(1000) == 4);
    auto b = lock.enter("482916", 2000);
    CHECK(b.outcome == PinOutcome::Unlocked);
    CHECK(lock.unlocked());
    // A success starts the count afresh; relocking returns to kiosk mode.
    CHECK(lock.attempts_left(2000) == 5);
    lock.relock();
    CHECK_FALSE(lock.unlocked());
}

TEST_CASE("five wrong PINs lock it for five minutes, then it accepts PINs again") {
    auto lock = lock_with("482916");
    int64_t now = 10 * kMinute;
    for (int i = 1; i <= 4; ++i) {
        auto r = lock.enter("111111", now);
        CHECK(r.outcome == PinOutcome::Wrong);
        CHECK(r.attempts_left == 5 - i);
        now += 1000;
    }
    auto fifth = lock.enter("111111", now);
    CHECK(fifth.outcome == PinOutcome::LockedOut);
    CHECK(fifth.locked_for_ms == 5 * kMinute);
    const int64_t locked_at = now;

    // Even the correct PIN is refused while locked; the screen shows the time left.
    auto during = lock.enter("482916", locked_at + 2 * kMinute);
    CHECK(during.outcome == PinOutcome::LockedOut);
    CHECK(during.locked_for_ms == 3 * kMinute);
    CHECK_FALSE(lock.unlocked());
    CHECK(lock.attempts_left(locked_at + 4 * kMinute) == 0);
    CHECK(lock.locked_for_ms(locked_at + 5 * kMinute - 1) == 1);

    // A clock set back does not lengthen the wait beyond five minutes.
    CHECK(lock.locked_for_ms(locked_at - 60 * kMinute) == 5 * kMinute);

    // After the period: five fresh attempts, and the correct PIN unlocks.
    const int64_t later = locked_at + 5 * kMinute;
    CHECK(lock.locked_for_ms(later) == 0);
    CHECK(lock.attempts_left(later) == 5);
    auto w = lock.enter("222222", later);
    CHECK(w.outcome == PinOutcome::Wrong);
    CHECK(w.attempts_left == 4);
    CHECK(lock.enter("482916", later + 1000).outcome == PinOutcome::Unlocked);
}

TEST_CASE("idle timeout: quiet for 50 s, a countdown from 10 in the last 10 s, then reset") {
    const IdlePolicy p;  // 60 s, countdown in the last 10 s
    const int64_t input = 1000000;
    auto v = idle_state(input, input, p);
    CHECK(v.kind == IdleView::Kind::Active);
    CHECK(v.next_change_ms == input + 50000);  // the app's timer: nothing to draw until then

    v = idle_state(input + 49999, input, p);
    CHECK(v.kind == IdleView::Kind::Active);
    v = idle_state(input + 50000, input, p);
    CHECK(v.kind == IdleView::Kind::Countdown);
    CHECK(v.countdown_s == 10);
    CHECK(v.next_change_ms == input + 51000);
    v = idle_state(input + 50500, input, p);
    CHECK(v.countdown_s == 10);
    v = idle_state(input + 51000, input, p);
    CHECK(v.countdown_s == 9);
    v = idle_state(input + 59001, input, p);
    CHECK(v.kind == IdleView::Kind::Countdown);
    CHECK(v.countdown_s == 1);
    CHECK(v.next_change_ms == input + 60000);
    v = idle_state(input + 60000, input, p);
    CHECK(v.kind == IdleView::Kind::Reset);
    CHECK(idle_state(input + 3600000, input, p).kind == IdleView::Kind::Reset);

    // A touch during the countdown starts the minute again.
    CHECK(idle_state(input + 55000, input + 54000, p).kind == IdleView::Kind::Active);
    // A clock set back behaves like fresh input, not like an instant reset.
    CHECK(idle_state(input - 5000, input, p).kind == IdleView::Kind::Active);

    IdlePolicy quick;
    quick.timeout_ms = 30000;
    CHECK(idle_state(input + 20000, input, quick).countdown_s == 10);
    CHECK(idle_state(input + 30000, input, quick).kind == IdleView::Kind::Reset);
}

TEST_CASE("the PIN, the failure count and the idle timeout are kept in the store's local settings") {
    const auto dir = std::filesystem::temp_directory_path() / ("liaison-kiosk-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        OpenOptions o;
        o.create = true;
        auto s = Store::open((dir / "liaison.db").string(), o);
        REQUIRE(s);
        REQUIRE((*s)->init("东湖街道代表联络站", "kiosk"));
        Store& st = **s;

        // A new tablet uses the documented default PIN and says so.
        auto first = load_lock(st);
        REQUIRE(first);
        CHECK(first->using_default_pin());
        CHECK(first->enter(kDefaultPin, 0).outcome == PinOutcome::Unlocked);

        CHECK_FALSE(set_pin(st, "12"));
        CHECK_FALSE(set_pin(st, kDefaultPin));
        REQUIRE(set_pin(st, "482916"));
        CHECK((*st.setting("kiosk.pin_hash")).find("482916") == std::string::npos);
        auto lock = load_lock(st);
        REQUIRE(lock);
        CHECK_FALSE(lock->using_default_pin());
        CHECK(lock->enter(kDefaultPin, 0).outcome == PinOutcome::Wrong);

        // Switching the tablet off and on does not give five fresh guesses.
        for (int i = 0; i < 4; ++i) lock->enter("000000", 1000);
        REQUIRE(save_lock_state(st, *lock));
        auto again = load_lock(st);
        REQUIRE(again);
        CHECK(again->attempts_left(2000) == 0);
        CHECK(again->enter("482916", 2000).outcome == PinOutcome::LockedOut);

        // Changing it on the settings screen needs the current PIN; wrong ones count too.
        auto fresh_start = load_lock(st);
        REQUIRE(fresh_start);
        fresh_start->restore({});
        REQUIRE(save_lock_state(st, *fresh_start));
        using O = PinChange::Outcome;
        CHECK((*change_pin(st, "482916", "135790", "135791", 10000)).outcome == O::Mismatch);
        CHECK((*change_pin(st, "482916", "12", "12", 10000)).outcome == O::BadFormat);
        CHECK((*change_pin(st, "482916", kDefaultPin, kDefaultPin, 10000)).outcome == O::DefaultPin);
        auto wrong = change_pin(st, "111111", "135790", "135790", 10000);
        REQUIRE(wrong);
        CHECK(wrong->outcome == O::Wrong);
        CHECK(wrong->attempts_left == 4);
        CHECK((*load_lock(st)).enter("135790", 10500).outcome == PinOutcome::Wrong);  // unchanged
        CHECK((*change_pin(st, "482916", "135790", "135790", 11000)).outcome == O::Changed);
        CHECK((*load_lock(st)).enter("135790", 12000).outcome == PinOutcome::Unlocked);

        CHECK((*idle_policy(st)).timeout_ms == 60000);
        CHECK_FALSE(set_idle_seconds(st, 5));
        REQUIRE(set_idle_seconds(st, 90));
        CHECK((*idle_policy(st)).timeout_ms == 90000);
        // Local settings never enter the replicated change log.
        auto log = st.replica().log_after(0, {}, 100000);
        REQUIRE(log);
        for (const auto& e : *log) CHECK(e.change.value.find("pbkdf2") == std::string::npos);
    }
    std::filesystem::remove_all(dir);
}
