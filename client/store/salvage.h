// What can still be read from a damaged store: the tablet's enrolment (so `liaison recover` can
// rebuild it from the centre without a new code) and the changes it never sent.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/replica/store_key.h"

namespace liaison::store {

struct UnsentChange {
    std::string table, row, column;
};

struct Salvage {
    bool readable = false;  // the file opened at all
    std::string device_id, device_name, station_id, server_url, token, ca_file;
    bool unsent_readable = false;
    std::vector<UnsentChange> unsent;  // never pushed, oldest first
};

// Best effort, read-only: every part that SQLite can still read; nothing is written.
Salvage salvage(const std::string& path, const std::shared_ptr<const db::StoreKey>& key = nullptr);

}  // namespace liaison::store
