// The tests' PostgreSQL (docs/server.md, "PostgreSQL"): ctest starts a throwaway cluster
// (scripts/pg-cluster.sh, the `pg` fixture in tests/integration/CMakeLists.txt) and names its
// socket folder in LIAISON_TEST_PG_HOST; the _pg variants of the integration tests then give
// every central server a fresh database of it instead of a SQLite file. No test framework here:
// callers check the results (an empty URL means the cluster could not be reached).
#pragma once
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <libpq-fe.h>
#include <nlohmann/json.hpp>

namespace pg_test {

inline std::string host() {
    const char* h = std::getenv("LIAISON_TEST_PG_HOST");
    return h ? h : "";
}
inline bool enabled() { return !host().empty(); }
inline bool is_pg(const std::string& db) { return db.rfind("postgresql://", 0) == 0; }
inline std::string url_of(const std::string& dbname) { return "postgresql://liaison@/" + dbname + "?host=" + host(); }

struct Conn {
    std::unique_ptr<PGconn, void (*)(PGconn*)> c;
    explicit Conn(const std::string& url) : c(PQconnectdb(url.c_str()), PQfinish) {
        if (c)
            PQsetNoticeProcessor(
                c.get(), [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
    }
    bool ok() const { return c && PQstatus(c.get()) == CONNECTION_OK; }
    // Rows of a query as text ("NULL" for SQL NULL); empty on error, with *error set.
    std::vector<std::vector<std::string>> rows(const std::string& sql, std::string* error = nullptr) {
        std::vector<std::vector<std::string>> out;
        std::unique_ptr<PGresult, void (*)(PGresult*)> r(PQexec(c.get(), sql.c_str()), PQclear);
        const auto st = PQresultStatus(r.get());
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            if (error) *error = PQresultErrorMessage(r.get());
            return out;
        }
        for (int i = 0; i < PQntuples(r.get()); ++i) {
            out.emplace_back();
            for (int j = 0; j < PQnfields(r.get()); ++j)
                out.back().push_back(PQgetisnull(r.get(), i, j) ? "NULL" : PQgetvalue(r.get(), i, j));
        }
        return out;
    }
};

// A fresh, empty database of the test cluster; its URL ("" when the cluster cannot be reached).
inline std::string fresh_db() {
    static std::atomic<int> n{0};
    const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(n++);
    Conn admin(url_of("postgres"));
    if (!admin.ok()) return "";
    std::string err;
    admin.rows("DROP DATABASE IF EXISTS " + name, &err);
    admin.rows("CREATE DATABASE " + name, &err);
    if (!err.empty()) return "";
    return url_of(name);
}

// The central server's database for a test: a fresh PostgreSQL database in a _pg run, else the
// SQLite file `central.db` in `dir`.
inline std::string central_db(const std::filesystem::path& dir) {
    return enabled() ? fresh_db() : (dir / "central.db").string();
}

inline int64_t count(const std::string& url, const std::string& sql) {
    Conn c(url);
    auto r = c.rows(sql);
    return r.empty() ? -1 : std::atoll(r[0][0].c_str());
}

// A JSON-text column as SQLite's quote() prints the same value (tests compare dumps).
inline std::string sqlite_quote(const std::string& stored) {
    if (stored == "NULL") return "NULL";
    auto v = nlohmann::json::parse(stored, nullptr, false);
    if (v.is_null() || v.is_discarded()) return "NULL";
    if (!v.is_string()) return v.dump();
    std::string s = "'";
    for (char ch : v.get<std::string>()) s += ch == '\'' ? std::string("''") : std::string(1, ch);
    return s + "'";
}

// sim::dump_scope (tests/integration/sim_device.h) of a PostgreSQL server: the same text for the
// same replica state.
inline std::string dump_scope(const std::string& url, const std::string& scope) {
    Conn c(url);
    // Field versions first, as sim::field_versions writes them (PostgreSQL keeps one clock row
    // per field; see docs/replication.md, "Row changes").
    std::string out;
    const std::string in_scope = "(SELECT \"row\" FROM crr_log WHERE scope = '" + scope + "')";
    struct Q {
        std::string sql;
        size_t plain;  // leading columns printed as they are; the rest are JSON text, quoted
    };
    const Q queries[] = {
        {"SELECT id, _deleted, subject, content, people, station_id FROM visits WHERE id IN (SELECT \"row\" FROM "
         "crr_log WHERE tbl = 'visits' AND scope = '" +
             scope + "') ORDER BY id",
         2},
        {"SELECT id, _deleted, title, status, department_id FROM cases WHERE id IN (SELECT \"row\" FROM crr_log "
         "WHERE tbl = 'cases' AND scope = '" +
             scope + "') ORDER BY id",
         2},
        {"SELECT tbl, \"row\", col, hlc, value FROM crr_conflict WHERE \"row\" IN " + in_scope + " ORDER BY 1, 2, 3, 4",
         5}};
    for (const auto& row : c.rows("SELECT tbl, \"row\", col, hlc FROM crr_clock WHERE \"row\" IN " + in_scope +
                                  " ORDER BY tbl, \"row\", col"))
        out += row[0] + "|" + row[1] + "|" + row[2] + "|" + row[3] + "|\n";
    out += "--\n";
    for (const auto& q : queries) {
        for (const auto& row : c.rows(q.sql)) {
            for (size_t i = 0; i < row.size(); ++i) out += (i < q.plain ? row[i] : sqlite_quote(row[i])) + "|";
            out += "\n";
        }
        out += "--\n";
    }
    return out;
}

}  // namespace pg_test
