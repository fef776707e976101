// RFC 4180 CSV reading and writing: quoted fields may hold commas, quotes ("") and line breaks. A UTF-8 BOM
// is skipped, blank lines are passed over. Shared by the tablet's CLI import and the server's
// reference-data import.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace liaison::sync {

struct CsvRecord {
    size_t line = 0;  // line number where the record starts (1-based), for error messages
    std::vector<std::string> fields;
};

// Fields exactly as written (no trimming, no unescaping beyond RFC 4180). A malformed file is
// refused with the line of the fault.
Result<std::vector<CsvRecord>> parse_csv(const std::string& text);

// The same reading, of text that arrives in pieces (a file read a block at a time): only the
// record being read is held, however long the file.
class CsvReader {
public:
    void feed(std::string_view text);
    void finish() { at_end_ = true; }  // no more pieces: a record left open is unterminated
    // The next whole record; nullopt when it needs another piece (or, after finish(), at the end).
    Result<std::optional<CsvRecord>> next();

private:
    std::string buf_;
    size_t pos_ = 0, line_ = 1;
    bool at_end_ = false, bom_checked_ = false;
};

// Writing. A cell Excel or WPS would run as a formula (= + - @ tab CR first, after any
// apostrophes) gets an apostrophe before it, so a voter's "=HYPERLINK(...)" stays text; quoted
// when needed.
std::string csv_field(const std::string& s);
// Whether a cell read back carries that apostrophe (the reader takes exactly it away again).
bool csv_apostrophe_escaped(const std::string& cell);
// A whole file: UTF-8 with a BOM (so Excel opens Chinese text right), CRLF line ends.
std::string csv_document(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

}  // namespace liaison::sync
