#include "client/ui/text_wrap.h"

#include "base/utf8.h"

#include <algorithm>
#include <string_view>

namespace liaison::ui::wrap {

namespace {
// A cut or stray byte counts as one U+FFFD, as the glyph lookup draws it.
char32_t next_codepoint(std::string_view s, size_t& i) { return utf8::next_code_point(s, i).value_or(0xFFFD); }

// CJK ideographs, kana, hangul, fullwidth forms and the Private Use Area (the stand-ins for
// characters beyond the BMP, docs/app.md): a line may break between any two of them.
bool breaks_around(char32_t c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xE000 && c <= 0xFAFF) ||
           (c >= 0xFF00 && c <= 0xFFEF);
}
// Punctuation that never starts a line.
bool no_break_before(char32_t c) {
    static constexpr std::u32string_view kClosing = U"，。、；：？！）」』》〉】”’…·,.;:?!)]}%";
    return kClosing.find(c) != std::u32string_view::npos;
}
// Punctuation that never ends a line.
bool no_break_after(char32_t c) {
    static constexpr std::u32string_view kOpening = U"（「『《〈【“‘([{";
    return kOpening.find(c) != std::u32string_view::npos;
}
size_t char_start(const std::string& s, size_t i) {
    while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    return i;
}
}  // namespace

Wrapped wrap(const std::string& plain, float width, const Advance& advance) {
    std::vector<size_t> breaks;  // offsets in `plain` where a soft break goes
    size_t line_start = 0, opportunity = std::string::npos;
    float x = 0, x_at_opportunity = 0;
    char32_t prev = 0;
    for (size_t i = 0; i < plain.size();) {
        const size_t at = i;
        const char32_t c = next_codepoint(plain, i);
        if (c == '\n') {
            line_start = i;
            opportunity = std::string::npos;
            x = 0;
            prev = 0;
            continue;
        }
        // A break may go before this character: after a space, or next to a CJK character.
        if (at > line_start && !no_break_before(c) && !no_break_after(prev) &&
            (prev == ' ' || breaks_around(c) || breaks_around(prev))) {
            opportunity = at;
            x_at_opportunity = x;
        }
        const float a = advance(c);
        if (x + a > width && at > line_start && c != ' ') {
            if (opportunity != std::string::npos && opportunity > line_start) {
                breaks.push_back(opportunity);
                line_start = opportunity;
                x -= x_at_opportunity;
            } else {  // a word wider than the line: cut it here
                breaks.push_back(at);
                line_start = at;
                x = 0;
            }
            opportunity = std::string::npos;
        }
        x += a;
        prev = c;
    }
    Wrapped w;
    w.text.reserve(plain.size() + breaks.size());
    size_t from = 0;
    for (size_t b : breaks) {
        w.text.append(plain, from, b - from);
        w.soft.push_back(w.text.size());
        w.text.push_back('\n');
        from = b;
    }
    w.text.append(plain, from, std::string::npos);
    return w;
}

std::string strip(const std::string& text, const std::vector<size_t>& soft) {
    std::string out;
    out.reserve(text.size());
    size_t from = 0;
    for (size_t s : soft) {
        if (s < from || s >= text.size()) continue;
        out.append(text, from, s - from);
        from = s + 1;
    }
    out.append(text, std::min(from, text.size()), std::string::npos);
    return out;
}

Edit after_edit(const std::string& before, const std::vector<size_t>& soft, const std::string& after, size_t cursor) {
    // The edited span: what before and after do not share at either end (whole characters).
    size_t p = 0;
    const size_t n = std::min(before.size(), after.size());
    while (p < n && before[p] == after[p]) ++p;
    p = char_start(before, p);
    size_t s = 0;
    while (s < n - p && before[before.size() - 1 - s] == after[after.size() - 1 - s]) ++s;
    while (s > 0 && (static_cast<unsigned char>(before[before.size() - s]) & 0xC0) == 0x80) --s;
    const size_t del_end = before.size() - s, ins_end = after.size() - s;
    // Only a soft break deleted: the person deleted the last character of the line above.
    if (ins_end == p && del_end == p + 1 && std::binary_search(soft.begin(), soft.end(), p)) {
        std::vector<size_t> kept;
        size_t before_it = 0;
        for (size_t x : soft)
            if (x != p)
                kept.push_back(x);
            else
                before_it = kept.size();
        std::string plain = strip(before, kept);  // still holds the soft break at p... take it out too
        const size_t plain_p = p - before_it;     // where that break was in the plain text
        plain.erase(plain_p, 1);
        const size_t c0 = char_start(plain, plain_p > 0 ? plain_p - 1 : 0);
        if (plain_p > 0) plain.erase(c0, plain_p - c0);
        return {plain, plain_p > 0 ? c0 : 0};
    }
    std::vector<size_t> moved;
    for (size_t x : soft) {
        if (x < p)
            moved.push_back(x);
        else if (x >= del_end)
            moved.push_back(x - before.size() + after.size());
    }
    Edit e;
    e.plain = strip(after, moved);
    const size_t shift =
        static_cast<size_t>(std::count_if(moved.begin(), moved.end(), [&](size_t x) { return x < cursor; }));
    e.cursor = std::min(cursor - std::min(cursor, shift), e.plain.size());
    return e;
}

size_t to_wrapped(const Wrapped& w, size_t plain_pos) {
    size_t pos = plain_pos;
    for (size_t s : w.soft) {
        if (s <= pos)
            ++pos;
        else
            break;
    }
    return std::min(pos, w.text.size());
}

}  // namespace liaison::ui::wrap
