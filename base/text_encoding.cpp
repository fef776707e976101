#include "base/text_encoding.h"

#include "base/utf8.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <iconv.h>

namespace liaison::text {

namespace {

constexpr size_t kNone = std::string_view::npos;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// One iconv conversion descriptor, closed when it goes.
class Iconv {
public:
    Iconv(const char* to, const char* from) : cd_(::iconv_open(to, from)) {}
    ~Iconv() {
        if (ok()) ::iconv_close(cd_);
    }
    Iconv(const Iconv&) = delete;
    Iconv& operator=(const Iconv&) = delete;
    bool ok() const { return reinterpret_cast<std::intptr_t>(cd_) != -1; }  // iconv_open's (iconv_t)-1

    // Converts all of in into out. Returns the offset of the first sequence that does not convert
    // (an invalid or truncated one), or kNone when all of it did.
    size_t convert(std::string_view in, std::string& out) {
        ::iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // back to the initial state
        out.assign(in.size() * 2 + 16, '\0');
        char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write there
        size_t src_left = in.size();
        size_t used = 0;
        bool flushed = false;
        while (!flushed) {
            char* dst = out.data() + used;
            size_t dst_left = out.size() - used;
            // With input left, convert it; then once with none, to flush any pending state.
            const bool flushing = src_left == 0;
            const size_t r = flushing ? ::iconv(cd_, nullptr, nullptr, &dst, &dst_left)
                                      : ::iconv(cd_, &src, &src_left, &dst, &dst_left);
            used = out.size() - dst_left;
            if (r == static_cast<size_t>(-1)) {
                if (errno != E2BIG) return static_cast<size_t>(src - in.data());  // EILSEQ, EINVAL
                out.resize(out.size() * 2);
                continue;
            }
            flushed = flushing;
        }
        out.resize(used);
        return kNone;
    }

private:
    iconv_t cd_;
};

// "line L (byte offset O)" for the byte at offset `at` of the file.
std::string where(std::string_view bytes, size_t at) {
    const size_t line = 1 + static_cast<size_t>(std::count(bytes.begin(), bytes.begin() + at, '\n'));
    return "line " + std::to_string(line) + " (byte offset " + std::to_string(at) + ")";
}

// `what` names the source encoding in the error.
Result<std::string> convert(std::string_view in, const char* to, const char* from, const char* what) {
    Iconv cd(to, from);
    if (!cd.ok()) return Error{Error::Kind::Internal, std::string("iconv cannot convert from ") + from + " to " + to};
    std::string out;
    if (const size_t bad = cd.convert(in, out); bad != kNone)
        return invalid(std::string("not valid ") + what + ": " + where(in, bad));
    return out;
}

// The code point starting at s[i] of valid UTF-8; i moves past it.
char32_t next_code_point(std::string_view s, size_t& i) { return utf8::next_code_point(s, i).value_or(0xFFFD); }

// Windows-1252's characters for the bytes 0x80..0x9F (0 where it has none: those bytes come out
// as the C1 control of the same number, which Latin-1 covers).
constexpr char32_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// The byte a character stands for when a byte was read as Latin-1 or Windows-1252, or -1.
int single_byte_of(char32_t cp) {
    if (cp <= 0xFF) return static_cast<int>(cp);
    for (int k = 0; k < 32; ++k)
        if (kCp1252High[k] == cp) return 0x80 + k;
    return -1;
}

// What a repaired run may be made of: Latin, Greek and Cyrillic letters, general punctuation,
// the euro, CJK punctuation, ideographs and full-width forms.
bool plausible(char32_t cp) {
    return (cp >= 0xA0 && cp <= 0x24F) || (cp >= 0x370 && cp <= 0x4FF) || (cp >= 0x2000 && cp <= 0x206F) ||
           cp == 0x20AC || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x3400 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

// Check 1: a run of non-ASCII characters that each stand for one byte (Latin-1 or Windows-1252)
// and whose bytes are valid UTF-8 of plausible characters is UTF-8 that was read as Latin-1 and
// saved again. Returns the line of the first such run, or 0.
size_t double_encoded_line(std::string_view s) {
    size_t line = 1, i = 0;
    while (i < s.size()) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            if (s[i++] == '\n') ++line;
            continue;
        }
        std::string bytes;
        bool single = true;
        while (i < s.size() && static_cast<unsigned char>(s[i]) >= 0x80) {
            const int b = single_byte_of(next_code_point(s, i));
            if (b < 0) single = false;
            bytes.push_back(static_cast<char>(b));
        }
        if (!single || invalid_utf8_at(bytes) != kNone) continue;
        bool all_plausible = true;
        for (size_t k = 0; k < bytes.size();) all_plausible = all_plausible && plausible(next_code_point(bytes, k));
        if (all_plausible) return line;
    }
    return 0;
}

// Check 2's count: the non-ASCII characters of valid UTF-8 text that a Chinese ledger is expected
// to hold: those in GB2312 (its 6763 hanzi, Chinese punctuation, full-width forms, pinyin, Greek
// and Cyrillic: a two-byte GB18030 code with both bytes in 0xA1..0xFE) and Latin letters
// U+00C0..U+017F (names such as José, Zoë, Dvořák; not × and ÷).
size_t expected_characters(std::string_view s, Iconv& to_gb) {
    size_t n = 0;
    std::string gb;
    for (size_t i = 0; i < s.size();) {
        const size_t start = i;
        const char32_t cp = next_code_point(s, i);
        if (cp < 0x80) continue;
        if (cp >= 0xC0 && cp <= 0x17F && cp != 0xD7 && cp != 0xF7) {
            ++n;
            continue;
        }
        if (to_gb.convert(s.substr(start, i - start), gb) != kNone || gb.size() != 2) continue;
        const auto lead = static_cast<unsigned char>(gb[0]), trail = static_cast<unsigned char>(gb[1]);
        if (lead >= 0xA1 && lead <= 0xF7 && trail >= 0xA1 && trail <= 0xFE) ++n;
    }
    return n;
}

}  // namespace

