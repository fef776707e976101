#include "sync/replica/sqlite.h"

#include <cstdio>

#include "sync/replica/crypt_vfs.h"

namespace liaison::db {

Error from_sqlite(int rc, std::string_view what, sqlite3* db) {
    const int primary = rc & 0xff;
    std::string msg(what);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (rc != primary) msg += " [" + std::to_string(rc) + "]";  // BUSY_SNAPSHOT and BUSY read alike
    switch (primary) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return {Error::Kind::Locked, "the store is locked by another process (" + msg + ")"};
        case SQLITE_FULL: return {Error::Kind::Full, "the disk is full (" + msg + ")"};
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
        case SQLITE_PERM: return {Error::Kind::Io, msg};
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: return {Error::Kind::Corrupt, msg};
        case SQLITE_CONSTRAINT: return {Error::Kind::Invalid, msg};
        default: return {Error::Kind::Internal, msg};
    }
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
    if (this != &o) {
        if (owned_ && s_) sqlite3_finalize(s_);
        s_ = o.s_;
        owned_ = o.owned_;
        o.s_ = nullptr;
    }
    return *this;
}

Stmt::~Stmt() {
    if (owned_ && s_) sqlite3_finalize(s_);
}

static void note(Status& st, int rc, sqlite3_stmt* s) {
    if (rc != SQLITE_OK && st.ok()) st = from_sqlite(rc, "bind", sqlite3_db_handle(s));
}

Stmt& Stmt::bind(int i, std::nullptr_t) {
    if (s_) note(bind_status_, sqlite3_bind_null(s_, i), s_);
    return *this;
}
Stmt& Stmt::bind(int i, int64_t v) {
    if (s_) note(bind_status_, sqlite3_bind_int64(s_, i, v), s_);
    return *this;
}
Stmt& Stmt::bind(int i, double v) {
    if (s_) note(bind_status_, sqlite3_bind_double(s_, i, v), s_);
    return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
    if (s_) note(bind_status_, sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8), s_);
    return *this;
}
Stmt& Stmt::bind(int i, const std::optional<std::string>& v) { return v ? bind(i, *v) : bind(i, nullptr); }
Stmt& Stmt::bind(int i, const std::optional<int64_t>& v) { return v ? bind(i, *v) : bind(i, nullptr); }

Result<bool> Stmt::step() {
    if (!s_) return Error{Error::Kind::Internal, "statement failed to prepare"};
    if (!bind_status_.ok()) return bind_status_.error();
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Error e = from_sqlite(rc, "step", sqlite3_db_handle(s_));
    sqlite3_reset(s_);
    return e;
}

Status Stmt::run() {
    return for_each_row([](const Stmt&) {});
}

void Stmt::reset() {
    if (!s_) return;
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    bind_status_ = {};
}

std::string Stmt::text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, col))) : std::string();
}

std::optional<std::string> Stmt::opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
}

Result<std::unique_ptr<Db>> Db::open(const std::string& path, const Options& opt) {
    // A wrong key is found before SQLite touches the file, so it writes nothing (no -wal either).
    if (opt.key) LIAISON_TRY(check_store_key(path, *opt.key));
    std::unique_ptr<Db> d(new Db());  // private constructor: make_unique cannot reach it
    d->path_ = path;
    const int flags = opt.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = open_connection(path, flags | SQLITE_OPEN_NOMUTEX, opt.key, d->key_lease_, &d->db_);
    if (rc != SQLITE_OK) return from_sqlite(rc, "open " + path, d->db_);
    sqlite3_extended_result_codes(d->db_, 1);
    sqlite3_busy_timeout(d->db_, opt.busy_timeout_ms);
    if (!opt.read_only) {
        // journal_mode needs a write lock on a fresh file: a busy answer here means another
        // process holds the store.
        auto st = d->exec("PRAGMA journal_mode=WAL");
        if (!st) return st.error();
    }
    LIAISON_TRY(d->exec(opt.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
    LIAISON_TRY(d->exec("PRAGMA foreign_keys=ON"));
    LIAISON_TRY(d->exec(opt.secure_delete ? "PRAGMA secure_delete=ON" : "PRAGMA secure_delete=OFF"));
    LIAISON_TRY(d->exec("PRAGMA temp_store=MEMORY"));
    // 16 MB of page cache: a search that touches thousands of visits stays in memory
    // (SQLite's default is 2 MB); well inside the app's 80 MB budget.
    LIAISON_TRY(d->exec("PRAGMA cache_size=-16000"));
    // Probe: a file that is not a database fails here with a clear message.
    LIAISON_TRY(d->exec("SELECT count(*) FROM sqlite_master"));
    return d;
}

Db::Db() = default;

Db::~Db() {
    cache_.clear();
    broken_ = Stmt();
    if (db_) sqlite3_close_v2(db_);
}

Status Db::exec(std::string_view sql) {
    char* err = nullptr;
    const std::string s(sql);
    const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        Error e = from_sqlite(rc, "exec", db_);
        if (err) sqlite3_free(err);
        return e;
    }
    return {};
}

Result<Stmt> Db::prepare(std::string_view sql) {
    sqlite3_stmt* s = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
    if (rc != SQLITE_OK) return from_sqlite(rc, "prepare", db_);
    return Stmt(s);
}

Stmt& Db::cached(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s,
                               nullptr) != SQLITE_OK) {
            broken_ = Stmt();
            return broken_;
        }
        it = cache_.emplace(sql, Stmt(s)).first;
    }
    it->second.reset();
    return it->second;
}

void Db::end_reads() {
    for (sqlite3_stmt* s = sqlite3_next_stmt(db_, nullptr); s; s = sqlite3_next_stmt(db_, s))
        if (sqlite3_stmt_busy(s)) sqlite3_reset(s);
}

Error Db::last_error(std::string_view what) const { return from_sqlite(sqlite3_errcode(db_), what, db_); }

Result<Tx> Tx::begin(Db& db) {
    db.end_reads();
    LIAISON_TRY(db.cached("BEGIN IMMEDIATE").run());
    return Tx(db);
}

Status Tx::commit() {
    if (!db_) return Error{Error::Kind::Internal, "commit of a transaction that is no longer open"};
    // A statement left mid-result would keep a read snapshot open past the commit; that pins
    // the WAL, so the checkpoint can never restart it and the -wal file grows with every save.
    db_->end_reads();
    auto st = db_->cached("COMMIT").run();
    if (st) db_ = nullptr;
    return st;
}

Tx& Tx::operator=(Tx&& o) noexcept {
    if (this != &o) {
        rollback();
        db_ = std::exchange(o.db_, nullptr);
    }
    return *this;
}

// Some errors (SQLITE_FULL, SQLITE_IOERR, ...) already rolled the transaction back: then the
// connection is in autocommit mode and there is nothing left to undo. A ROLLBACK that fails
// cannot be reported from a destructor, so it is logged; the next BEGIN then fails visibly.
void Tx::rollback() noexcept {
    Db* db = std::exchange(db_, nullptr);
    if (!db || sqlite3_get_autocommit(db->raw())) return;
    if (auto st = db->exec("ROLLBACK"); !st)
        std::fprintf(stderr, "liaison: rollback failed: %s\n", st.error().message.c_str());
}

Tx::~Tx() { rollback(); }

}  // namespace liaison::db
