#include "base/text_encoding.h"

#include "base/utf8.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <iconv.h>
#include <vector>

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

// "line L (byte offset O)".
std::string where(size_t line, size_t at) {
    return "line " + std::to_string(line) + " (byte offset " + std::to_string(at) + ")";
}

// The line of the byte at offset `at` of s, counting from the line of s[0].
size_t line_at(std::string_view s, size_t at, size_t first_line) {
    return first_line + static_cast<size_t>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

// For the byte at offset `at` of the file.
std::string where(std::string_view bytes, size_t at) { return where(line_at(bytes, at, 1), at); }

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
    EncodingProbe probe(Encoding::Auto);
    probe.add(s);
    auto decided = probe.finish();
    if (!decided) return decided.error();
    return {};
}

void EncodingProbe::add(std::string_view block) {
    const bool first = offset_ == 0;
    if (first) bom_ = block.substr(0, kBom.size()) == kBom;
    const size_t skip = first && bom_ ? kBom.size() : 0;
    const std::string_view body = block.substr(skip);
    const size_t body_at = offset_ + skip;
    // The GB18030 reading: the fallback, and check 2's other side.
    std::string as_gb;
    if (requested_ != Encoding::Utf8 && gb_ok_) {
        Iconv from_gb("UTF-8", "GB18030");
        const size_t bad = from_gb.ok() ? from_gb.convert(body, as_gb) : 0;
        if (bad != kNone) {
            gb_ok_ = false;
            bad_gb_ = {body_at + bad, line_at(body, bad, lines_ + 1)};
        }
    }
    if (requested_ != Encoding::Gb18030 && !bad_utf8_.found()) {
        if (const size_t bad = invalid_utf8_at(body); bad != kNone)
            bad_utf8_ = {body_at + bad, line_at(body, bad, lines_ + 1)};
        else if (requested_ == Encoding::Auto)
            check_utf8_block(body, as_gb);
    }
    offset_ += block.size();
    lines_ += static_cast<size_t>(std::count(block.begin(), block.end(), '\n'));
}

// The two checks of docs/import.md on a block of valid UTF-8; check 2 counts over the whole file.
void EncodingProbe::check_utf8_block(std::string_view body, const std::string& as_gb) {
    if (double_encoded_line_ == 0)
        if (const size_t line = double_encoded_line(body)) double_encoded_line_ = lines_ + line;
    if (!gb_ok_) return;  // not GB18030 at all: UTF-8 it is
    Iconv to_gb("GB18030", "UTF-8");
    if (!to_gb.ok()) return;
    gb_expected_ += expected_characters(as_gb, to_gb);
    utf8_expected_ += expected_characters(body, to_gb);
}

Result<Encoding> EncodingProbe::finish() const {
    if (requested_ == Encoding::Gb18030) {
        if (bom_) return invalid("the file starts with a UTF-8 byte order mark: it is UTF-8, not GBK");
        if (bad_gb_.found()) return invalid("not valid GB18030/GBK: " + where(bad_gb_.line, bad_gb_.at));
        return Encoding::Gb18030;
    }
    if (!bad_utf8_.found()) {
        if (requested_ != Encoding::Auto) return Encoding::Utf8;
        if (double_encoded_line_ != 0)
            return invalid(
                "the file looks mis-encoded: line " + std::to_string(double_encoded_line_) +
                " holds UTF-8 that was read as Latin-1 and saved again (such as 'ä¸­' for '中'); open the "
                "original in Excel and save it as \"CSV UTF-8\", or pass --encoding utf-8 to import it as it is");
        if (gb_ok_ && gb_expected_ >= 2 && gb_expected_ > 2 * utf8_expected_)
            return invalid("the file looks mis-encoded: it is valid UTF-8, but read as GBK it has " +
                           std::to_string(gb_expected_) + " common Chinese characters and read as UTF-8 only " +
                           std::to_string(utf8_expected_) +
                           "; pass --encoding gbk to read it as GBK, or --encoding utf-8 to import it as it is");
        return Encoding::Utf8;
    }
    if (requested_ == Encoding::Utf8 || bom_)
        return invalid(std::string(bom_ ? "the file has a UTF-8 byte order mark but is " : "") +
                       "not valid UTF-8: " + where(bad_utf8_.line, bad_utf8_.at));
    if (!bad_gb_.found()) return Encoding::Gb18030;
    // The first place where neither reading can go on: the later of the two first faults.
    const Fault& later = bad_utf8_.at > bad_gb_.at ? bad_utf8_ : bad_gb_;
    return invalid("neither UTF-8 nor GB18030/GBK: " + where(later.line, later.at) +
                   " is not valid in either; save the sheet as \"CSV UTF-8\"");
}

Result<std::string> decode_block(std::string_view block, Encoding decided, bool first) {
    if (decided == Encoding::Gb18030) return gb18030_to_utf8(block);
    if (first && block.substr(0, kBom.size()) == kBom) block.remove_prefix(kBom.size());
    return std::string(block);
}

Status for_each_line_block(std::istream& in, const std::function<Status(std::string_view)>& fn, size_t size) {
    std::string buf;
    std::vector<char> chunk(size);
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        buf.append(chunk.data(), static_cast<size_t>(in.gcount()));
        const size_t end = buf.rfind('\n');
        if (end == std::string::npos) continue;
        LIAISON_TRY(fn(std::string_view(buf).substr(0, end + 1)));
        buf.erase(0, end + 1);
    }
    if (in.bad()) return invalid("cannot read the file");
    if (!buf.empty()) return fn(buf);
    return {};
}

Result<Decoded> decode_text(std::string_view bytes, Encoding encoding) {
    EncodingProbe probe(encoding);
    probe.add(bytes);
    LIAISON_ASSIGN_OR_RETURN(const Encoding decided, probe.finish());
    LIAISON_ASSIGN_OR_RETURN(auto text, decode_block(bytes, decided, true));
    return Decoded{std::move(text), decided};
}

}  // namespace liaison::text
