// Storage on SQLite: the shared domain schema (domain/schema.h) and replica tables, plus the
// server's own srv_* tables. crr_log.seq is the feed cursor: SQLite has one writer at a time and
// seq is assigned inside the write transaction, so commits append to the feed in seq order and
// a reader never sees a later seq without every earlier one.
//
// SQL here stays plain where it can (no WITHOUT ROWID on srv_* tables, ON CONFLICT ... DO UPDATE,
// plain INTEGER/TEXT), so another backend behind storage.h would not start from a rewrite.
#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include "domain/figures.h"
#include "domain/retention.h"
#include "domain/schema.h"
#include "domain/series.h"
#include "platform/platform.h"
#include "sync/server/sqlite_console.h"
#include "sync/server/storage.h"

namespace liaison::server {
namespace {

using nlohmann::json;
using sync::FieldChange;

const char* const kServerSchema = R"sql(
CREATE TABLE IF NOT EXISTS srv_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS srv_devices(
  id TEXT PRIMARY KEY,
  station_id TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL UNIQUE,
  enrolled_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL DEFAULT 0,
  revoked_ms INTEGER NOT NULL DEFAULT 0,
  series TEXT NOT NULL DEFAULT '',
  recovery_key TEXT);
CREATE TABLE IF NOT EXISTS srv_enrol_codes(
  code_hash TEXT PRIMARY KEY,
  station_id TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  used_ms INTEGER NOT NULL DEFAULT 0,
  used_by TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS crr_log_scope_seq ON crr_log(scope, seq);
)sql";

Error forbidden(std::string m) { return Error{Error::Kind::Forbidden, std::move(m)}; }
Error auth(std::string m) { return Error{Error::Kind::Auth, std::move(m)}; }

json column_value(const db::Stmt& st, int col) {
    switch (st.type(col)) {
        case SQLITE_INTEGER: return st.i64(col);
        case SQLITE_FLOAT: return st.f64(col);
        case SQLITE_NULL: return nullptr;
        default: return st.text(col);
    }
}

// One connection with its replica; a connection serves one request at a time.
struct Conn {
    std::unique_ptr<db::Db> db;
    std::unique_ptr<sync::Replica> replica;
};

class SqliteStorage final : public Storage, private SqliteAccess {
public:
    SqliteStorage(std::string path, SqliteOptions opt)
        : path_(std::move(path)), opt_(std::move(opt)), console_(make_sqlite_console(*this)) {}

    ConsoleStorage& console() override { return *console_; }

    Status init() {
        auto c = open_conn(true);
        if (!c) return c.error();
        ++open_;
        release(std::move(*c));
        return {};
    }

    // ---- devices ----
    Result<DeviceRecord> device_for_token(const std::string& token_hash) override {
        auto c = lease();
        if (!c) return c.error();
        auto& st = c->get().db->cached(
            "SELECT id, station_id, name, enrolled_ms, last_seen_ms, revoked_ms, series FROM srv_devices "
            "WHERE token_hash = ?");
        st.bind(1, token_hash);
        auto r = st.step();
        if (!r) return r.error();
        if (!*r) return auth("unknown device token");
        DeviceRecord d = device_from(st);
        st.reset();
        if (d.revoked_ms != 0) return auth("this device was revoked by the centre");
        return d;
    }

    Status add_enrol_code(const std::string& station_id, const std::string& code_hash, int64_t now_ms,
                          int64_t expires_ms) override {
        auto c = lease();
        if (!c) return c.error();
        auto& db = *c->get().db;
        auto& st =
            db.cached("INSERT INTO srv_enrol_codes(code_hash, station_id, created_ms, expires_ms) VALUES(?, ?, ?, ?)");
        return st.bind(1, code_hash).bind(2, station_id).bind(3, now_ms).bind(4, expires_ms).run();
    }

