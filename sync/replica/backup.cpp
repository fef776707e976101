#include "sync/replica/backup.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "sync/replica/crypt_vfs.h"

namespace liaison::db {
namespace {

struct CloseDb {
    void operator()(sqlite3* d) const { sqlite3_close_v2(d); }
};
struct FinishBackup {
    void operator()(sqlite3_backup* b) const { sqlite3_backup_finish(b); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;
using BackupHandle = std::unique_ptr<sqlite3_backup, FinishBackup>;

// Removes the half-written copy unless it was renamed into place.
struct PartFile {
    std::string path;
    bool keep = false;
    ~PartFile() {
        if (keep) return;
        std::error_code ec;
        for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
    }
};

Status copy_pages(sqlite3* src, sqlite3* dest, const std::string& dest_path) {
    BackupHandle b(sqlite3_backup_init(dest, "main", src, "main"));
    if (!b) return from_sqlite(sqlite3_errcode(dest), "backup to " + dest_path, dest);
    // All pages in one step: one read snapshot of the source, so writers on other connections
    // (WAL mode) neither block the copy nor make it restart.
    const int rc = sqlite3_backup_step(b.get(), -1);
    if (rc != SQLITE_DONE) return from_sqlite(rc, "backup to " + dest_path, dest);
    const int fin = sqlite3_backup_finish(b.release());
    if (fin != SQLITE_OK) return from_sqlite(fin, "backup to " + dest_path, dest);
    return {};
}

}  // namespace

Status check_integrity(Db& db, bool full) {
    auto st = db.prepare(full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)");
    if (!st) return st.error();
    auto r = st->step();
    if (!r) return r.error();
    std::string first = *r ? st->text(0) : "no answer";
    if (first == "ok") return {};
    // SQLite's report spans lines ("*** in database main ***\nPage 7: ..."); errors are one line.
    for (size_t p; (p = first.find('\n')) != std::string::npos;) first.replace(p, 1, " ");
    return Error{Error::Kind::Corrupt, "integrity check failed: " + first};
}

Status backup_to(Db& src, const std::string& dest_path, const std::shared_ptr<const StoreKey>& key) {
    PartFile part{dest_path + ".part"};
    {
        std::error_code ec;
        std::filesystem::remove(part.path, ec);
        sqlite3* raw = nullptr;
        std::unique_ptr<KeyLease> lease;  // declared first: it outlives the connection
        const int rc = open_connection(part.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, key, lease, &raw);
        DbHandle dest(raw);
        if (rc != SQLITE_OK) return from_sqlite(rc, "open " + part.path, raw);
        src.end_reads();
        LIAISON_TRY(copy_pages(src.raw(), dest.get(), dest_path));
        // The copy keeps the source's WAL flag; a backup is one self-contained file.
        char* err = nullptr;
        const int jm = sqlite3_exec(dest.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, &err);
        if (err) sqlite3_free(err);
        if (jm != SQLITE_OK) return from_sqlite(jm, "backup to " + dest_path, dest.get());
    }
    LIAISON_TRY(check_file(part.path, key));
    std::error_code ec;
    std::filesystem::rename(part.path, dest_path, ec);
    if (ec) return Error{Error::Kind::Io, "cannot write " + dest_path + ": " + ec.message()};
    part.keep = true;
    return {};
}

Status check_file(const std::string& path, const std::shared_ptr<const StoreKey>& key) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return not_found("no file " + path);
    if (std::filesystem::file_size(path, ec) == 0) return Error{Error::Kind::Corrupt, path + " is empty"};
    Db::Options o;
    o.read_only = true;
    o.key = key;
    auto db = Db::open(path, o);
    if (!db) return db.error();
    auto st = check_integrity(**db, true);
    if (!st) return Error{Error::Kind::Corrupt, path + ": " + st.error().message};
    return {};
}

}  // namespace liaison::db
