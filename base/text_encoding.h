// The text encoding of an imported file (docs/import.md): UTF-8, with or without a BOM, is read
// as it is; a file that is not UTF-8 is read as GB18030 (a superset of GBK and GB2312: what Excel
// on Chinese Windows writes for "CSV") when every byte of it converts. A UTF-8 file that looks
// mis-encoded is refused unless the caller forces UTF-8. glibc's iconv does the converting.
#pragma once
#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

#include "base/result.h"

namespace liaison::text {

enum class Encoding { Auto, Utf8, Gb18030 };

// "auto", "utf-8" (or "utf8"), "gb18030", "gbk" and "gb2312" (both read as GB18030), any case.
Result<Encoding> parse_encoding(std::string_view name);

// The byte offset of the first byte that is not part of valid UTF-8 (overlong forms, surrogates
// and truncated sequences are invalid), or std::string_view::npos when all of s is valid.
size_t invalid_utf8_at(std::string_view s);

// Whole-text conversions; the error names the line (1-based) and byte offset (0-based) of the
// first sequence that does not convert.
Result<std::string> gb18030_to_utf8(std::string_view bytes);
Result<std::string> utf8_to_gb18030(std::string_view utf8);

// The two checks on text that is valid UTF-8 (the BOM already taken off), documented exactly in
// docs/import.md: (1) a run of characters that are really bytes of UTF-8 read as Latin-1 or
// Windows-1252 ("ä¸­" for "中"); (2) GBK bytes that happen to be valid UTF-8: read as GB18030
// they give at least 2, and more than twice as many, expected characters as read as UTF-8.
// The error says which, on which line, and how to re-save the file.
Status check_not_mis_encoded(std::string_view utf8);

struct Decoded {
    std::string text;  // UTF-8, without a BOM
    Encoding source = Encoding::Utf8;
};

// A file's bytes as UTF-8 text. Auto: UTF-8 (checked by check_not_mis_encoded), else GB18030,
// else refused naming the first line that is valid in neither. Utf8: must be valid UTF-8, no
// check. Gb18030: must convert completely.
Result<Decoded> decode_text(std::string_view bytes, Encoding encoding = Encoding::Auto);

// decode_text for a file read a block at a time, in memory bounded by its longest line whatever
// its size: every block first goes through a probe, which decides the encoding by the same rules
// with the same errors, then through decode_block. A block ends at a line break (no character
// of UTF-8 or GB18030 holds the byte 0x0A) or at the file's end.
class EncodingProbe {
public:
    explicit EncodingProbe(Encoding requested) : requested_(requested) {}
    void add(std::string_view block);
    // Utf8 or Gb18030, or the error decode_text gives for the whole file.
    Result<Encoding> finish() const;

private:
    struct Fault {
        size_t at = std::string_view::npos, line = 0;  // byte offset in the file, 1-based line
        bool found() const { return at != std::string_view::npos; }
    };
    void check_utf8_block(std::string_view body, const std::string& as_gb);
    Encoding requested_;
    size_t offset_ = 0, lines_ = 0;  // bytes and line breaks before this block
    bool bom_ = false, gb_ok_ = true;
    Fault bad_utf8_, bad_gb_;
    size_t double_encoded_line_ = 0, gb_expected_ = 0, utf8_expected_ = 0;
};

// A block of the file as UTF-8, read as `decided` (EncodingProbe::finish). The first block's
// BOM is taken off.
Result<std::string> decode_block(std::string_view block, Encoding decided, bool first);

// Reads `in` to its end in blocks of about `size` bytes that end at a line break (a line longer
// than that makes a longer block), handing each to `fn`; stops at fn's first error.
Status for_each_line_block(std::istream& in, const std::function<Status(std::string_view)>& fn,
                           size_t size = size_t{1} << 20);

}  // namespace liaison::text
