// RFC 4180 CSV reading: quoted fields may hold commas, quotes ("") and line breaks. A UTF-8 BOM
// is skipped, blank lines are passed over. Shared by the tablet's CLI import and the server's
// reference-data import.
#pragma once
#include <string>
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

}  // namespace liaison::sync
