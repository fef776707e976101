// The replica's merge (sync/replica/replica.cpp) on PostgreSQL: the same rule (sync/core/merge.h)
// over the same crr_* tables, inside one transaction the caller holds. Several processes merge
// at once, so a transaction first locks the rows it writes, and takes its feed seqs last
// (docs/server.md, "The pull cursor on PostgreSQL").
#pragma once
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sync/core/change.h"
#include "sync/core/hlc.h"
#include "sync/server/pg.h"
#include "sync/server/pg_schema.h"

namespace liaison::server::pg {

// A row of a domain table: (table, row id).
using RowKey = std::pair<std::string, std::string>;

class Merger {
public:
    Merger(Conn& c, const Catalog& catalog) : c_(c), catalog_(catalog) {}

    // Transaction-scoped locks on the rows about to be written, in one fixed order, so two
    // transactions writing the same row merge one after the other and never deadlock.
    Status lock_rows(const std::set<RowKey>& rows);
    // Merges one change (`local`: the centre's own, never a duplicate). *applied: it was new.
    Status apply(const sync::FieldChange& c, bool local, bool* applied);
    // Gives this transaction's log rows their feed seqs; call last before COMMIT. The feed
    // row's lock is held until the commit is visible, so seqs appear to readers in order.
    Status assign_seqs();

    // The scope the row was created in, if any change made it.
    Result<std::optional<std::string>> scope_of(const std::string& table, const std::string& row);
    // The field's current value as canonical JSON ("null" when the row or value is absent).
    Result<std::string> read_value(const std::string& table, const std::string& row, const std::string& col);
    // The winning stamp of a field, if any change set it.
    Result<std::optional<sync::Hlc>> clock_of(const std::string& table, const std::string& row, const std::string& col);
    // Stamps of every field of a row but the tombstone (what a delete supersedes).
    Result<std::vector<sync::Hlc>> row_clocks(const std::string& table, const std::string& row);

private:
    Status write_value(const std::string& table, const std::string& row, const std::string& col,
                       const std::string& value_json);
    ColumnKind kind(const std::string& table, const std::string& col) const;

    Conn& c_;
    const Catalog& catalog_;
    int64_t staged_ = 0;  // log rows written with a staging seq
};

// The text that stands for `value_json` in a column of `kind` (nullopt = SQL NULL).
Result<Param> column_param(ColumnKind kind, const std::string& value_json);
// A column of `kind` read back as canonical JSON text.
std::string column_json(ColumnKind kind, const std::optional<std::string>& stored);

}  // namespace liaison::server::pg