    Result<Enrolment> redeem_enrol_code(const std::string& code_hash, const std::string& device_id,
                                        const std::string& device_name, const std::string& token_hash,
                                        const std::string& wished_series, const std::string& recovery_key,
                                        int64_t now_ms, int64_t retry_window_ms) override {
        auto c = lease();
        if (!c) return c.error();
        auto& db = *c->get().db;
        std::lock_guard<std::mutex> writer(write_mu_);
        LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db));
        auto& st =
            db.cached("SELECT station_id, expires_ms, used_ms, used_by FROM srv_enrol_codes WHERE code_hash = ?");
        st.bind(1, code_hash);
        auto r = st.step();
        if (!r) return r.error();
        if (!*r) return forbidden("unknown enrolment code");
        Enrolment e;
        e.station_id = st.text(0);
        const int64_t expires = st.i64(1), used_ms = st.i64(2);
        const std::string used_by = st.text(3);
        st.reset();
        if (now_ms > expires) return forbidden("this enrolment code has expired; ask the centre for a new one");
        if (used_ms != 0 && (used_by != device_id || now_ms - used_ms > retry_window_ms))
            return forbidden("this enrolment code was already used");
        auto& dev = db.cached("SELECT station_id FROM srv_devices WHERE id = ?");
        dev.bind(1, device_id);
        auto known = dev.step();
        if (!known) return known.error();
        if (*known && dev.text(0) != e.station_id) {
            dev.reset();
            return Error{Error::Kind::Conflict, "this device is enrolled to another station"};
        }
        dev.reset();
        auto& stn = db.cached("SELECT name FROM stations WHERE id = ? AND _deleted = 0");
        stn.bind(1, e.station_id);
        auto found = stn.step();
        if (!found) return found.error();
        if (!*found) return forbidden("the station of this code no longer exists");
        e.station_name = stn.opt_text(0).value_or("");
        stn.reset();
        if (used_ms == 0) {
            auto& use = db.cached("UPDATE srv_enrol_codes SET used_ms = ?, used_by = ? WHERE code_hash = ?");
            LIAISON_TRY(use.bind(1, now_ms).bind(2, device_id).bind(3, code_hash).run());
        }
        // A device enrolled again (new tablet token, or back after a revocation) keeps its row.
        auto& up = db.cached(
            "INSERT INTO srv_devices(id, station_id, name, token_hash, enrolled_ms, last_seen_ms, revoked_ms, "
            "recovery_key) VALUES(?, ?, ?, ?, ?, ?, 0, NULLIF(?, '')) ON CONFLICT(id) DO UPDATE SET "
            "name = excluded.name, token_hash = excluded.token_hash, enrolled_ms = excluded.enrolled_ms, "
            "last_seen_ms = excluded.last_seen_ms, revoked_ms = 0, "
            "recovery_key = coalesce(excluded.recovery_key, srv_devices.recovery_key)");
        LIAISON_TRY(up.bind(1, device_id)
                        .bind(2, e.station_id)
                        .bind(3, device_name)
                        .bind(4, token_hash)
                        .bind(5, now_ms)
                        .bind(6, now_ms)
                        .bind(7, recovery_key)
                        .run());
        auto series = device_series(db, e.station_id, device_id, wished_series);
        if (!series) return series.error();
        e.series = *series;
        LIAISON_TRY(tx.commit());
        return e;
    }

