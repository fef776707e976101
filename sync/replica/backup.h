// Whole-database safety for the tablet's store and the server's: integrity checks and online
// copies (SQLite's backup API), shared by `liaison backup|restore|check` and `liaison-central backup`.
#pragma once
#include <memory>
#include <string>

#include "base/result.h"
#include "sync/replica/sqlite.h"

namespace liaison::db {

// PRAGMA quick_check (full = false: page structure, cheap) or integrity_check (full = true: also
// every index against its table). An Error of kind Corrupt carries SQLite's first complaint.
Status check_integrity(Db& db, bool full);

// A consistent copy of `src` at `dest_path`, taken while other connections keep writing: one
// read snapshot copied page by page into `dest_path`.part, checked, then renamed into place, so
// `dest_path` is either the old file or a complete copy. The copy is a single file (no -wal).
// With `key` the copy is encrypted with it (give an encrypted store's backup the store's key).
Status backup_to(Db& src, const std::string& dest_path, const std::shared_ptr<const StoreKey>& key = nullptr);

// Opens the file at `path` read-only (decrypting with `key` when set) and runs the full check;
// for files about to be restored.
Status check_file(const std::string& path, const std::shared_ptr<const StoreKey>& key = nullptr);

}  // namespace liaison::db
