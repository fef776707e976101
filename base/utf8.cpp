#include "base/utf8.h"

namespace liaison::utf8 {

std::optional<char32_t> next_code_point(std::string_view s, size_t& i) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    if (c < 0x80) {
        ++i;
        return c;
    }
    const size_t n = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
    if (n == 0) {
        ++i;
        return std::nullopt;
    }
    char32_t cp = c & (0x3Fu >> n);
    for (size_t k = 1; k <= n; ++k) {
        if (i + k >= s.size() || (byte(i + k) & 0xC0) != 0x80) {
            i += k;
            return std::nullopt;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    i += n + 1;
    const bool overlong = (n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    return cp;
}

bool valid(std::string_view s) {
    for (size_t i = 0; i < s.size();)
        if (!next_code_point(s, i)) return false;
    return true;
}

}  // namespace liaison::utf8
