#pragma once
// UTF-8 decoding, one copy for the whole program: the rules that validate every pushed value
// and the UI that draws and wraps text read characters the same way.

#include <cstddef>
#include <optional>
#include <string_view>

namespace liaison::utf8 {

// The code point at s[i], moving i past it. A malformed sequence (bad lead byte, cut or broken
// continuation, overlong form, surrogate, beyond U+10FFFF) gives nullopt and moves i past the
// bytes it spoiled, at least one, so a loop always ends.
std::optional<char32_t> next_code_point(std::string_view s, size_t& i);

// True when every byte of s belongs to a well-formed code point.
bool valid(std::string_view s);

}  // namespace liaison::utf8
