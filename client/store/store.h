// The station's local store: the domain schema on top of the replica layer, behind typed
// functions. Only store code (and the replica/server storage) holds SQL text.
#pragma once
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "client/store/domain.h"
#include "domain/retention.h"
#include "domain/schema.h"
#include "domain/search.h"
#include "sync/replica/replica.h"
#include "sync/replica/sqlite.h"

namespace liaison::store {

inline constexpr int kSchemaVersion = domain::kSchemaVersion;

// One retention run on the tablet (docs/retention.md).
struct RetentionRun {
    int months = 0;      // the centre's period; 0 = off (nothing was done)
    std::string cutoff;  // visits received before this are past the period
    domain::retention::RunStats stats;
    int64_t held_back = 0;  // due visitors left alone: changes of theirs are still to be pushed
};

struct OpenOptions {
    bool create = false;  // create the file if missing (init)
    // Run SQLite's quick check on open (the command line, before anything is read or pushed).
    // Without it the check still runs when a -wal file left by an unclean exit is found.
    bool verify = false;
    bool synchronous_full = false;
    int busy_timeout_ms = 3000;
    sync::WallClock wall;  // defaults to the platform clock
    // The data key a sign-in unwrapped (client/store/keyring.h): the store is encrypted with it
    // (docs/security.md). Null only for stores from before sign-in and the tests' own stores.
    std::shared_ptr<const db::StoreKey> key;
};

class Store {
public:
    // Opens (and migrates) the store at `path`. Fails with a clear message when the file is not
    // a Liaison store, is newer than this build, or is locked by another process.
    static Result<std::unique_ptr<Store>> open(const std::string& path, OpenOptions opt = {});
    // Applies migrations [0, upto) only: for migration tests.
    static Status migrate_to(db::Db& db, int version);
    // Creates the domain tables on a bare connection (the server shares the schema).
    static Status install_schema(db::Db& db);
    static void register_tables(sync::Replica& r);

    // ---- identity ----
    // First run: names the station and this device; seeds categories.
    Status init(const std::string& station_name, const std::string& device_name);
    Result<DeviceInfo> device();
    bool initialized();
    Status set_server(const std::string& url, const std::string& token);
    Result<std::string> token();
    void set_author(std::string who) { replica_->set_author(std::move(who)); }

    // ---- local settings and drafts (not replicated) ----
    Result<std::string> setting(const std::string& key, const std::string& fallback = "");
    Status set_setting(const std::string& key, const std::string& value);
    Status save_draft(const std::string& key, const std::string& json);
    Result<std::string> draft(const std::string& key);  // "" when none
    Status clear_draft(const std::string& key);

    // ---- reference data ----
    Result<std::vector<Category>> categories();
    Result<Category> category(const std::string& id_or_name);  // accepts code, 中文 or English name
    Result<std::string> add_station(const Station& s);
    Result<std::vector<Station>> stations();
    Result<std::string> add_deputy(const Deputy& d);
    Status update_deputy(const Deputy& d);
    Result<std::vector<Deputy>> deputies(bool active_only = false);
    Result<Deputy> deputy(const std::string& id);
    Result<std::string> deputy_id_by_name(const std::string& name);
    Result<std::string> add_department(const Department& d);
    Result<std::vector<Department>> departments();

    // ---- visits ----
    Result<std::string> add_visit(Visit v);
    Status update_visit(const std::string& id, const VisitPatch& p);
    Status delete_visit(const std::string& id);
    Result<Visit> visit(const std::string& id);
    Result<std::vector<VisitRow>> find_visits(const VisitQuery& q);
    Result<int64_t> count_visits(const VisitQuery& q);
    // Visits whose text contains `text` (from the search index alone).
    Result<int64_t> search_hits(const std::string& text);
    // Many visits in one transaction (CSV import): all or nothing.
    Result<size_t> add_visits(std::vector<Visit> visits);
    class VisitImport;
    // The same, for visits that come one at a time (a CSV file read as it goes): each is
    // validated and written as it comes, so memory stays bounded however many there are; nothing
    // is kept unless VisitImport::commit() is reached (docs/performance.md, Bulk import).
    Result<std::unique_ptr<VisitImport>> begin_import();

