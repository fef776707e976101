// Per-field change records: the unit of replication.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "sync/core/hlc.h"

namespace liaison::sync {

// Column name that carries a row's tombstone (true = deleted). Deletes sync like any field.
inline constexpr const char* kDeletedColumn = "_deleted";
// Scope of reference data every device pulls (stations, deputies, departments, categories).
inline constexpr const char* kReferenceScope = "*";
// Bounds of one change on the wire (docs/domain.md). A tombstone supersedes one version per
// column and a resolved conflict two, so a few hundred is far above any honest change.
inline constexpr size_t kMaxAuthorBytes = 200;
inline constexpr size_t kMaxSupersedes = 256;

struct FieldChange {
    Hlc hlc;  // the change's id and its place in time
    std::string table;
    std::string row;  // row id (UUIDv7 text)
    std::string column;
    std::string value = "null";   // JSON text of the new value
    std::vector<Hlc> supersedes;  // versions of this field the writer had seen and replaces
    std::string scope;            // station id owning the row, or kReferenceScope
    std::string author;           // who typed it (user id or name on the device), for audit trails
    std::string extra;            // unknown wire fields (JSON object text), kept verbatim, "" if none
};

struct ChangeSet {
    std::vector<FieldChange> changes;
};

// A stored version of one field.
struct Version {
    Hlc hlc;
    std::string value;  // JSON text
    friend bool operator==(const Version& a, const Version& b) { return a.hlc == b.hlc && a.value == b.value; }
};

}  // namespace liaison::sync