    // The device's letter: kept once given (the letter its synced claim row shows wins over the
    // one recorded here: the admin may have changed it on the tablet). Taken are the letters of
    // other devices' live claim rows, and the recorded letters of devices that have no claim
    // row yet (enrolled, not synced; revoked ones included: their tickets of the day are still
    // in the queue). A device whose claim row was replaced or removed frees its recorded letter.
    static Result<std::string> device_series(db::Db& db, const std::string& station_id, const std::string& device_id,
                                             const std::string& wish) {
        std::set<std::string> taken, with_claim_row;
        std::vector<std::pair<std::string, std::string>> recorded_by_others;
        std::string claimed, recorded;
        auto& st = db.cached(
            "SELECT id, series, _deleted, 0 FROM queue_devices WHERE station_id = ? "
            "UNION ALL SELECT id, series, 0, 1 FROM srv_devices WHERE station_id = ? AND series <> ''");
        st.bind(1, station_id).bind(2, station_id);
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
            const std::string dev = q.text(0), letter = q.opt_text(1).value_or("");
            const bool deleted = q.i64(2) != 0, from_claims = q.i64(3) == 0;
            if (from_claims) {
                with_claim_row.insert(dev);
                if (deleted) return;
                if (dev == device_id)
                    claimed = letter;
                else
                    taken.insert(letter);
            } else if (dev == device_id) {
                recorded = letter;
            } else {
                recorded_by_others.emplace_back(dev, letter);
            }
        }));
        for (const auto& [dev, letter] : recorded_by_others)
            if (!with_claim_row.count(dev)) taken.insert(letter);
        const std::string mine = !claimed.empty() ? claimed : recorded;
        const std::string letter = domain::free_series(mine.empty() ? wish : mine, taken);
        if (letter != recorded) {
            auto& up = db.cached("UPDATE srv_devices SET series = ? WHERE id = ?");
            LIAISON_TRY(up.bind(1, letter).bind(2, device_id).run());
        }
        return letter;
    }

    Result<std::vector<DeviceRecord>> devices() override {
        auto c = lease();
        if (!c) return c.error();
        auto st = c->get().db->prepare(
            "SELECT id, station_id, name, enrolled_ms, last_seen_ms, revoked_ms, series FROM srv_devices "
            "ORDER BY station_id, id");
        if (!st) return st.error();
        std::vector<DeviceRecord> out;
        LIAISON_TRY(st->for_each_row([&](const db::Stmt& q) { out.push_back(device_from(q)); }));
        return out;
    }

    Result<std::string> recovery_key(const std::string& device_id) override {
        auto c = lease();
        if (!c) return c.error();
        auto& st = c->get().db->cached("SELECT recovery_key FROM srv_devices WHERE id = ?");
        st.bind(1, device_id);
        auto r = st.step();
        if (!r) return r.error();
        if (!*r) return not_found("no device " + device_id);
        auto key = st.opt_text(0);
        st.reset();
        if (!key) return not_found("device " + device_id + " was enrolled without escrowing its recovery key");
        return *key;
    }

    Status revoke_device(const std::string& device_id, int64_t now_ms) override {
        auto c = lease();
        if (!c) return c.error();
        auto& db = *c->get().db;
        auto& st = db.cached("UPDATE srv_devices SET revoked_ms = ? WHERE id = ? AND revoked_ms = 0");
        LIAISON_TRY(st.bind(1, now_ms).bind(2, device_id).run());
        if (db.changes() == 0) {
            auto& ex = db.cached("SELECT 1 FROM srv_devices WHERE id = ?");
            ex.bind(1, device_id);
            auto r = ex.step();
            if (!r) return r.error();
            const bool exists = *r;
            ex.reset();
            if (!exists) return not_found("no device " + device_id);
        }
        return {};
    }

    // ---- sync ----
    // Group commit: pushes that arrive while a transaction is being written wait, and the next
    // leader merges all of them in one transaction (a savepoint each, so one refused batch does
    // not affect the others) with one fsync. A push is answered only after its commit.
    Result<PushOutcome> push(const DeviceRecord& device, const std::vector<FieldChange>& changes,
                             int64_t now_ms) override {
        PushJob job{&device, &changes, now_ms};
        std::unique_lock<std::mutex> lk(gc_mu_);
        gc_queue_.push_back(&job);
        while (!job.done) {
            if (gc_leader_) {
                gc_cv_.wait(lk);
                continue;
            }
            gc_leader_ = true;
            std::vector<PushJob*> batch;
            batch.swap(gc_queue_);
            lk.unlock();
            run_push_batch(batch);
            lk.lock();
            gc_leader_ = false;
            for (auto* j : batch) j->done = true;
            gc_cv_.notify_all();
        }
        return job.result;
    }

    Result<PullPage> pull(const std::vector<std::string>& scopes, int64_t after, size_t limit,
                          const std::string& skip_node) override {
        auto c = lease();
        if (!c) return c.error();
        // One index range per scope (scope, seq), each already in seq order and stopping at the
        // limit, then merged. A single "scope IN (...) ORDER BY seq" query sorts every matching
        // row before it can apply the limit, which makes a new tablet's first pull of a large
        // station quadratic.
        std::vector<sync::OutboxEntry> merged;
        bool full = false;
        for (const auto& scope : scopes) {
            auto part = c->get().replica->log_after(after, {scope}, limit);
            if (!part) return part.error();
            full = full || part->size() == limit;
            merged.insert(merged.end(), std::make_move_iterator(part->begin()), std::make_move_iterator(part->end()));
        }
        std::sort(merged.begin(), merged.end(),
                  [](const sync::OutboxEntry& a, const sync::OutboxEntry& b) { return a.seq < b.seq; });
        // The first `limit` rows of the merge are a gap-free prefix of the feed: every list is
        // complete up to its own last row, and a full list's last row bounds the cut.
        if (merged.size() > limit) {
            merged.resize(limit);
            full = true;
        }
        PullPage page;
        page.cursor = merged.empty() ? after : merged.back().seq;
        page.more = full;
        page.changes.reserve(merged.size());
        for (auto& e : merged)
            if (skip_node.empty() || e.change.hlc.node != skip_node) page.changes.push_back(std::move(e.change));
        return page;
    }

    Status validate(const FieldChange& ch) override {
        // Table and column names are fixed by the schema: a replica with the tables registered
        // and no connection use is enough, but reuse a pooled one for simplicity.
        auto c = lease();
        if (!c) return c.error();
        return c->get().replica->validate(ch);
    }

    // ---- the central office ----
    Result<size_t> write_as_centre(const std::vector<CentreWrite>& writes, const std::string& author) override {
        auto c = lease();
        if (!c) return c.error();
        auto& db = *c->get().db;
        auto& rep = *c->get().replica;
        std::lock_guard<std::mutex> writer(write_mu_);
        LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db));
        rep.set_author(author);
        size_t written = 0;
        for (const auto& w : writes) {
            if (!rep.has_table(w.table)) return invalid("unknown table '" + w.table + "'");
            if (w.row.empty() || w.row.size() > 64) return invalid("bad row id");
            auto existing = rep.scope_of(w.table, w.row);
            std::string scope = existing.value_or(w.scope);
            if (scope.empty()) return invalid("a new row needs a scope (a station id, or * for reference data)");
            if (!w.scope.empty() && existing && *existing != w.scope)
                return invalid("row " + w.row + " belongs to scope " + *existing);
            if (w.remove) {
                if (!rep.exists(w.table, w.row)) continue;
                LIAISON_TRY(rep.remove(w.table, w.row, scope));
                ++written;
                continue;
            }
            // Only fields whose value changes: importing the same file twice writes nothing.
            auto current = row_values_on(db, w.table, w.row);
            if (!current) return current.error();
            std::vector<std::pair<std::string, sync::Value>> changed;
            for (const auto& [col, v] : w.fields) {
                auto canon = sync::canonical_value(v);
                if (!canon) return invalid(col + ": " + canon.error().message);
                auto it = current->find(col);
                const bool present = it != current->end() && !(current->value("_deleted", 0) == 1);
                if (present) {
                    auto have = sync::canonical_value(*it);
                    if (have && *have == *canon) continue;
                }
                changed.emplace_back(col, v);
            }
            if (changed.empty()) continue;
            LIAISON_TRY(rep.write(w.table, w.row, scope, changed));
            written += changed.size();
        }
        rep.set_author("");
        LIAISON_TRY(tx.commit());
        return written;
    }

    Result<std::vector<StationRecord>> stations() override {
        auto c = lease();
        if (!c) return c.error();
        auto st = c->get().db->prepare(
            "SELECT id, name, kind, district, township, address FROM stations WHERE _deleted = 0 ORDER BY name, id");
        if (!st) return st.error();
        std::vector<StationRecord> out;
        LIAISON_TRY(st->for_each_row([&](const db::Stmt& q) {
            out.push_back(StationRecord{q.text(0), q.opt_text(1).value_or(""), q.opt_text(2).value_or(""),
                                        q.opt_text(3).value_or(""), q.opt_text(4).value_or(""),
                                        q.opt_text(5).value_or("")});
        }));
        return out;
    }

    Result<StationRecord> station(const std::string& key) override {
        auto all = stations();
        if (!all) return all.error();
        for (const auto& s : *all)
            if (s.id == key) return s;
        std::vector<StationRecord> named;
        for (const auto& s : *all)
            if (s.name == key) named.push_back(s);
        if (named.size() == 1) return named.front();
        if (named.size() > 1) return invalid("several stations are named '" + key + "': use the id");
        return not_found("no station '" + key + "'");
    }

    Result<json> records(const std::string& scope, const std::string& table, int64_t limit, int64_t offset) override {
        auto c = lease();
        if (!c) return c.error();
        if (!c->get().replica->has_table(table)) return invalid("unknown table '" + table + "'");
        auto st =
            c->get().db->prepare("SELECT * FROM \"" + table +
                                 "\" WHERE _deleted = 0 AND id IN "
                                 "(SELECT row FROM crr_log WHERE tbl = ? AND scope = ?) ORDER BY id LIMIT ? OFFSET ?");
        if (!st) return st.error();
        st->bind(1, table).bind(2, scope).bind(3, limit).bind(4, offset);
        json out = json::array();
        const int n = sqlite3_column_count(st->raw());
        LIAISON_TRY(st->for_each_row([&](const db::Stmt& q) {
            json row = json::object();
            for (int i = 0; i < n; ++i) row[sqlite3_column_name(q.raw(), i)] = column_value(q, i);
            out.push_back(std::move(row));
        }));
        return out;
    }

    Result<std::optional<std::string>> row_scope(const std::string& table, const std::string& row) override {
        auto c = lease();
        if (!c) return c.error();
        return c->get().replica->scope_of(table, row);
    }

    Result<json> row_values(const std::string& table, const std::string& row) override {
        auto c = lease();
        if (!c) return c.error();
        if (!c->get().replica->has_table(table)) return invalid("unknown table '" + table + "'");
        return row_values_on(*c->get().db, table, row);
    }

    Result<json> statistics() override {
        auto c = lease();
        if (!c) return c.error();
        auto& db = *c->get().db;
        json out = json::object();
        auto count = [&](const std::string& sql) -> Result<int64_t> {
            auto st = db.prepare(sql);
            if (!st) return st.error();
            auto r = st->step();
            if (!r) return r.error();
            return st->i64(0);
        };
        for (const auto& [key, sql] : std::vector<std::pair<std::string, std::string>>{
                 {"changes", "SELECT count(*) FROM crr_log"},
                 {"stations", "SELECT count(*) FROM stations WHERE _deleted = 0"},
                 {"devices", "SELECT count(*) FROM srv_devices WHERE revoked_ms = 0"},
                 {"visits", "SELECT count(*) FROM visits WHERE _deleted = 0"},
                 {"cases", "SELECT count(*) FROM cases WHERE _deleted = 0"}}) {
            auto n = count(sql);
            if (!n) return n.error();
            out[key] = *n;
        }
        // The station figures of docs/design.md §2 (visits 批次, people 人次, suggestions, resolved,
        // ratings) for all stations and per station, by the same code as `liaison stats`.
        // Counts only, no personal data.
        auto f = domain::stats::figures(db, domain::stats::Range{}, domain::stats::By::Station);
        if (!f) return f.error();
        out["figures"] = domain::stats::figures_json(f->total);
        json per = json::object();
        for (const auto& g : f->groups) {
            json one = domain::stats::figures_json(g.figures);
            one["name"] = g.label;
            per[g.key] = std::move(one);
        }
        out["per_station"] = std::move(per);
        return out;
    }

    Result<int> retention_months() override {
        auto c = lease();
        if (!c) return c.error();
        return domain::retention::period(*c->get().db);
    }

    Result<RetentionReport> run_retention(int64_t now_ms) override {
        namespace rt = domain::retention;
        auto c = lease();
        if (!c) return c.error();
        auto& db = *c->get().db;
        auto& rep = *c->get().replica;
        RetentionReport out;
        {
            std::lock_guard<std::mutex> writer(write_mu_);
            LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db));
            LIAISON_ASSIGN_OR_RETURN(out.months, rt::period(db));
            if (out.months == 0) return out;
            out.cutoff = rt::cutoff(platform::local_datetime(now_ms), out.months);
            LIAISON_ASSIGN_OR_RETURN(auto due, rt::due_visitors(db, out.cutoff));
            rep.set_author(rt::kAuthor);
            auto masked = mask_as_centre(db, rep, due);
            rep.set_author("");
            if (!masked) return masked.error();
            out.masked = *masked;
            LIAISON_ASSIGN_OR_RETURN(auto stats, rt::scrub(rep, due, now_ms));
            out.visits = stats.visits;
            out.visitors = stats.visitors;
            out.values = stats.values;
            LIAISON_TRY(tx.commit());
        }
        // The WAL still holds the pages as they were: copy the scrubbed ones back and empty it.
        if (out.visitors > 0) LIAISON_TRY(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
        return out;
    }

    Result<std::string> meta(const std::string& key) override {
        auto c = lease();
        if (!c) return c.error();
        auto& st = c->get().db->cached("SELECT value FROM srv_meta WHERE key = ?");
        st.bind(1, key);
        auto r = st.step();
        if (!r) return r.error();
        std::string v = *r ? st.text(0) : std::string();
        st.reset();
        return v;
    }

    Status set_meta(const std::string& key, const std::string& value) override {
        auto c = lease();
        if (!c) return c.error();
        auto& st = c->get().db->cached(
            "INSERT INTO srv_meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        return st.bind(1, key).bind(2, value).run();
    }

private:
    // A pooled connection, returned to the pool when the lease ends.
    class Lease {
    public:
        Lease(SqliteStorage& s, std::unique_ptr<Conn> c) : s_(&s), c_(std::move(c)) {}
        Lease(Lease&& o) noexcept : s_(o.s_), c_(std::move(o.c_)) {}
        Lease(const Lease&) = delete;
        ~Lease() {
            if (c_) s_->release(std::move(c_));
        }
        Conn& get() { return *c_; }

    private:
        SqliteStorage* s_;
        std::unique_ptr<Conn> c_;
    };

    struct PushJob {
        const DeviceRecord* device;
        const std::vector<FieldChange>* changes;
        int64_t now_ms;
        Result<PushOutcome> result = Error{Error::Kind::Internal, "not run"};
        bool done = false;
    };

    // One device's batch inside the group transaction.
    Result<PushOutcome> apply_push(Conn& c, const PushJob& job) {
        // A row belongs to the scope it was created in: a device may not write into another
        // station's row by naming its own scope on the change.
        std::set<std::pair<std::string, std::string>> rows;
        for (const auto& ch : *job.changes) rows.emplace(ch.table, ch.row);
        for (const auto& [table, row] : rows) {
            auto scope = c.replica->scope_of(table, row);
            if (scope && *scope != job.device->station_id)
                return forbidden("row " + row + " belongs to another station");
        }
        auto stats = c.replica->apply_remote_in_tx(*job.changes);
        if (!stats) return stats.error();
        auto& seen = c.db->cached("UPDATE srv_devices SET last_seen_ms = ? WHERE id = ?");
        LIAISON_TRY(seen.bind(1, job.now_ms).bind(2, job.device->id).run());
        return PushOutcome{stats->applied, stats->duplicates};
    }

    void run_push_batch(const std::vector<PushJob*>& batch) {
        auto fail_all = [&](const Error& e) {
            for (auto* j : batch) j->result = e;
        };
        auto c = lease();
        if (!c) return fail_all(c.error());
        auto& db = *c->get().db;
        std::lock_guard<std::mutex> writer(write_mu_);
        auto tx = db::Tx::begin(db);
        if (!tx) return fail_all(tx.error());
        std::vector<Result<PushOutcome>> outcomes;
        for (auto* j : batch) {
            if (auto st = db.exec("SAVEPOINT push"); !st) return fail_all(st.error());
            auto r = apply_push(c->get(), *j);
            if (!r) {
                if (auto st = db.exec("ROLLBACK TO push"); !st) return fail_all(st.error());
            }
            if (auto st = db.exec("RELEASE push"); !st) return fail_all(st.error());
            outcomes.push_back(std::move(r));
        }
        if (auto st = tx->commit(); !st) return fail_all(st.error());
        for (size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(outcomes[i]);
    }

    // ---- SqliteAccess: the console's queries on a leased connection ----
    Status read(const std::function<Status(db::Db&)>& fn) override {
        auto c = lease();
        if (!c) return c.error();
        return fn(*c->get().db);
    }

    Status write(const std::function<Status(db::Db&)>& fn) override {
        auto c = lease();
        if (!c) return c.error();
        auto& db = *c->get().db;
        std::lock_guard<std::mutex> writer(write_mu_);
        LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db));
        LIAISON_TRY(fn(db));
        return tx.commit();
    }

    // Columns added after the first release: a database made by an older server gains them.
    static Status upgrade_server_schema(db::Db& db) {
        static const std::pair<const char*, const char*> kAdded[] = {{"series", "series TEXT NOT NULL DEFAULT ''"},
                                                                     {"recovery_key", "recovery_key TEXT"}};
        for (const auto& [name, definition] : kAdded) {
            auto st = db.prepare("SELECT 1 FROM pragma_table_info('srv_devices') WHERE name = ?");
            if (!st) return st.error();
            st->bind(1, name);
            auto has = st->step();
            if (!has) return has.error();
            if (!*has) LIAISON_TRY(db.exec(std::string("ALTER TABLE srv_devices ADD COLUMN ") + definition));
        }
        return {};
    }

    // The masks of the due visitors' current values, written as the centre's changes so every
    // tablet pulls them like any other (docs/retention.md). Returns the fields written.
    static Result<int64_t> mask_as_centre(db::Db& db, sync::Replica& rep,
                                          const std::vector<domain::retention::DueVisitor>& due) {
        int64_t written = 0;
        for (const auto& d : due) {
            auto& st = db.cached("SELECT name, phone FROM visit_visitors WHERE id = ?");
            st.bind(1, d.visitor_id);
            auto r = st.step();
            if (!r) return r.error();
            std::vector<std::pair<std::string, sync::Value>> fields;
            for (int i = 0; *r && i < 2; ++i) {
                if (st.type(i) != SQLITE_TEXT) continue;
                const std::string v = st.text(i);
                const std::string m = i == 0 ? domain::retention::mask_name(v) : domain::retention::mask_phone(v);
                if (m != v) fields.emplace_back(i == 0 ? "name" : "phone", m);
            }
            st.reset();
            if (fields.empty()) continue;
            const auto scope = rep.scope_of("visit_visitors", d.visitor_id);
            if (!scope) continue;  // a row no change made: nothing to send
            LIAISON_TRY(rep.write("visit_visitors", d.visitor_id, *scope, fields));
            written += static_cast<int64_t>(fields.size());
        }
        return written;
    }

    static DeviceRecord device_from(const db::Stmt& st) {
        return DeviceRecord{st.text(0), st.text(1), st.text(2), st.i64(3), st.i64(4), st.i64(5), st.text(6)};
    }

    static Result<json> row_values_on(db::Db& db, const std::string& table, const std::string& row) {
        auto& st = db.cached("SELECT * FROM \"" + table + "\" WHERE id = ?");
        st.bind(1, row);
        auto r = st.step();
        if (!r) return r.error();
        json out = json::object();
        if (*r) {
            const int n = sqlite3_column_count(st.raw());
            for (int i = 0; i < n; ++i) out[sqlite3_column_name(st.raw(), i)] = column_value(st, i);
        }
        st.reset();
        return out;
    }

    // A size cap: SQLite refuses to grow the file past it (SQLITE_FULL), as on a full disk.
    static Status cap_size(db::Db& db, size_t max_bytes) {
        auto st = db.prepare("PRAGMA page_size");
        if (!st) return st.error();
        auto row = st->step();
        if (!row) return row.error();
        const int64_t page = *row && st->i64(0) > 0 ? st->i64(0) : 4096;
        const int64_t pages = std::max<int64_t>(1, static_cast<int64_t>(max_bytes) / page);
        return db.exec("PRAGMA max_page_count = " + std::to_string(pages));
    }

    Result<std::unique_ptr<Conn>> open_conn(bool install) {
        db::Db::Options o;
        o.busy_timeout_ms = opt_.busy_timeout_ms;
        o.synchronous_full = opt_.synchronous_full;
        o.key = opt_.key;
        auto d = db::Db::open(path_, o);
        if (!d) return d.error();
        auto conn = std::make_unique<Conn>();
        conn->db = std::move(*d);
        // No memory map: the file grows with every push, and each growth made every pooled
        // connection unmap and map it again, which cost more than plain reads save
        // (docs/performance.md, "Server memory map").
        LIAISON_TRY(conn->db->exec("PRAGMA mmap_size = 0"));
        if (opt_.max_db_bytes) LIAISON_TRY(cap_size(*conn->db, opt_.max_db_bytes));
        if (install) {
            // The very same schema as the tablets, so the same merge code runs on both.
            LIAISON_TRY(domain::install_schema(*conn->db));
            LIAISON_TRY(conn->db->exec(kServerSchema));
            LIAISON_TRY(upgrade_server_schema(*conn->db));
            LIAISON_TRY(install_console_schema(*conn->db));
            auto id = sync::Replica::device_id(*conn->db);
            if (!id) {
                std::string node = "central_";
                for (char ch : platform::new_id())
                    if (ch != '-') node.push_back(ch);
                LIAISON_TRY(sync::Replica::set_device_id(*conn->db, node.substr(0, 24)));
            }
        }
        auto rep = sync::Replica::open(*conn->db, platform::wall_ms);
        if (!rep) return rep.error();
        conn->replica = std::move(*rep);
        domain::register_tables(*conn->replica);
        return conn;
    }

    // At most opt_.max_connections connections exist; a request waits for a free one. Few
    // connections keep each one's page cache warm: every commit invalidates the caches of all
    // the others, which then re-read pages from the WAL.
    Result<Lease> lease() {
        {
            std::unique_lock<std::mutex> lk(mu_);
            pool_cv_.wait(lk, [&] { return !idle_.empty() || open_ < opt_.max_connections; });
            if (!idle_.empty()) {
                auto c = std::move(idle_.back());
                idle_.pop_back();
                return Lease(*this, std::move(c));
            }
            ++open_;
        }
        auto c = open_conn(false);
        if (c) (*c)->db->end_reads();  // as a released one: no snapshot held into the first write
        if (!c) {
            std::lock_guard<std::mutex> lk(mu_);
            --open_;
            pool_cv_.notify_one();
            return c.error();
        }
        return Lease(*this, std::move(*c));
    }

    void release(std::unique_ptr<Conn> c) {
        // The next request must see the latest commits: drop any snapshot a statement still holds.
        c->db->end_reads();
        {
            std::lock_guard<std::mutex> lk(mu_);
            idle_.push_back(std::move(c));
        }
        pool_cv_.notify_one();
    }

    std::string path_;
    SqliteOptions opt_;
    std::mutex mu_;
    std::condition_variable pool_cv_;
    std::vector<std::unique_ptr<Conn>> idle_;
    size_t open_ = 0;  // connections in existence (idle or leased)
    // SQLite has one writer at a time. Writers of this process queue here rather than in
    // SQLite's busy handler, which sleeps and polls (1, 2, 5, 10 ... ms) and made tail latency
    // under load. Other processes sharing the file still wait through the busy timeout.
    std::mutex write_mu_;
    std::mutex gc_mu_;  // the group commit queue
    std::condition_variable gc_cv_;
    std::vector<PushJob*> gc_queue_;
    bool gc_leader_ = false;
    std::unique_ptr<ConsoleStorage> console_;
};

}  // namespace

Result<std::unique_ptr<Storage>> open_sqlite_storage(const std::string& path, SqliteOptions opt) {
    auto s = std::make_unique<SqliteStorage>(path, std::move(opt));
    LIAISON_TRY(s->init());
    return std::unique_ptr<Storage>(std::move(s));
}

}  // namespace liaison::server
