// Reference data from CSV files (docs/server.md lists the columns): stations, deputies,
// departments, categories. Written as the centre's changes with scope "*" so every tablet pulls
// them. Importing the same file again writes nothing; a changed cell writes that one field. The
// text may be UTF-8 or GBK (base/text_encoding.h decides; a mis-encoded file is refused).
#pragma once
#include <string>

#include "base/result.h"
#include "sync/server/storage.h"

namespace liaison::server {

struct ImportReport {
    size_t rows = 0;    // data rows read
    size_t fields = 0;  // field changes written
};

Result<ImportReport> import_reference_csv(Storage& storage, const std::string& kind, const std::string& csv_text);

}  // namespace liaison::server
