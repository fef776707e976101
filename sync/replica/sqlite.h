// Thin RAII over the SQLite C API, for the store layers (replica, domain store, server storage).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <sqlite3.h>

#include "base/result.h"
#include "sync/replica/store_key.h"

namespace liaison::db {

class KeyLease;  // sync/replica/crypt_vfs.h

class Stmt {
public:
    Stmt() = default;
    explicit Stmt(sqlite3_stmt* s, bool owned = true) : s_(s), owned_(owned) {}
    Stmt(Stmt&& o) noexcept : s_(o.s_), owned_(o.owned_) { o.s_ = nullptr; }
    Stmt& operator=(Stmt&& o) noexcept;
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt();

    Stmt& bind(int i, std::nullptr_t);
    Stmt& bind(int i, int64_t v);
    Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
    Stmt& bind(int i, double v);
    Stmt& bind(int i, std::string_view v);
    Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, const std::optional<std::string>& v);
    Stmt& bind(int i, const std::optional<int64_t>& v);

    // SQLITE_ROW -> true, SQLITE_DONE -> false; any error is returned.
    Result<bool> step();
    // Step to completion (for writes).
    Status run();
    // Calls fn(const Stmt&) on each row. fn returns void, or a Status whose error stops the
    // loop and is returned, as is any step error.
    template <class Fn>
    Status for_each_row(Fn&& fn);
    void reset();

    bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
    int type(int col) const { return sqlite3_column_type(s_, col); }
    int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
    double f64(int col) const { return sqlite3_column_double(s_, col); }
    std::string text(int col) const;
    std::optional<std::string> opt_text(int col) const;
    sqlite3_stmt* raw() const { return s_; }

private:
    sqlite3_stmt* s_ = nullptr;
    bool owned_ = true;
    Status bind_status_;
    friend class Db;
};

template <class Fn>
Status Stmt::for_each_row(Fn&& fn) {
    for (;;) {
        auto r = step();
        if (!r) return r.error();
        if (!*r) return {};
        if constexpr (std::is_void_v<std::invoke_result_t<Fn&, const Stmt&>>) {
            fn(std::as_const(*this));
        } else {
            LIAISON_TRY(fn(std::as_const(*this)));
        }
    }
}

// One connection. Not thread-safe: each thread opens its own (the sync worker has one).
class Db {
public:
    struct Options {
        bool read_only = false;
        int busy_timeout_ms = 3000;     // then "locked by another process", never a hang
        bool synchronous_full = false;  // NORMAL is durable across app crashes in WAL mode
        // Freed pages and deleted cells are overwritten with zeros, so a masked or deleted
        // voter's name is not left in the file (docs/retention.md).
        bool secure_delete = true;
        // Non-null: every file of the store (database, WAL, journal) is encrypted with this
        // key (docs/security.md, "Encryption at rest"); a wrong key is an Error of kind
        // WrongKey and writes nothing. Null: a plaintext file, as before.
        std::shared_ptr<const StoreKey> key;
    };
    static Result<std::unique_ptr<Db>> open(const std::string& path, const Options& opt);
    static Result<std::unique_ptr<Db>> open(const std::string& path) { return open(path, Options{}); }
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    Status exec(std::string_view sql);
    // A fresh statement, finalized when the Stmt dies.
    Result<Stmt> prepare(std::string_view sql);
    // A statement cached on this connection (reset and cleared on each call): for hot paths.
    Stmt& cached(const std::string& sql);
    // Resets every statement left mid-result (a single-row lookup stops at its first row), so
    // this connection holds no read snapshot: it sees other connections' commits again, and a
    // following BEGIN IMMEDIATE cannot fail on a stale snapshot. Tx::begin calls it.
    void end_reads();
    Error last_error(std::string_view what) const;
    int64_t changes() const { return sqlite3_changes64(db_); }
    int64_t total_changes() const { return sqlite3_total_changes64(db_); }
    sqlite3* raw() const { return db_; }
    const std::string& path() const { return path_; }

private:
    Db();
    std::unique_ptr<KeyLease> key_lease_;  // the key's registration, outlives db_ (closed in ~Db)
    sqlite3* db_ = nullptr;
    std::string path_;
    std::map<std::string, Stmt, std::less<>> cache_;
    Stmt broken_;  // returned by cached() when prepare fails; every step on it reports the error
};

// BEGIN IMMEDIATE ... COMMIT; a stack guard that rolls back when destroyed uncommitted (error
// paths, exceptions). Movable, so begin() can return it in a Result; a moved-from Tx does nothing.
class Tx {
public:
    static Result<Tx> begin(Db& db);
    Status commit();
    ~Tx();
    Tx(Tx&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
    Tx& operator=(Tx&& o) noexcept;
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;

private:
    explicit Tx(Db& db) : db_(&db) {}
    void rollback() noexcept;
    Db* db_ = nullptr;  // null once committed, rolled back or moved from
};

Error from_sqlite(int rc, std::string_view what, sqlite3* db);

}  // namespace liaison::db
