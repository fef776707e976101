// The domain migrations are applied to an in-memory SQLite database one version at a time; what
// each step adds (tables, columns, indexes, the rows a new table is seeded with) is written to
// PostgreSQL as the same step. A step that changes rows of an existing table cannot be translated
// this way and stops the migration with a message, so it is never silently skipped.
#include "sync/server/pg_schema.h"

#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/schema.h"
#include "sync/replica/sqlite.h"

namespace liaison::server::pg {
namespace {

// The server's own tables and the replica's, written for PostgreSQL. Keys and stamps compare
// byte for byte (COLLATE "C"): HLC text order is clock order only under a bytewise collation.
const char* const kServerTables = R"sql(
CREATE TABLE IF NOT EXISTS srv_meta(key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS srv_devices(
  id text COLLATE "C" PRIMARY KEY,
  station_id text COLLATE "C" NOT NULL,
  name text NOT NULL DEFAULT '',
  token_hash text COLLATE "C" NOT NULL UNIQUE,
  enrolled_ms bigint NOT NULL,
  last_seen_ms bigint NOT NULL DEFAULT 0,
  revoked_ms bigint NOT NULL DEFAULT 0,
  series text NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS srv_enrol_codes(
  code_hash text COLLATE "C" PRIMARY KEY,
  station_id text COLLATE "C" NOT NULL,
  created_ms bigint NOT NULL,
  expires_ms bigint NOT NULL,
  used_ms bigint NOT NULL DEFAULT 0,
  used_by text NOT NULL DEFAULT '');
-- Added after the first release (docs/security.md, "Keys and people").
ALTER TABLE srv_devices ADD COLUMN IF NOT EXISTS recovery_key text;
-- The feed's last seq: a pushing transaction takes its seqs from this row just before it
-- commits, so seq order is commit order (docs/server.md, "The pull cursor on PostgreSQL").
CREATE TABLE IF NOT EXISTS srv_feed(id integer PRIMARY KEY CHECK (id = 1), last_seq bigint NOT NULL);
INSERT INTO srv_feed(id, last_seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
-- Log rows carry a negative staging seq from this sequence until their transaction takes its
-- real seqs.
CREATE SEQUENCE IF NOT EXISTS crr_log_staging;
CREATE TABLE IF NOT EXISTS crr_meta(key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS crr_clock(
  tbl text COLLATE "C" NOT NULL, "row" text COLLATE "C" NOT NULL, col text COLLATE "C" NOT NULL,
  hlc text COLLATE "C" NOT NULL,
  PRIMARY KEY(tbl, "row", col));
CREATE TABLE IF NOT EXISTS crr_conflict(
  tbl text COLLATE "C" NOT NULL, "row" text COLLATE "C" NOT NULL, col text COLLATE "C" NOT NULL,
  hlc text COLLATE "C" NOT NULL, value text NOT NULL,
  PRIMARY KEY(tbl, "row", col, hlc));
CREATE TABLE IF NOT EXISTS crr_superseded(
  tbl text COLLATE "C" NOT NULL, "row" text COLLATE "C" NOT NULL, col text COLLATE "C" NOT NULL,
  hlc text COLLATE "C" NOT NULL,
  PRIMARY KEY(tbl, "row", col, hlc));
CREATE TABLE IF NOT EXISTS crr_log(
  seq bigint PRIMARY KEY,
  hlc text COLLATE "C" NOT NULL UNIQUE,
  tbl text COLLATE "C" NOT NULL, "row" text COLLATE "C" NOT NULL, col text COLLATE "C" NOT NULL,
  value text NOT NULL,
  supersedes text NOT NULL DEFAULT '',
  scope text COLLATE "C" NOT NULL,
  extra text NOT NULL DEFAULT '',
  author text NOT NULL DEFAULT '',
  local smallint NOT NULL,
  pushed smallint NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS crr_log_row ON crr_log(tbl, "row");
CREATE INDEX IF NOT EXISTS crr_log_scope_seq ON crr_log(scope, seq);
CREATE TABLE IF NOT EXISTS liaison_schema(part text PRIMARY KEY, version integer NOT NULL);
)sql";

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

struct Column {
    std::string name, type, default_sql;
    bool not_null = false;
    int pk = 0;  // position in the primary key, 0 = not part of it
};

struct Index {
    std::string name, table;
    bool unique = false;
    std::vector<std::string> columns;
};

struct Snapshot {
    std::map<std::string, std::vector<Column>> tables;
    std::map<std::string, Index> indexes;
    std::map<std::string, int64_t> rows;
};

// Tables of the domain only: not the replica's crr_* (written above for PostgreSQL), not
// SQLite's own, not full-text virtual tables and their shadow tables (the server does not
// search; PostgreSQL would index differently).
Result<std::vector<std::string>> domain_tables(db::Db& mem) {
    auto st = mem.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name");
    if (!st) return st.error();
    std::vector<std::pair<std::string, std::string>> all;
    LIAISON_TRY(st->for_each_row([&](const db::Stmt& q) { all.emplace_back(q.text(0), q.text(1)); }));
    std::vector<std::string> virtual_tables, out;
    for (const auto& [name, sql] : all)
        if (sql.rfind("CREATE VIRTUAL TABLE", 0) == 0) virtual_tables.push_back(name);
    for (const auto& [name, sql] : all) {
        if (name.rfind("crr_", 0) == 0 || name.rfind("sqlite_", 0) == 0) continue;
        bool shadow = false;
        for (const auto& v : virtual_tables) shadow = shadow || name == v || name.rfind(v + "_", 0) == 0;
        if (!shadow) out.push_back(name);
    }
    return out;
}

Result<Snapshot> snapshot(db::Db& mem) {
    Snapshot s;
    LIAISON_ASSIGN_OR_RETURN(auto tables, domain_tables(mem));
    for (const auto& t : tables) {
        auto cols =
            mem.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid");
        if (!cols) return cols.error();
        cols->bind(1, t);
        LIAISON_TRY(cols->for_each_row([&](const db::Stmt& q) {
            s.tables[t].push_back(
                Column{q.text(0), q.text(1), q.opt_text(3).value_or(""), q.i64(2) != 0, static_cast<int>(q.i64(4))});
        }));
        auto idx = mem.prepare("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)");
        if (!idx) return idx.error();
        idx->bind(1, t);
        std::vector<Index> found;
        LIAISON_TRY(idx->for_each_row([&](const db::Stmt& q) -> Status {
            if (q.text(2) != "c") return {};  // made by PRIMARY KEY or UNIQUE: the table brings it
            if (q.i64(3) != 0) return invalid("partial index " + q.text(0) + ": no PostgreSQL translation yet");
            found.push_back(Index{q.text(0), t, q.i64(1) != 0, {}});
            return {};
        }));
        for (auto& i : found) {
            auto ic = mem.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno");
            if (!ic) return ic.error();
            ic->bind(1, i.name);
            LIAISON_TRY(ic->for_each_row([&](const db::Stmt& q) { i.columns.push_back(q.text(0)); }));
            s.indexes[i.name] = i;
        }
        auto n = mem.prepare("SELECT count(*) FROM " + quoted(t));
        if (!n) return n.error();
        auto r = n->step();
        if (!r) return r.error();
        s.rows[t] = n->i64(0);
    }
    return s;
}

Result<ColumnKind> kind_of(const Column& c) {
    if (c.type.empty()) return ColumnKind::Json;
    if (c.type == "INTEGER") return ColumnKind::Integer;
    if (c.type == "TEXT") return ColumnKind::Text;
    if (c.type == "REAL") return ColumnKind::Real;
    return invalid("column type " + c.type + ": no PostgreSQL translation yet");
}

Result<std::string> column_sql(const Column& c) {
    LIAISON_ASSIGN_OR_RETURN(auto kind, kind_of(c));
    std::string s = quoted(c.name);
    switch (kind) {
        case ColumnKind::Json: s += " text"; break;  // canonical JSON of the value (pg_schema.h)
        case ColumnKind::Integer: s += " bigint"; break;
        case ColumnKind::Text: s += " text COLLATE \"C\""; break;
        case ColumnKind::Real: s += " double precision"; break;
    }
    if (c.not_null) s += " NOT NULL";
    if (!c.default_sql.empty()) s += " DEFAULT " + c.default_sql;
    return s;
}

Result<std::string> create_table_sql(const std::string& name, const std::vector<Column>& cols) {
    std::string s = "CREATE TABLE " + quoted(name) + "(";
    std::vector<std::pair<int, std::string>> pk;
    for (size_t i = 0; i < cols.size(); ++i) {
        LIAISON_ASSIGN_OR_RETURN(auto c, column_sql(cols[i]));
        s += (i ? ", " : "") + c;
        if (cols[i].pk) pk.emplace_back(cols[i].pk, quoted(cols[i].name));
    }
    if (!pk.empty()) {
        std::sort(pk.begin(), pk.end());
        s += ", PRIMARY KEY(";
        for (size_t i = 0; i < pk.size(); ++i) s += (i ? ", " : "") + pk[i].second;
        s += ")";
    }
    return s + ")";
}

}  // namespace

Param sqlite_param(const db::Stmt& q, int col, ColumnKind kind) {
    if (q.type(col) == SQLITE_NULL) return std::nullopt;
    switch (kind) {
        case ColumnKind::Json:
            switch (q.type(col)) {
                case SQLITE_INTEGER: return std::to_string(q.i64(col));
                case SQLITE_FLOAT: return nlohmann::json(q.f64(col)).dump();
                default: return nlohmann::json(q.text(col)).dump();
            }
        case ColumnKind::Real: return nlohmann::json(q.f64(col)).dump();
        default: return q.text(col);
    }
}

namespace {

// The rows a migration step seeded a new table with (the ten categories of v1).
Status copy_rows(db::Db& mem, Conn& c, const std::string& table, const std::vector<Column>& cols) {
    auto st = mem.prepare("SELECT * FROM " + quoted(table));
    if (!st) return st.error();
    std::string names, marks;
    for (size_t i = 0; i < cols.size(); ++i) {
        names += (i ? ", " : "") + quoted(cols[i].name);
        marks += (i ? ", $" : "$") + std::to_string(i + 1);
    }
    const std::string sql = "INSERT INTO " + quoted(table) + "(" + names + ") VALUES(" + marks + ")";
    return st->for_each_row([&](const db::Stmt& q) -> Status {
        std::vector<Param> params;
        for (size_t i = 0; i < cols.size(); ++i) {
            LIAISON_ASSIGN_OR_RETURN(auto kind, kind_of(cols[i]));
            params.push_back(sqlite_param(q, static_cast<int>(i), kind));
        }
        return c.run(sql, params);
    });
}

// What step `version` added between two snapshots, applied to PostgreSQL.
Status translate_step(db::Db& mem, Conn& c, int version, const Snapshot& before, const Snapshot& after) {
    for (const auto& [table, cols] : after.tables) {
        auto old = before.tables.find(table);
        if (old == before.tables.end()) {
            LIAISON_ASSIGN_OR_RETURN(auto sql, create_table_sql(table, cols));
            LIAISON_TRY(c.run(sql));
            LIAISON_TRY(copy_rows(mem, c, table, cols));
            continue;
        }
        if (before.rows.at(table) != after.rows.at(table))
            return invalid("domain migration v" + std::to_string(version) + " changes rows of " + table +
                           ": it needs its own PostgreSQL step (sync/server/pg_schema.cpp)");
        for (const auto& col : cols) {
            bool known = false;
            for (const auto& o : old->second) known = known || o.name == col.name;
            if (known) continue;
            LIAISON_ASSIGN_OR_RETURN(auto def, column_sql(col));
            LIAISON_TRY(c.run("ALTER TABLE " + quoted(table) + " ADD COLUMN " + def));
        }
    }
    for (const auto& [table, cols] : before.tables)
        if (!after.tables.count(table))
            return invalid("domain migration v" + std::to_string(version) + " drops " + table +
                           ": it needs its own PostgreSQL step (sync/server/pg_schema.cpp)");
    for (const auto& [name, idx] : after.indexes) {
        if (before.indexes.count(name)) continue;
        std::string cols;
        for (size_t i = 0; i < idx.columns.size(); ++i) cols += (i ? ", " : "") + quoted(idx.columns[i]);
        LIAISON_TRY(c.run(std::string(idx.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") + quoted(name) + " ON " +
                          quoted(idx.table) + "(" + cols + ")"));
    }
    return {};
}

Catalog catalog_of(const Snapshot& s) {
    Catalog out;
    for (const auto& [table, cols] : s.tables)
        for (const auto& col : cols) out[table][col.name] = kind_of(col).value_or(ColumnKind::Json);
    return out;
}

Status set_version(Conn& c, int version) {
    return c.run(
        "INSERT INTO liaison_schema(part, version) VALUES('domain', $1) "
        "ON CONFLICT(part) DO UPDATE SET version = excluded.version",
        {p(static_cast<int64_t>(version))});
}

}  // namespace

Result<int> domain_version(Conn& c) {
    LIAISON_ASSIGN_OR_RETURN(auto rows, c.query("SELECT version FROM liaison_schema WHERE part = 'domain'"));
    return rows.size() ? static_cast<int>(rows.i64(0, 0)) : 0;
}

Result<Catalog> migrate(Conn& c) {
    auto mem = db::Db::open(":memory:");
    if (!mem) return mem.error();
    {
        LIAISON_ASSIGN_OR_RETURN(auto tx, Tx::begin(c));
        // One process migrates; the others wait here and then find nothing left to do.
        LIAISON_TRY(c.run("SELECT pg_advisory_xact_lock(3, 0)"));
        LIAISON_TRY(c.script(kServerTables));
        LIAISON_TRY(tx.commit());
    }
    LIAISON_ASSIGN_OR_RETURN(auto before, snapshot(**mem));
    for (const auto& m : domain::migrations()) {
        LIAISON_TRY(domain::migrate_to(**mem, m.version));
        LIAISON_ASSIGN_OR_RETURN(auto after, snapshot(**mem));
        LIAISON_ASSIGN_OR_RETURN(auto tx, Tx::begin(c));
        LIAISON_TRY(c.run("SELECT pg_advisory_xact_lock(3, 0)"));
        LIAISON_ASSIGN_OR_RETURN(const int have, domain_version(c));
        if (have > domain::kSchemaVersion)
            return invalid("this database was written by a newer liaison-central (schema " + std::to_string(have) +
                           "); update the server");
        if (have < m.version) {
            LIAISON_TRY(translate_step(**mem, c, m.version, before, after));
            LIAISON_TRY(set_version(c, m.version));
        }
        LIAISON_TRY(tx.commit());
        before = std::move(after);
    }
    return catalog_of(before);
}

}  // namespace liaison::server::pg