    // ---- retention (docs/retention.md) ----
    // Masks the names and phones of the visitors of visits past the centre's period in this
    // store's rows, change log, conflict rows and search index, then checkpoints the WAL.
    Result<RetentionRun> run_retention();
    // After a sync round: runs when it has not run today, or when the round pulled a change of a
    // visit, a visitor, a case or the period since the last run (one read of the newest log rows).
    Status retention_after_sync(size_t pulled);

    // ---- audit and sync views ----
    Result<std::vector<AuditEntry>> audit_trail(const std::string& table, const std::string& row);
    Result<std::vector<ConflictView>> conflicts();
    Status resolve_conflict(const std::string& id, const std::string& keep /*mine|theirs*/);
    Status resolve_conflict_with(const std::string& id, const std::string& merged_text);
    // Change records not yet sent: a new row is one, each later edit of a field one.
    Result<int64_t> pending_changes();
    // Records with changes not yet sent: a visit with its visitors is one, a case with its
    // events is one (what people count; pending_changes() counts change records).
    Result<int64_t> pending_records();
    // Rows written through this connection so far: tells a caller whether an action wrote.
    int64_t write_count() const { return db_->total_changes(); }
    // Forget this connection's read snapshot so it sees what another connection (the sync
    // worker) committed.
    void refresh() { db_->end_reads(); }

    sync::Replica& replica() { return *replica_; }
    db::Db& db() { return *db_; }
    const std::string& station_id() const { return station_id_; }
    int64_t now() const { return wall_(); }  // the store's wall clock (faked in tests)

    // SQLite's integrity check (full) or quick check; a damage report says how to recover.
    // A quick check that passed once is not repeated on this connection: it reads the whole
    // file, and the sync worker asks before every round. Damage met later surfaces as SQLite's
    // corruption error on the page it hits.
    Status check(bool full);
    // A consistent single-file copy at `dest` while other connections keep writing, encrypted
    // with the store's own key.
    Status backup(const std::string& dest);
    // The key the store was opened with (null: plaintext), for another connection to the file.
    const std::shared_ptr<const db::StoreKey>& key() const { return key_; }

    // Reads the station id again after enrolment changed it in the settings.
    Status load_identity();

private:
    Store() = default;
    Status flush_search();
    Status validate_visit(const Visit& v);
    Status write_visit(Visit& v);

    std::unique_ptr<db::Db> db_;
    std::shared_ptr<const db::StoreKey> key_;
    std::unique_ptr<sync::Replica> replica_;
    sync::WallClock wall_;
    std::string station_id_;
    std::set<std::string> dirty_visits_, dirty_visitors_;  // search index to refresh this transaction
    bool defer_search_ = false;
    bool quick_checked_ = false;
    std::vector<Category> category_cache_;
    // Holds back the per-write index refresh while one operation writes several rows, so each
    // visit is indexed once; the operation calls flush_search() before it commits.
    class SearchBatch {
    public:
        explicit SearchBatch(Store& s) : s_(s) { s_.defer_search_ = true; }
        void end() { s_.defer_search_ = false; }
        ~SearchBatch() { end(); }

    private:
        Store& s_;
    };
};

class Store::VisitImport {
public:
    // Validated, then written through the replica. After an error, drop the import: it rolls back.
    Status add(Visit v);
    Result<size_t> commit();  // the number of visits added
    ~VisitImport();
    VisitImport(const VisitImport&) = delete;
    VisitImport& operator=(const VisitImport&) = delete;

private:
    friend class Store;
    VisitImport(Store& s, db::Tx tx) : s_(s), tx_(std::move(tx)) { s_.defer_search_ = true; }
    Store& s_;
    db::Tx tx_;
    size_t added_ = 0;
};

// The one-line report for a damaged store: what happened and how to recover.
Error damaged_store(const std::string& path, const std::string& what);

// Validation helpers shared by the CLI, the form and the kiosk (domain/rules.h).
bool valid_utf8(const std::string& s);
bool valid_date(const std::string& s);      // YYYY-MM-DD, a real calendar date
bool valid_datetime(const std::string& s);  // YYYY-MM-DD HH:MM
bool valid_phone(const std::string& s);     // 11-digit mainland mobile or landline with area code
// The search index's form of a text (domain/search.h).
using domain::search_text;
// Id lists in one replicated field (domain/rules.h).
using domain::join_ids;
using domain::split_ids;

}  // namespace liaison::store
