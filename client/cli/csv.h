// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. A UTF-8 BOM is skipped.
#pragma once
#include <string>
#include <vector>

#include "sync/core/result.h"

namespace liaison::cli {

struct CsvRecord {
    size_t line = 0;  // line number where the record starts (1-based), for error messages
    std::vector<std::string> fields;
};

Result<std::vector<CsvRecord>> parse_csv(const std::string& text);
// Quoted when needed; a cell Excel would run as a formula (= + - @ first) gets an apostrophe
// before it, which parse_csv takes away again.
std::string csv_field(const std::string& s);

}  // namespace liaison::cli
