// A replica's record of its exchanges with the centre (pull cursor, enrolled station, last
// outcome) and the changes it set aside: small tables next to the crr_* ones, created once when
// the replica opens (Replica::open), so reading or writing them runs no schema statement
// (docs/protocol.md, "Refused changes").
#pragma once
#include <cstdint>
#include <string>

#include "base/result.h"
#include "sync/replica/sqlite.h"

namespace liaison::sync::sync_state {

// Creates the tables if missing. Idempotent; Replica::open calls it.
Status install(db::Db& db);
Result<std::string> get(db::Db& db, const std::string& key, const std::string& fallback = "");
Status set(db::Db& db, const std::string& key, const std::string& value);
// Local changes this device keeps to itself (Replica::withhold).
Result<int64_t> withheld_count(db::Db& db);
// Changes set aside: local ones the server refused (`refused`), pulled ones this device could
// not merge (`skipped`). Both are kept.
Result<int64_t> refused_count(db::Db& db);
Result<int64_t> skipped_count(db::Db& db);
// Records why a change was set aside. kind "push": `ref` is the crr_log seq of a local change the
// server refused (the change itself stays in the log); kind "pull": `ref` is the change id and
// `body` the change as received. `reason` is cut to 300 bytes.
Status set_aside(db::Db& db, const std::string& kind, const std::string& ref, const std::string& reason, int64_t at_ms,
                 const std::string& body);

}  // namespace liaison::sync::sync_state
