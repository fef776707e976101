// In-process pieces for sync tests: a central server (storage + Service) on a temporary SQLite
// file (or, in the _pg runs, a PostgreSQL database: tests/support/pg_test_db.h) that can be
// "restarted", and bare tablet replicas with the real domain schema.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "client/store/store.h"
#include "sync/net/loopback_transport.h"
#include "sync/client/session.h"
#include "sync/core/wire.h"
#include "sync/server/service.h"
#include "sync/server/storage.h"
#include "../support/pg_test_db.h"

namespace sim {

inline std::filesystem::path temp_dir(const std::string& tag) {
    static int n = 0;
    auto p = std::filesystem::temp_directory_path() /
             ("liaison-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::create_directories(p);
    return p;
}

struct Central {
    std::string path;
    std::unique_ptr<liaison::server::Storage> storage;
    std::unique_ptr<liaison::server::Service> service;

    explicit Central(std::string p) : path(std::move(p)) { start(); }
    void start() {
        REQUIRE_MESSAGE(!path.empty(), "the test cluster of PostgreSQL cannot be reached");
        auto s =
            pg_test::is_pg(path) ? liaison::server::open_pg_storage(path) : liaison::server::open_sqlite_storage(path);
        REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
        storage = std::move(*s);
        service = std::make_unique<liaison::server::Service>(*storage, liaison::server::ServiceOptions{});
    }
    // Everything in memory is gone; only the database file remains.
    void restart() {
        service.reset();
        storage.reset();
        start();
    }
    liaison::sync::HttpResponse handle(const liaison::sync::HttpRequest& r) { return service->handle(r); }
    std::string add_station(const std::string& name) {
        liaison::server::StationRecord st;
        st.name = name;
        auto id = liaison::server::add_station(*storage, st);
        REQUIRE(id.ok());
        return *id;
    }
};

// A tablet as the sync layer sees it: a file-backed replica with the domain tables.
struct Tablet {
    std::string path, device, station, token;
    int64_t now;
    std::unique_ptr<liaison::db::Db> db;
    std::unique_ptr<liaison::sync::Replica> rep;

    Tablet(std::string p, std::string dev, int64_t skew_ms)
        : path(std::move(p)), device(std::move(dev)), now(1750000000000 + skew_ms) {
        open();
    }
    void open() {
        auto d = liaison::db::Db::open(path);
        REQUIRE(d.ok());
        db = std::move(*d);
        REQUIRE(liaison::store::Store::install_schema(*db).ok());
        if (!liaison::sync::Replica::device_id(*db).ok())
            REQUIRE(liaison::sync::Replica::set_device_id(*db, device).ok());
        auto r = liaison::sync::Replica::open(*db, [this] { return now; });
        REQUIRE(r.ok());
        rep = std::move(*r);
        liaison::store::Store::register_tables(*rep);
    }
    // A crash between transactions: connection and in-memory state gone, the file stays.
    void crash() {
        rep.reset();
        db.reset();
        open();
    }
    liaison::Status write(const std::string& table, const std::string& row,
                          const std::vector<std::pair<std::string, liaison::sync::Value>>& fields) {
        LIAISON_ASSIGN_OR_RETURN(auto tx, liaison::db::Tx::begin(*db));
        LIAISON_TRY(rep->write(table, row, station, fields));
        return tx.commit();
    }
    liaison::Status remove(const std::string& table, const std::string& row) {
        LIAISON_ASSIGN_OR_RETURN(auto tx, liaison::db::Tx::begin(*db));
        LIAISON_TRY(rep->remove(table, row, station));
        return tx.commit();
    }
    liaison::Result<liaison::sync::RoundReport> sync(liaison::sync::Transport& t, size_t batch = 2000,
                                                     size_t page = 2000) {
        liaison::sync::SyncConfig cfg;
        cfg.token = token;
        cfg.station_id = station;
        cfg.push_batch = batch;
        cfg.pull_page = page;
        cfg.retry.attempts = 2;
        cfg.retry.sleep = [](int64_t) {};
        liaison::sync::SyncSession s(*rep, t, cfg);
        return s.round();
    }
};

// Enrols a tablet through the protocol (POST /v1/enrol) and sets its token and station.
inline void enrol(Central& c, liaison::sync::Transport& t, Tablet& tab, const std::string& station_id) {
    auto code = liaison::server::issue_enrol_code(*c.storage, station_id);
    REQUIRE(code.ok());
    liaison::sync::HttpRequest req;
    req.method = "POST";
    req.target = "/v1/enrol";
    req.headers = {{liaison::sync::kProtocolHeader, "1"}};
    req.body = nlohmann::json({{"code", *code}, {"device_id", tab.device}}).dump();
    auto res = t.send(req);
    REQUIRE(res.ok());
    REQUIRE(res->status == 200);
    auto j = nlohmann::json::parse(res->body);
    tab.token = j["token"];
    tab.station = j["station_id"];
}

// Every field's version in `scope`, "tbl|row|col|hlc|" sorted: its clock row, or the one its row
// change gave it (docs/replication.md, "Row changes"), however the replica stored it.
using Field = std::tuple<std::string, std::string, std::string>;  // table, row, column
// ("" = every scope)
inline std::map<Field, std::string> field_version_map(liaison::db::Db& db, const std::string& scope) {
    auto st = db.prepare(
        "SELECT k.tbl, k.row, k.col, k.hlc, coalesce(l.value, '') FROM crr_clock k "
        "LEFT JOIN crr_log l ON k.col = '*' AND l.hlc = k.hlc "
        "WHERE ?1 = '' OR k.row IN (SELECT row FROM crr_log WHERE scope = ?1)");
    REQUIRE(st.ok());
    st->bind(1, scope);
    std::map<Field, std::string> own, created;
    for (;;) {
        auto r = st->step();
        REQUIRE(r.ok());
        if (!*r) break;
        if (st->text(2) != liaison::sync::kRowColumn) {
            own[Field{st->text(0), st->text(1), st->text(2)}] = st->text(3);
            continue;
        }
        auto h = liaison::sync::Hlc::parse(st->text(3));
        auto fields = liaison::sync::row_fields(st->text(4));
        REQUIRE((h && fields));
        for (size_t i = 0; i < fields->size(); ++i)
            created[Field{st->text(0), st->text(1), (*fields)[i].first}] = liaison::sync::field_stamp(*h, i).str();
    }
    for (auto& [k, v] : created) own.emplace(k, v);
    return own;
}

inline std::string field_versions(liaison::db::Db& db, const std::string& scope) {
    std::string out;
    for (const auto& [k, v] : field_version_map(db, scope))
        out += std::get<0>(k) + "|" + std::get<1>(k) + "|" + std::get<2>(k) + "|" + v + "|\n";
    return out + "--\n";
}

// Rows, field versions and conflicts of `scope`, as text: equal text = equal replicas.
inline std::string dump_scope(liaison::db::Db& db, const std::string& scope) {
    std::string out = field_versions(db, scope);
    const char* queries[] = {
        "SELECT id, _deleted, quote(subject), quote(content), quote(people), quote(station_id) FROM visits "
        "WHERE id IN (SELECT row FROM crr_log WHERE tbl = 'visits' AND scope = ?1) ORDER BY id",
        "SELECT id, _deleted, quote(title), quote(status), quote(department_id) FROM cases "
        "WHERE id IN (SELECT row FROM crr_log WHERE tbl = 'cases' AND scope = ?1) ORDER BY id",
        "SELECT tbl, row, col, hlc, value FROM crr_conflict WHERE row IN (SELECT row FROM crr_log WHERE scope = ?1) "
        "ORDER BY 1, 2, 3, 4"};
    for (const char* q : queries) {
        auto st = db.prepare(q);
        REQUIRE(st.ok());
        st->bind(1, scope);
        for (;;) {
            auto r = st->step();
            REQUIRE(r.ok());
            if (!*r) break;
            for (int i = 0; i < sqlite3_column_count(st->raw()); ++i) out += st->text(i) + "|";
            out += "\n";
        }
        out += "--\n";
    }
    return out;
}

// Rows of a query on the central's database, SQLite file or PostgreSQL, as text. Quote `"row"`:
// both read it as the column.
inline std::vector<std::vector<std::string>> server_rows(const std::string& db, const std::string& sql) {
    if (pg_test::is_pg(db)) {
        pg_test::Conn c(db);
        std::string err;
        auto rows = c.rows(sql, &err);
        REQUIRE_MESSAGE(err.empty(), err);
        return rows;
    }
    auto d = liaison::db::Db::open(db);
    REQUIRE(d.ok());
    auto st = (*d)->prepare(sql);
    REQUIRE(st.ok());
    std::vector<std::vector<std::string>> out;
    for (;;) {
        auto r = st->step();
        REQUIRE(r.ok());
        if (!*r) break;
        out.emplace_back();
        for (int i = 0; i < sqlite3_column_count(st->raw()); ++i) out.back().push_back(st->text(i));
    }
    return out;
}

// dump_scope of the central's database, SQLite or PostgreSQL.
inline std::string server_dump_scope(const std::string& db, const std::string& scope) {
    if (pg_test::is_pg(db)) return pg_test::dump_scope(db, scope);
    auto d = liaison::db::Db::open(db);
    REQUIRE(d.ok());
    return dump_scope(**d, scope);
}

}  // namespace sim
