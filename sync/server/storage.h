// The central server's storage, behind one interface: SQLite (sqlite_storage.cpp), embedded, the
// default; PostgreSQL (pg_storage.cpp) for a province served by several processes.
// The server keeps no state outside it: several liaison-central processes may share one database.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/core/change.h"
#include "base/result.h"
#include "sync/net/tuning.h"
#include "sync/replica/replica.h"
#include "sync/server/console_storage.h"

namespace liaison::server {

struct DeviceRecord {
    std::string id, station_id, name;
    int64_t enrolled_ms = 0, last_seen_ms = 0, revoked_ms = 0;  // revoked_ms 0 = active
    std::string series;  // the queue ticket letter handed out at enrolment (docs/queue.md)
};

struct StationRecord {
    std::string id, name, kind, district, township, address;
};

struct PushOutcome {
    size_t accepted = 0;    // new to the server
    size_t duplicates = 0;  // already held (a batch sent again)
};

struct PullPage {
    std::vector<sync::FieldChange> changes;
    int64_t cursor = 0;  // the feed position after this page
    bool more = false;
};

struct Enrolment {
    std::string station_id, station_name;
    std::string series;  // this device's ticket letter, "" when the station has none free
};

// A write by the central office (admin API, reference data import): the fields of one row.
struct CentreWrite {
    std::string table, row;
    std::string scope;  // "" = the row's existing scope (required for a new row)
    std::vector<std::pair<std::string, sync::Value>> fields;
    bool remove = false;
};

// One retention run on the server (docs/retention.md): counts only, never values.
struct RetentionReport {
    int months = 0;      // 0 = retention is off; nothing was done
    std::string cutoff;  // visits received before this local time were due
    int64_t visits = 0, visitors = 0;
    int64_t masked = 0;  // fields written as the centre's masking changes
    int64_t values = 0;  // stored values scrubbed (rows, log, conflict rows)
};

class Storage {
public:
    virtual ~Storage() = default;

    // ---- devices and enrolment ----
    // Auth error for an unknown or revoked token.
    virtual Result<DeviceRecord> device_for_token(const std::string& token_hash) = 0;
    virtual Status add_enrol_code(const std::string& station_id, const std::string& code_hash, int64_t now_ms,
                                  int64_t expires_ms) = 0;
    // One-time: a code is spent by the first device that redeems it; that same device may redeem
    // it again within `retry_window_ms` (its answer was lost) and gets a fresh token.
    // It also hands the device its queue ticket letter, once and for good: the one it had, else
    // `wished_series` if no device of the station holds it, else the first free one. The server
    // sees every enrolment, so two tablets never get one letter even if they never sync.
    // A `recovery_key` (not empty) is kept as the device's escrowed recovery key, replacing the
    // one it had; an empty one leaves the device's escrowed key as it was (docs/security.md).
    virtual Result<Enrolment> redeem_enrol_code(const std::string& code_hash, const std::string& device_id,
                                                const std::string& device_name, const std::string& token_hash,
                                                const std::string& wished_series, const std::string& recovery_key,
                                                int64_t now_ms, int64_t retry_window_ms) = 0;
    // The recovery key the device escrowed at enrolment, for an administrator; NotFound for an
    // unknown device or one that escrowed none.
    virtual Result<std::string> recovery_key(const std::string& device_id) = 0;
    virtual Result<std::vector<DeviceRecord>> devices() = 0;
    virtual Status revoke_device(const std::string& device_id, int64_t now_ms) = 0;

    // ---- sync ----
    // Merges a device's batch in one transaction. Forbidden when a change touches a row that
    // belongs to another scope (the whole batch is refused).
    virtual Result<PushOutcome> push(const DeviceRecord& device, const std::vector<sync::FieldChange>& changes,
                                     int64_t now_ms) = 0;
    // The feed of `scopes` after `after`, oldest first. Changes made by `skip_node` (the asking
    // device, which has them) are left out of the page but still advance the cursor.
    virtual Result<PullPage> pull(const std::vector<std::string>& scopes, int64_t after, size_t limit,
                                  const std::string& skip_node) = 0;
    // Checks a change against the shared schema (table, column, ids).
    virtual Status validate(const sync::FieldChange& c) = 0;

    // ---- the central office ----
    virtual Result<size_t> write_as_centre(const std::vector<CentreWrite>& writes, const std::string& author) = 0;
    virtual Result<std::vector<StationRecord>> stations() = 0;
    virtual Result<StationRecord> station(const std::string& id_or_name) = 0;
    // Current rows of `table` in `scope` (not deleted), as JSON objects.
    virtual Result<nlohmann::json> records(const std::string& scope, const std::string& table, int64_t limit,
                                           int64_t offset) = 0;
    virtual Result<std::optional<std::string>> row_scope(const std::string& table, const std::string& row) = 0;
    virtual Result<nlohmann::json> row_values(const std::string& table, const std::string& row) = 0;
    virtual Result<nlohmann::json> statistics() = 0;
    // ---- retention (docs/retention.md) ----
    virtual Result<int> retention_months() = 0;  // the period the centre set; 0 = off
    // Masks the voters of the visits past the period at `now_ms`: the centre's masking writes,
    // then the history scrub, in one transaction; then the WAL is checkpointed. Idempotent.
    virtual Result<RetentionReport> run_retention(int64_t now_ms) = 0;
    virtual Result<std::string> meta(const std::string& key) = 0;  // "" when unset
    virtual Status set_meta(const std::string& key, const std::string& value) = 0;

    // ---- the web console's users, sessions and page queries (docs/console.md) ----
    virtual ConsoleStorage& console() = 0;
    // False where the console's queries are not written yet (PostgreSQL): /console is refused.
    virtual bool has_console() const { return true; }
};

struct SqliteOptions {
    int busy_timeout_ms = 10000;
    bool synchronous_full = false;  // NORMAL in WAL survives a process crash; FULL also power loss
    size_t max_connections = sync::tuning::kServerDbConnections;  // requests beyond wait for one
    size_t max_db_bytes = 0;  // > 0: writes past this size fail as on a full disk (Error::Kind::Full)
    // Set: the database and its WAL are encrypted with it (--key-file; docs/security.md).
    std::shared_ptr<const db::StoreKey> key;
};

Result<std::unique_ptr<Storage>> open_sqlite_storage(const std::string& path, SqliteOptions opt = {});

// PostgreSQL (pg_storage.cpp, docs/server.md "PostgreSQL"): several liaison-central processes
// may serve one database.
struct PgOptions {
    size_t max_connections = 16;  // per process; requests beyond wait for one
};
// `--db` names PostgreSQL when it is a postgresql:// (or postgres://) URL.
bool is_pg_url(const std::string& db);
Result<std::unique_ptr<Storage>> open_pg_storage(const std::string& url, PgOptions opt = {});

// Copies a SQLite server whole into an empty PostgreSQL database (pg_move.cpp), seqs and tokens
// included, so enrolled tablets sync on. The console's users and sessions are not moved.
struct MoveReport {
    int64_t changes = 0, devices = 0, rows = 0;  // rows: of the domain tables
};
Result<MoveReport> move_sqlite_to_pg(const std::string& sqlite_path, const std::string& url);

}  // namespace liaison::server
