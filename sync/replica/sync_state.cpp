#include "sync/replica/sync_state.h"

namespace liaison::sync::sync_state {
namespace {

Result<int64_t> count_of(db::Db& db, const std::string& sql) {
    auto& st = db.cached(sql);
    auto r = st.step();
    if (!r) return r.error();
    const int64_t n = st.i64(0);
    st.reset();
    return n;
}

}  // namespace

Status install(db::Db& db) {
    // sync_setaside: why a change was set aside. kind 'push': ref is the crr_log seq of a local
    // change the server refused (the change itself stays in the log, pushed = 3); kind 'pull':
    // ref is the change id and body the change as received.
    return db.exec(
        "CREATE TABLE IF NOT EXISTS sync_state(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE IF NOT EXISTS sync_setaside(kind TEXT NOT NULL, ref TEXT NOT NULL, "
        "reason TEXT NOT NULL, at_ms INTEGER NOT NULL, body TEXT NOT NULL DEFAULT '', "
        "PRIMARY KEY(kind, ref)) WITHOUT ROWID");
}

Result<std::string> get(db::Db& db, const std::string& key, const std::string& fallback) {
    auto& st = db.cached("SELECT value FROM sync_state WHERE key = ?");
    st.bind(1, key);
    auto r = st.step();
    if (!r) return r.error();
    std::string v = *r ? st.text(0) : fallback;
    st.reset();
    return v;
}

Status set(db::Db& db, const std::string& key, const std::string& value) {
    auto& st = db.cached(
        "INSERT INTO sync_state(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    return st.bind(1, key).bind(2, value).run();
}

Result<int64_t> withheld_count(db::Db& db) {
    return count_of(db, "SELECT count(*) FROM crr_log WHERE local = 1 AND pushed = 2");
}

Result<int64_t> refused_count(db::Db& db) {
    return count_of(db, "SELECT count(*) FROM crr_log WHERE local = 1 AND pushed = 3");
}

Result<int64_t> skipped_count(db::Db& db) {
    return count_of(db, "SELECT count(*) FROM sync_setaside WHERE kind = 'pull'");
}

Status set_aside(db::Db& db, const std::string& kind, const std::string& ref, const std::string& reason, int64_t at_ms,
                 const std::string& body) {
    auto& st = db.cached("INSERT OR REPLACE INTO sync_setaside(kind, ref, reason, at_ms, body) VALUES(?, ?, ?, ?, ?)");
    return st.bind(1, kind).bind(2, ref).bind(3, reason.substr(0, 300)).bind(4, at_ms).bind(5, body).run();
}

}  // namespace liaison::sync::sync_state
