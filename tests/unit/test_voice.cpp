// The desk's call-out (docs/queue.md, "Calling out"): the words in each language, and the
// announcer synthesising them with espeak-ng and queueing all of the sound to SDL audio (the
// dummy driver: nothing is heard, the queue drains in real time).
#include <doctest/doctest.h>

#include <cstdlib>

#include "client/ui/call_out.h"
#include "platform/sdl/voice.h"

using namespace liaison;

namespace {
ui::I18n lang(const char* l) {
    auto t = ui::I18n::load(LIAISON_ASSETS_DIR, l);
    REQUIRE(t);
    return std::move(*t);
}
}  // namespace

TEST_CASE("call_out: the number said letter by letter and digit by digit, in the app's language") {
    const auto zh = ui::call_out(lang("zh"), "A003");
    CHECK(zh.shown == "请 A003 号到接待台");
    CHECK(zh.voice == "cmn-latn-pinyin");
    CHECK(zh.spoken ==
          "qing3 A ling2 ling2 san1 hao4, dao4 jie1 dai4 tai2. "
          "qing3 A ling2 ling2 san1 hao4, dao4 jie1 dai4 tai2.");
    const auto en = ui::call_out(lang("en"), "B1024");
    CHECK(en.shown == "Number B1024, please come to the reception desk");
    CHECK(en.voice == "en");
    CHECK(en.spoken.find("Number B 1 0 2 4, please come to the reception desk.") == 0);
}

TEST_CASE("Announcer: the call-out is synthesised and all of it queued to SDL audio") {
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    platform::Announcer a;
    const auto zh = ui::call_out(lang("zh"), "A003");
    const auto en = ui::call_out(lang("en"), "A003");
    a.say({zh.shown, zh.spoken, zh.voice});
    a.say({en.shown, en.spoken, en.voice});
    a.say({"nobody", "hello", "no-such-voice"});
    REQUIRE(a.wait_idle(60000));
    const auto said = a.spoken();
    REQUIRE(said.size() == 3);
    for (size_t i = 0; i < 2; ++i) {
        CAPTURE(said[i].shown);
        CHECK(said[i].error.empty());
        CHECK(said[i].rate == 22050);
        // said twice: a few seconds of sound, not a click
        CHECK(said[i].samples > static_cast<size_t>(said[i].rate) * 3);
        CHECK(said[i].samples < static_cast<size_t>(said[i].rate) * 20);
        CHECK(said[i].queued_bytes == said[i].samples * 2);
    }
    CHECK(said[0].shown == "请 A003 号到接待台");
    CHECK(said[0].voice == "cmn-latn-pinyin");
    CHECK(said[1].voice == "en");
    CHECK(said[2].error.find("no voice") != std::string::npos);
    CHECK(said[2].queued_bytes == 0);
}

TEST_CASE("Announcer: closing cuts the sound playing and drops what waits") {
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    auto a = std::make_unique<platform::Announcer>();
    const auto zh = ui::call_out(lang("zh"), "A001");
    for (int i = 0; i < 5; ++i) a->say({zh.shown, zh.spoken, zh.voice});
    a.reset();  // returns promptly: ~25 s of sound waiting is not played out
}

TEST_CASE("Announcer: made and closed again and again, it never hangs on closing") {
    // The desk opens an announcer with the queue screen and closes it with the app; espeak-ng's
    // own shutdown raced with its worker thread and hung about one close in eight.
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    const auto zh = ui::call_out(lang("zh"), "A001");
    for (int i = 0; i < 12; ++i) {
        platform::Announcer a;
        a.say({zh.shown, "A", zh.voice});
        REQUIRE(a.wait_idle(60000));
        CHECK(a.spoken().at(0).error.empty());
    }
}
