// The replicated-table layer over SQLite (in the spirit of cr-sqlite): per-field clock rows beside
// each domain row, the change log whose local part is the outbox, conflict rows and tombstones.
//
// Domain tables registered here must have `id TEXT PRIMARY KEY`, `_deleted INTEGER NOT NULL
// DEFAULT 0`, and every replicated column declared *without a type*, so SQLite applies no type
// affinity and a value reads back exactly as it was written on every replica (merging compares
// stored values byte for byte). Rows may arrive in any order, so replicated tables carry no
// foreign keys; the typed store functions check references when a person writes.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/core/change.h"
#include "sync/core/hlc.h"
#include "sync/core/merge.h"
#include "sync/core/row.h"
#include "base/result.h"
#include "sync/replica/sqlite.h"

namespace liaison::sync {

using Value = nlohmann::json;                // a scalar: null, integer, real, string (bool is stored as 0/1)
using WallClock = std::function<int64_t()>;  // unix milliseconds

struct TableSpec {
    std::string name;
    std::vector<std::string> columns;  // replicated columns, without id and _deleted
};

struct Conflict {
    std::string id;  // Hlc text of the losing version (for delete conflicts: of the concurrent edit)
    std::string table, row, column;
    Version winner;                // what everyone shows now
    Version loser;                 // the concurrent value kept for review
    bool delete_conflict = false;  // the row was deleted while this edit was made
    bool loser_is_mine = false;    // the losing value was typed on this device
};

struct ApplyStats {
    size_t applied = 0;     // new changes merged
    size_t duplicates = 0;  // already known, ignored
};

struct OutboxEntry {
    int64_t seq = 0;
    FieldChange change;
};

// Canonical JSON text of a scalar value as it will read back from SQLite.
Result<std::string> canonical_value(const Value& v);

class Replica {
public:
    // Creates the crr_* tables. Idempotent.
    static Status install(db::Db& db);
    // First-run identity of this device (kept in crr_meta).
    static Status set_device_id(db::Db& db, const std::string& device_id);
    static Result<std::string> device_id(db::Db& db);

    // Also creates the sync_state tables if missing (sync/replica/sync_state.h).
    static Result<std::unique_ptr<Replica>> open(db::Db& db, WallClock wall);

    void register_table(TableSpec spec);
    bool has_table(const std::string& t) const { return tables_.count(t) > 0; }
    const std::string& device() const { return device_; }
    db::Db& db() { return db_; }

    // ---- local writes: the caller holds the transaction (db::Tx) ----
    // Sets the given fields of a row (creating it if new); one change record per field.
    Status write(const std::string& table, const std::string& row, const std::string& scope,
                 const std::vector<std::pair<std::string, Value>>& fields);
    // Tombstone: supersedes every version of the row's fields this device has seen.
    Status remove(const std::string& table, const std::string& row, const std::string& scope);
    bool exists(const std::string& table, const std::string& row);  // present and not deleted
    std::optional<std::string> scope_of(const std::string& table, const std::string& row);

    // ---- remote changes: one transaction, opened here ----
    Result<ApplyStats> apply_remote(const std::vector<FieldChange>& changes);
    // The same, inside a transaction the caller holds (the server adds its own bookkeeping).
    Result<ApplyStats> apply_remote_in_tx(const std::vector<FieldChange>& changes);
    // Validation shared with the server: known table/column, sane ids.
    Status validate(const FieldChange& c) const;

    // ---- outbox ----
    Result<std::vector<OutboxEntry>> pending(size_t limit, int64_t after_seq = 0);
    Result<int64_t> pending_count();
    Status mark_pushed(const std::vector<int64_t>& seqs);
    // ---- outbox and scopes for the sync client (sync/replica/scope.cpp) ----
    // Keeps local changes out of the outbox for good (the server would refuse them); one
    // transaction, opened here. Counted by sync_state::withheld_count.
    Status withhold(const std::vector<int64_t>& seqs);
    // The server's answer to one pushed change: taken, or refused and set aside (counted by
    // sync_state::refused_count). Inside a transaction the caller holds.
    Status settle_in_tx(int64_t seq, bool accepted);
    // Whether any change of `scope` came from elsewhere or left this device.
    Result<bool> scope_synced(const std::string& scope);
    // Drops a row made here and every trace of it in the log, clocks and conflicts. Caller holds
    // the transaction.
    Status forget_local_row(const std::string& table, const std::string& row);
    // Moves never-pushed changes of scope `from` to `to`, and rewrites `ref_column` references
    // from `from` to `to` in those changes and in every registered table with that column.
    // Caller holds the transaction; returns the number of change records moved.
    Result<size_t> rescope_unpushed(const std::string& from, const std::string& to, const std::string& ref_column);
    // Retention (docs/retention.md): rewrites every stored version of one field through `mask`
    // (canonical JSON in, canonical JSON out): the row's value, the change log (pushed, pulled
    // and unsent entries alike: the caller decides which rows are due) and the conflict rows; a
    // conflict row left equal to the row's value is agreement and goes. No change record is
    // written: the same stamps now carry the masked values. Caller holds the transaction;
    // returns the number of stored values rewritten.
    using Mask = std::function<std::string(const std::string& value_json)>;
    Result<size_t> scrub_field(const std::string& table, const std::string& row, const std::string& column,
                               const Mask& mask);
    // The values of `column` inside row changes through `mask`: of one row, or (local_only)
    // of every row change made here. Caller holds the transaction; returns the count.
    Result<size_t> rewrite_row_changes(const std::string& table, const std::string& row, const std::string& column,
                                       const Mask& mask, bool local_only);

