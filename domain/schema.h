// The domain schema the tablet's store and the central server share (docs/architecture.md): the
// tables and their versioned migrations, which tables and columns replicate, and which tables
// only the centre writes. Both sides install it on a bare connection.
#pragma once
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/replica/replica.h"
#include "sync/replica/sqlite.h"

namespace liaison::domain {

inline constexpr int kSchemaVersion = 6;

struct Migration {
    int version;
    const char* sql;
    bool rebuild_search;  // after this step, reindex every visit
};

const std::vector<Migration>& migrations();
// How far a database has come (PRAGMA user_version; 0 for a new file).
Result<int> user_version(db::Db& db);

// Applies the migrations the database lacks, up to `upto` (kSchemaVersion unless a migration test
// stops earlier), each in one transaction. Fails on a database written by a newer Liaison.
Status migrate_to(db::Db& db, int upto);
inline Status install_schema(db::Db& db) { return migrate_to(db, kSchemaVersion); }

// Registers the replicated tables and their columns with a replica.
void register_tables(sync::Replica& r);

// The table of stations and the column that names a station in the others: a device's records
// are scoped by station, and enrolment moves them from a provisional station to the centre's.
inline constexpr const char* kStationTable = "stations";
inline constexpr const char* kStationColumn = "station_id";

// Tables only the centre writes (reference data). Pushing them is refused (403), so the client
// keeps such local edits to itself rather than blocking its outbox behind them.
bool centre_only_table(const std::string& table);

}  // namespace liaison::domain
