// Soft wrapping of multi-line fields (client/ui/text_wrap.h): lines fit, CJK breaks between
// characters, the stored text never carries a soft break, and edits keep the caret in place.
#include <doctest/doctest.h>

#include "client/ui/text_wrap.h"

using namespace liaison::ui::wrap;

namespace {
// Every character one unit wide, CJK two: a field `w` units wide.
float adv(char32_t c) { return c >= 0x2E80 ? 2.0f : 1.0f; }
const Advance kAdv = adv;
}  // namespace

TEST_CASE("latin text breaks after spaces, a long word is cut") {
    const Wrapped w = wrap("the street light is out", 10, kAdv);
    CHECK(w.text == "the street \nlight is \nout");  // a space hangs at the line end
    CHECK(strip(w.text, w.soft) == "the street light is out");
    const Wrapped cut = wrap("abcdefghijklmnop", 6, kAdv);
    CHECK(cut.text == "abcdef\nghijkl\nmnop");
    CHECK(strip(cut.text, cut.soft) == "abcdefghijklmnop");
}

TEST_CASE("CJK breaks between characters, never before closing punctuation") {
    const Wrapped w = wrap("小区门口路灯不亮，晚上很黑", 8, kAdv);  // four characters a line
    CHECK(w.text == "小区门口\n路灯不\n亮，晚上\n很黑");
    CHECK(strip(w.text, w.soft) == "小区门口路灯不亮，晚上很黑");
    // mixed with Latin, a stand-in for 𠀋 (Private Use Area) is CJK too
    const Wrapped m = wrap("路灯 No.3 Road \uE000\uE000", 8, kAdv);
    CHECK(strip(m.text, m.soft) == "路灯 No.3 Road \uE000\uE000");
    for (size_t a = 0; a <= m.text.size();) {
        size_t b = m.text.find('\n', a);
        if (b == std::string::npos) b = m.text.size();
        float x = 0;
        for (size_t i = a; i < b; ++i)
            if ((static_cast<unsigned char>(m.text[i]) & 0xC0) != 0x80)
                x += static_cast<unsigned char>(m.text[i]) >= 0xE0 ? 2 : 1;
        CHECK(x <= 8 + 1);  // a space may hang past the edge
        a = b + 1;
    }
}

TEST_CASE("CJK never breaks after opening punctuation: 接待选民（批次） keeps （ with 批次") {
    const Wrapped w = wrap("接待选民（批次）", 10, kAdv);  // five characters a line
    CHECK(w.text == "接待选民\n（批次）");
    CHECK(strip(w.text, w.soft) == "接待选民（批次）");
}

TEST_CASE("the text's own line breaks stay; a 180-character complaint fits its field") {
    const Wrapped w = wrap("第一行\n第二行", 100, kAdv);
    CHECK(w.text == "第一行\n第二行");
    CHECK(w.soft.empty());
    std::string long_text;
    for (int i = 0; i < 180; ++i) long_text += "路";
    const Wrapped l = wrap(long_text, 40, kAdv);
    CHECK(l.soft.size() == 8);  // 20 characters a line: 9 lines
    CHECK(strip(l.text, l.soft) == long_text);
}

TEST_CASE("typing at the end of a full line: the stored text gets exactly what was typed") {
    const Wrapped w = wrap("abcd efgh", 5, kAdv);
    REQUIRE(w.text == "abcd \nefgh");
    const std::string after = w.text + "i";
    const Edit e = after_edit(w.text, w.soft, after, after.size());
    CHECK(e.plain == "abcd efghi");
    CHECK(e.cursor == e.plain.size());
    const Wrapped again = wrap(e.plain, 5, kAdv);
    CHECK(to_wrapped(again, e.cursor) == again.text.size());
}

TEST_CASE("backspace at the start of a wrapped line deletes the character before the break") {
    const Wrapped w = wrap("小区门口路灯", 8, kAdv);
    REQUIRE(w.text == "小区门口\n路灯");
    std::string after = w.text;
    after.erase(w.soft[0], 1);  // ImGui deleted the soft '\n'
    const Edit e = after_edit(w.text, w.soft, after, w.soft[0]);
    CHECK(e.plain == "小区门路灯");
    CHECK(e.cursor == std::string("小区门").size());
}

TEST_CASE("typing in the middle keeps the caret after what was typed") {
    const Wrapped w = wrap("小区门口路灯不亮", 8, kAdv);
    REQUIRE(w.text == "小区门口\n路灯不亮");
    std::string after = w.text;
    const size_t at = w.text.find("路灯");
    after.insert(at, "东");
    const Edit e = after_edit(w.text, w.soft, after, at + std::string("东").size());
    CHECK(e.plain == "小区门口东路灯不亮");
    CHECK(e.plain.substr(0, e.cursor) == "小区门口东");
    const Wrapped again = wrap(e.plain, 8, kAdv);
    CHECK(again.text.substr(0, to_wrapped(again, e.cursor)) == "小区门口\n东");
}
