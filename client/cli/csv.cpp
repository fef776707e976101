#include "client/cli/csv.h"

namespace liaison::cli {

Result<std::vector<CsvRecord>> parse_csv(const std::string& text) {
    auto records = sync::parse_csv(text);
    if (!records) return records.error();
    for (auto& rec : *records) unescape_record(rec);
    return records;
}

void unescape_record(CsvRecord& rec) {
    for (auto& f : rec.fields)
        if (sync::csv_apostrophe_escaped(f)) f.erase(0, 1);
}

}  // namespace liaison::cli
