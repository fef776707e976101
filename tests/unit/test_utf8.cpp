// base/utf8: the one decoder behind push validation, glyph lookup and line wrapping.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "base/utf8.h"

using namespace liaison;

namespace {
// Every step of a decode: the code point (0 for a malformed step) and where i went.
std::vector<std::pair<char32_t, size_t>> steps(std::string_view s) {
    std::vector<std::pair<char32_t, size_t>> out;
    for (size_t i = 0; i < s.size();) {
        const auto cp = utf8::next_code_point(s, i);
        out.emplace_back(cp.value_or(0), i);
    }
    return out;
}
}  // namespace

TEST_CASE("well-formed text decodes to its code points, 1 to 4 bytes each") {
    const auto got = steps("a\xc3\xa9\xe4\xb8\xad\xf0\xa0\x80\x8b");  // a é 中 𠀋
    REQUIRE(got.size() == 4);
    CHECK(got[0] == std::make_pair(char32_t{'a'}, size_t{1}));
    CHECK(got[1] == std::make_pair(char32_t{0xE9}, size_t{3}));
    CHECK(got[2] == std::make_pair(char32_t{0x4E2D}, size_t{6}));
    CHECK(got[3] == std::make_pair(char32_t{0x2000B}, size_t{10}));
    CHECK(utf8::valid("中文 abc 𠀋"));
    CHECK(utf8::valid(""));
}

TEST_CASE("malformed bytes are refused and skipped, never read past the end") {
    CHECK_FALSE(utf8::valid("\xed\xa0\x80"));      // surrogate
    CHECK_FALSE(utf8::valid("\xc0\xaf"));          // overlong
    CHECK_FALSE(utf8::valid("\xf4\x90\x80\x80"));  // beyond U+10FFFF
    CHECK_FALSE(utf8::valid("\xe4\xb8"));          // cut at the end
    CHECK_FALSE(utf8::valid("\x80"));              // stray continuation
    // A broken sequence spoils only its own bytes: the next character still decodes.
    const auto got = steps("\xe4X\xe4\xb8");
    REQUIRE(got.size() == 3);
    CHECK(got[0] == std::make_pair(char32_t{0}, size_t{1}));
    CHECK(got[1] == std::make_pair(char32_t{'X'}, size_t{2}));
    CHECK(got[2] == std::make_pair(char32_t{0}, size_t{4}));
}