    // ---- the log, for pulls (server) and audit trails ----
    // Changes with seq > after whose scope is in `scopes` (empty = all), oldest first.
    Result<std::vector<OutboxEntry>> log_after(int64_t after, const std::vector<std::string>& scopes, size_t limit);
    // Per field: a row change shows as the field changes it stands for.
    Result<std::vector<FieldChange>> history(const std::string& table, const std::string& row);
    // Every field's current version (winner stamp) of a row, tombstone aside, by column: its own
    // clock row or, for a field not edited since, the one its row change gave it.
    Result<std::vector<std::pair<std::string, Hlc>>> field_clocks(const std::string& table, const std::string& row);

    // ---- conflicts ----
    Result<std::vector<Conflict>> conflicts();
    Result<int64_t> conflict_count();
    // Settle a conflict with `chosen` as the field's value (keep mine / keep theirs / merged
    // text). For a delete conflict, a null `chosen` keeps the delete; anything else restores the
    // row with the edit. Opens its own transaction.
    Status resolve(const std::string& conflict_id, const Value& chosen);
    Status resolve_in_tx(const std::string& conflict_id, const Value& chosen);

    Hlc clock() const { return clock_.last(); }
    // ---- clock correction (docs/replication.md, "Clock bounds") ----
    // This device's wall clock as the OS reports it, and corrected by the offset to the
    // server's clock measured by the sync client (kept in crr_meta, so every connection of the
    // device stamps with it).
    int64_t raw_wall_ms() const { return wall_(); }
    int64_t wall_ms() const { return wall_() + offset_ms_; }
    int64_t clock_offset_ms() const { return offset_ms_; }
    Status set_clock_offset(int64_t offset_ms);
    // Gives the changes that never left this device (local, not pushed) new stamps moved by
    // `shift_ms` from the corrected clock, in their order, and rewrites every reference to them
    // (log, field clocks, conflicts, superseded versions, supersedes lists). Then the clock
    // restarts from the latest stamp kept. Inside a transaction the caller holds; returns the
    // number of changes re-stamped.
    Result<size_t> restamp_unsent(int64_t shift_ms);
    // Takes `measured_offset_ms` as the correction when it differs from the current one by more
    // than `tolerance_ms`. A jump beyond kMaxClockAheadMs also re-stamps the unsent changes: they
    // were stamped by a clock that far off. Caller holds the transaction; returns re-stamped count.
    Result<size_t> correct_clock(int64_t measured_offset_ms, int64_t tolerance_ms);
    // Derived data (search index, figures) follows every change to a domain row, local or
    // remote: `changed` is told each row whose value moved, `flush` runs once before the
    // operation's transaction ends.
    using RowChanged = std::function<void(const std::string& table, const std::string& row)>;
    using Flush = std::function<Status()>;
    void set_hooks(RowChanged changed, Flush flush) {
        on_row_changed_ = std::move(changed);
        on_flush_ = std::move(flush);
    }
    // Who is typing (the unlocked deputy or staff member); recorded in each change for audit.
    void set_author(std::string author) { author_ = std::move(author); }
    const std::string& author() const { return author_; }
    // Every value this device writes passes this check before it reaches the outbox, so the
    // outbox never holds a change the server would refuse (the store installs the domain rules).
    using FieldCheck =
        std::function<Status(const std::string& table, const std::string& column, const std::string& value_json)>;
    void set_field_check(FieldCheck check) { field_check_ = std::move(check); }

private:
    Replica(db::Db& db, WallClock wall, std::string device, Hlc last);
    Status load_clock();
    Result<std::vector<std::string>> tables_with_column(const std::string& column);
    Status save_clock();
    void stamp_after_superseded(FieldChange& c);
    Status apply_one(const FieldChange& c, bool local, bool* applied);
    Status merge_one(const FieldChange& c);
    Result<bool> row_is_fresh(const std::string& table, const std::string& row);
    Result<bool> hidden_by_equal(const FieldChange& c);
    Result<std::vector<std::pair<Hlc, RowFields>>> row_changes_of(const std::string& table, const std::string& row);
    Result<RowFields> row_change_fields(const Hlc& hlc);
    // The version of a field: its own clock row, else its row change's (docs/replication.md).
    Result<std::optional<Hlc>> field_clock(const std::string& table, const std::string& row, const std::string& col);
    Result<FieldHeads> load_heads(const FieldChange& c);
    Status insert_fresh(const std::string& table, const std::string& row, const Hlc& hlc, const RowFields& fields);
    Status store_heads(const FieldChange& c, const FieldHeads& before, const FieldHeads& after);
    Result<std::string> read_domain_value(const std::string& table, const std::string& row, const std::string& col);
    Status write_domain_value(const std::string& table, const std::string& row, const std::string& col,
                              const std::string& value_json);
    Result<FieldChange> local_change(const std::string& table, const std::string& row, const std::string& col,
                                     const std::string& scope, std::string value_json,
                                     std::vector<Hlc> extra_supersedes);

    db::Db& db_;
    WallClock wall_;
    std::string device_;
    HlcClock clock_;
    int64_t offset_ms_ = 0;
    std::map<std::string, std::set<std::string>> tables_;
    std::string author_;
    RowChanged on_row_changed_;
    Flush on_flush_;
    FieldCheck field_check_;
    Status check_local(const std::string& table, const std::string& column, const std::string& value_json) const;
    Status flush() { return on_flush_ ? on_flush_() : Status{}; }
};

}  // namespace liaison::sync
