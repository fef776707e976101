// liaison-central migrate --from central.db --to postgresql://… (docs/server.md, "Moving a
// county to PostgreSQL"): a SQLite server copied whole into an empty PostgreSQL database, in one
// transaction: every change with its seq (so the tablets' cursors stay valid), the field clocks,
// conflicts and superseded versions, the current rows, the devices and their tokens, the
// enrolment codes, the admin token and the centre's node id and clock. The tablets then sync
// on against the new server without enrolling again.
#include "sync/core/row.h"
#include "sync/replica/sqlite.h"
#include "sync/server/pg.h"
#include "sync/server/pg_schema.h"
#include "sync/server/storage.h"

namespace liaison::server {
namespace {

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

// Every row of `table` (the named columns) from SQLite into PostgreSQL; the rows copied.
Result<int64_t> copy_table(db::Db& src, pg::Conn& dst, const std::string& table,
                           const std::vector<std::pair<std::string, pg::ColumnKind>>& cols) {
    std::string names, marks;
    for (size_t i = 0; i < cols.size(); ++i) {
        names += (i ? ", " : "") + quoted(cols[i].first);
        marks += (i ? ", $" : "$") + std::to_string(i + 1);
    }
    auto st = src.prepare("SELECT " + names + " FROM " + quoted(table));
    if (!st) return st.error();
    const std::string insert = "INSERT INTO " + quoted(table) + "(" + names + ") VALUES(" + marks + ")";
    int64_t n = 0;
    LIAISON_TRY(st->for_each_row([&](const db::Stmt& q) -> Status {
        std::vector<pg::Param> params;
        params.reserve(cols.size());
        for (size_t i = 0; i < cols.size(); ++i)
            params.push_back(pg::sqlite_param(q, static_cast<int>(i), cols[i].second));
        ++n;
        return dst.run(insert, params);
    }));
    return n;
}

// The server's and the replica's tables: plain columns, copied as they are.
const std::vector<std::pair<std::string, std::vector<std::string>>>& server_tables() {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> all = {
        {"srv_meta", {"key", "value"}},
        {"srv_devices",
         {"id", "station_id", "name", "token_hash", "enrolled_ms", "last_seen_ms", "revoked_ms", "series",
          "recovery_key"}},
        {"srv_enrol_codes", {"code_hash", "station_id", "created_ms", "expires_ms", "used_ms", "used_by"}},
        {"crr_meta", {"key", "value"}},
        {"crr_clock", {"tbl", "row", "col", "hlc"}},
        {"crr_conflict", {"tbl", "row", "col", "hlc", "value"}},
        {"crr_superseded", {"tbl", "row", "col", "hlc"}},
        {"crr_log",
         {"seq", "hlc", "tbl", "row", "col", "value", "supersedes", "scope", "extra", "author", "local", "pushed"}}};
    return all;
}

// PostgreSQL keeps a clock row per field (docs/replication.md, "Row changes"): the row clocks of
// rows created whole on SQLite become the clock rows of their fields not edited since.
Status spell_out_row_clocks(db::Db& src, pg::Conn& dst) {
    auto st = src.prepare(
        "SELECT k.tbl, k.row, k.hlc, l.value FROM crr_clock k JOIN crr_log l ON l.hlc = k.hlc WHERE k.col = '*'");
    if (!st) return st.error();
    LIAISON_TRY(st->for_each_row([&](const db::Stmt& q) -> Status {
        auto h = sync::Hlc::parse(q.text(2));
        auto fields = sync::row_fields(q.text(3));
        if (!h || !fields) return Error{Error::Kind::Corrupt, "bad row change in the log"};
        for (size_t i = 0; i < fields->size(); ++i)
            LIAISON_TRY(
                dst.run("INSERT INTO crr_clock(tbl, \"row\", col, hlc) VALUES($1, $2, $3, $4) "
                        "ON CONFLICT(tbl, \"row\", col) DO NOTHING",
                        {pg::p(q.text(0)), pg::p(q.text(1)), pg::p((*fields)[i].first),
                         pg::p(sync::field_stamp(*h, i).str())}));
        return {};
    }));
    return dst.run("DELETE FROM crr_clock WHERE col = '*'");
}

Status refuse_unless_empty(pg::Conn& c) {
    LIAISON_ASSIGN_OR_RETURN(auto r,
                             c.query("SELECT (SELECT count(*) FROM crr_log) + (SELECT count(*) FROM srv_devices) + "
                                     "(SELECT count(*) FROM srv_enrol_codes)"));
    if (r.i64(0, 0) != 0)
        return invalid("the PostgreSQL database already holds changes or devices: migrate into an empty one");
    return {};
}

}  // namespace

Result<MoveReport> move_sqlite_to_pg(const std::string& sqlite_path, const std::string& url) {
    {
        // Both ends at the current schema first: the SQLite file is upgraded as a server
        // start would, the PostgreSQL database created.
        LIAISON_ASSIGN_OR_RETURN(auto from, open_sqlite_storage(sqlite_path));
        LIAISON_ASSIGN_OR_RETURN(auto to, open_pg_storage(url));
    }
    db::Db::Options ro;
    ro.read_only = true;
    LIAISON_ASSIGN_OR_RETURN(auto src, db::Db::open(sqlite_path, ro));
    LIAISON_ASSIGN_OR_RETURN(auto dst, pg::Conn::open(url));
    LIAISON_ASSIGN_OR_RETURN(auto catalog, pg::migrate(*dst));
    // One read snapshot of the file, one transaction on PostgreSQL: all of it or nothing.
    LIAISON_TRY(src->exec("BEGIN"));
    LIAISON_ASSIGN_OR_RETURN(auto tx, pg::Tx::begin(*dst));
    LIAISON_TRY(refuse_unless_empty(*dst));
    MoveReport out;
    for (const auto& [table, kinds] : catalog) {
        std::vector<std::pair<std::string, pg::ColumnKind>> cols(kinds.begin(), kinds.end());
        LIAISON_TRY(dst->run("DELETE FROM " + quoted(table)));  // the rows its migrations seeded
        LIAISON_ASSIGN_OR_RETURN(const int64_t n, copy_table(*src, *dst, table, cols));
        out.rows += n;
    }
    for (const auto& [table, names] : server_tables()) {
        std::vector<std::pair<std::string, pg::ColumnKind>> cols;
        cols.reserve(names.size());
        for (const auto& n : names) cols.emplace_back(n, pg::ColumnKind::Text);
        LIAISON_TRY(dst->run("DELETE FROM " + quoted(table)));  // crr_meta: the node id made on opening
        LIAISON_ASSIGN_OR_RETURN(const int64_t n, copy_table(*src, *dst, table, cols));
        if (table == "crr_log") out.changes = n;
        if (table == "srv_devices") out.devices = n;
    }
    LIAISON_TRY(spell_out_row_clocks(*src, *dst));
    // The feed goes on after the last seq copied: the tablets' cursors stay valid.
    LIAISON_TRY(dst->run("UPDATE srv_feed SET last_seq = (SELECT coalesce(max(seq), 0) FROM crr_log) WHERE id = 1"));
    LIAISON_TRY(tx.commit());
    LIAISON_TRY(src->exec("COMMIT"));
    return out;
}

}  // namespace liaison::server