Result<Encoding> parse_encoding(std::string_view name) {
    std::string n(name);
    for (auto& c : n) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (n == "auto") return Encoding::Auto;
    if (n == "utf-8" || n == "utf8") return Encoding::Utf8;
    if (n == "gb18030" || n == "gbk" || n == "gb2312") return Encoding::Gb18030;
    return invalid("unknown encoding '" + std::string(name) + "' (auto, utf-8, gb18030, gbk)");
}

size_t invalid_utf8_at(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const size_t at = i;
        if (!utf8::next_code_point(s, i)) return at;
    }
    return kNone;
}

Result<std::string> gb18030_to_utf8(std::string_view bytes) {
    return convert(bytes, "UTF-8", "GB18030", "GB18030/GBK");
}

Result<std::string> utf8_to_gb18030(std::string_view utf8) { return convert(utf8, "GB18030", "UTF-8", "UTF-8"); }

Status check_not_mis_encoded(std::string_view s) {
    if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) return {};
    if (const size_t line = double_encoded_line(s))
        return invalid(
            "the file looks mis-encoded: line " + std::to_string(line) +
            " holds UTF-8 that was read as Latin-1 and saved again (such as 'ä¸­' for '中'); open the "
            "original in Excel and save it as \"CSV UTF-8\", or pass --encoding utf-8 to import it as it is");
    Iconv from_gb("UTF-8", "GB18030"), to_gb("GB18030", "UTF-8");
    if (!from_gb.ok() || !to_gb.ok()) return Error{Error::Kind::Internal, "iconv has no GB18030"};
    std::string as_gb;
    if (from_gb.convert(s, as_gb) != kNone) return {};  // not GB18030 at all: UTF-8 it is
    const size_t gb = expected_characters(as_gb, to_gb), utf8 = expected_characters(s, to_gb);
    if (gb >= 2 && gb > 2 * utf8)
        return invalid("the file looks mis-encoded: it is valid UTF-8, but read as GBK it has " + std::to_string(gb) +
                       " common Chinese characters and read as UTF-8 only " + std::to_string(utf8) +
                       "; pass --encoding gbk to read it as GBK, or --encoding utf-8 to import it as it is");
    return {};
}

Result<Decoded> decode_text(std::string_view bytes, Encoding encoding) {
    const bool bom = bytes.substr(0, kBom.size()) == kBom;
    if (encoding == Encoding::Gb18030) {
        if (bom) return invalid("the file starts with a UTF-8 byte order mark: it is UTF-8, not GBK");
        LIAISON_ASSIGN_OR_RETURN(auto t, gb18030_to_utf8(bytes));
        return Decoded{std::move(t), Encoding::Gb18030};
    }
    const std::string_view body = bom ? bytes.substr(kBom.size()) : bytes;
    const size_t bad = invalid_utf8_at(body);
    if (bad == kNone) {
        if (encoding == Encoding::Auto) LIAISON_TRY(check_not_mis_encoded(body));
        return Decoded{std::string(body), Encoding::Utf8};
    }
    const size_t bad_utf8 = bad + (bom ? kBom.size() : 0);
    if (encoding == Encoding::Utf8 || bom)
        return invalid(std::string(bom ? "the file has a UTF-8 byte order mark but is " : "") +
                       "not valid UTF-8: " + where(bytes, bad_utf8));
    Iconv from_gb("UTF-8", "GB18030");
    if (!from_gb.ok()) return Error{Error::Kind::Internal, "iconv has no GB18030"};
    std::string text;
    const size_t bad_gb = from_gb.convert(bytes, text);
    if (bad_gb == kNone) return Decoded{std::move(text), Encoding::Gb18030};
    // The first place where neither reading can go on: the later of the two first faults.
    return invalid("neither UTF-8 nor GB18030/GBK: " + where(bytes, std::max(bad_utf8, bad_gb)) +
                   " is not valid in either; save the sheet as \"CSV UTF-8\"");
}

}  // namespace liaison::text
