// CSV for the CLI's export and import: RFC 4180 (base/csv.h) plus the apostrophe that keeps a
// cell Excel would run as a formula text.
#pragma once
#include <string>
#include <vector>

#include "base/csv.h"

namespace liaison::cli {

using sync::CsvRecord;

// sync::parse_csv, then the export's apostrophe taken away again.
Result<std::vector<CsvRecord>> parse_csv(const std::string& text);
// The export's apostrophe taken away from the cells of one record (what parse_csv does).
void unescape_record(CsvRecord& rec);
// Quoted when needed; a cell Excel would run as a formula gets an apostrophe before it, which
// parse_csv takes away again (base/csv.h).
using sync::csv_field;

}  // namespace liaison::cli
