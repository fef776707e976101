// The command line's CSV reader (visit import) on any text: never crashes, refuses with a line
// number, and what it reads survives the export's quoting: parse(write(parse(x))) == parse(x).
// The same bytes, cut at NUL into cells, must also come back unchanged from write then parse.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "client/cli/csv.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using liaison::cli::csv_field;
using liaison::cli::parse_csv;

// As the export writes it: a UTF-8 BOM for Excel, then CRLF lines.
std::string write_csv(const std::vector<std::vector<std::string>>& rows) {
    std::string out = "\xEF\xBB\xBF";
    for (const auto& row : rows) {
        for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + csv_field(row[i]);
        out += "\r\n";
    }
    return out;
}

std::vector<std::vector<std::string>> fields_of(const std::vector<liaison::cli::CsvRecord>& records) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : records) rows.push_back(r.fields);
    return rows;
}

// One record of the cells between NULs; a record of one empty cell is a blank line, which the
// reader skips by design, so it is not asked to come back.
void check_write_then_read(const std::string& text) {
    std::vector<std::string> cells(1);
    for (char c : text) {
        if (c == '\0')
            cells.emplace_back();
        else
            cells.back().push_back(c);
    }
    if (cells.size() == 1 && cells[0].empty()) return;
    auto back = parse_csv(write_csv({cells}));
    liaison::fuzz::check(back.ok(), "a written record reads back");
    liaison::fuzz::check(back->size() == 1 && back->front().fields == cells, "write then read keeps every cell");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using liaison::fuzz::check;
    const std::string text(reinterpret_cast<const char*>(data), size);
    check_write_then_read(text);
    auto records = parse_csv(text);
    if (!records) {
        check(records.error().message.rfind("line ", 0) == 0, "a refusal names its line");
        return 0;
    }
    const auto rows = fields_of(*records);
    auto again = parse_csv(write_csv(rows));
    check(again.ok(), "what was read, written again, reads back");
    check(fields_of(*again) == rows, "read, write, read gives the same cells");
    return 0;
}
