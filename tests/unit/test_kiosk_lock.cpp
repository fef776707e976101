// The kiosk's idle timeout (leaving the kiosk is an administrator's sign-in: test_keyring.cpp).
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

TEST_CASE("SHA-256 matches the published test vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
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

TEST_CASE("the idle timeout is kept in the store's local settings") {
    const auto dir = std::filesystem::temp_directory_path() / ("liaison-kiosk-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        OpenOptions o;
        o.create = true;
        auto s = Store::open((dir / "liaison.db").string(), o);
        REQUIRE(s);
        REQUIRE((*s)->init("东湖街道代表联络站", "kiosk"));
        Store& st = **s;

        CHECK((*idle_policy(st)).timeout_ms == 60000);
        CHECK_FALSE(set_idle_seconds(st, 5));
        REQUIRE(set_idle_seconds(st, 90));
        CHECK((*idle_policy(st)).timeout_ms == 90000);
        // Local settings never enter the replicated change log.
        auto log = st.replica().log_after(0, {}, 100000);
        REQUIRE(log);
        for (const auto& e : *log) CHECK(e.change.row.find("kiosk.idle") == std::string::npos);
    }
    std::filesystem::remove_all(dir);
}
