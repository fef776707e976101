// Storage on PostgreSQL (docs/server.md, "PostgreSQL"), for several liaison-central processes
// on one database. The same tables as on SQLite (pg_schema.cpp), the same merge (pg_merge.cpp).
// Each request leases a connection from a small pool; a connection that lost the server is
// dropped and the next lease opens a new one, so the processes outlive a PostgreSQL restart.
#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "domain/retention.h"
#include "domain/schema.h"
#include "domain/series.h"
#include "platform/platform.h"
#include "sync/replica/replica.h"
#include "sync/server/pg.h"
#include "sync/core/row.h"
#include "sync/server/pg_merge.h"
#include "sync/server/pg_schema.h"
#include "sync/server/storage.h"

namespace liaison::server {
namespace {

using nlohmann::json;
using pg::p;
using pg::Param;
using sync::FieldChange;
using sync::Hlc;

Error forbidden(std::string m) { return Error{Error::Kind::Forbidden, std::move(m)}; }
Error auth(std::string m) { return Error{Error::Kind::Auth, std::move(m)}; }
Error unsupported(const std::string& what) {
    return Error{Error::Kind::Invalid, what + " is not available on PostgreSQL yet (docs/server.md, \"PostgreSQL\")"};
}

constexpr int kStationLockClass = 2;  // advisory locks: one station's enrolments (see pg_merge.cpp)
constexpr int kPushAttempts = 5;      // a deadlock or serialization failure is retried whole

// A JSON-text column that holds a string, as the string ("" for null or anything else).
std::string json_string(const std::optional<std::string>& stored) {
    if (!stored) return "";
    auto v = json::parse(*stored, nullptr, false);
    return v.is_string() ? v.get<std::string>() : "";
}

// The web console is not on PostgreSQL yet: every call says so (the HTTP routes are refused
// before they get here: Storage::has_console).
class NoConsole final : public ConsoleStorage {
public:
    Status add_user(const ConsoleUser&) override { return no(); }
    Result<ConsoleUser> user(const std::string&) override { return no(); }
    Result<std::vector<ConsoleUser>> users() override { return no(); }
    Status set_password(const std::string&, const std::string&) override { return no(); }
    Status set_disabled(const std::string&, int64_t) override { return no(); }
    Result<int64_t> add_failure(const std::string&) override { return no(); }
    Status set_lock(const std::string&, int64_t) override { return no(); }
    Status clear_failures(const std::string&) override { return no(); }
    Status add_session(const ConsoleSession&) override { return no(); }
    Result<ConsoleSession> session(const std::string&) override { return no(); }
    Status touch_session(const std::string&, int64_t) override { return no(); }
    Status end_session(const std::string&) override { return no(); }
    Status end_sessions_of(const std::string&) override { return no(); }
    Status purge_sessions(int64_t, int64_t) override { return no(); }
    Result<CaseList> cases(const CaseFilter&) override { return no(); }
    Result<std::optional<CaseListRow>> case_row(const std::string&) override { return no(); }
    Result<json> case_fields(const std::string&) override { return no(); }
    Result<json> case_events(const std::string&) override { return no(); }
    Result<json> visit(const std::string&) override { return no(); }
    Result<json> visitors(const std::string&) override { return no(); }
    Result<std::vector<StationFigures>> station_figures(const domain::stats::Range&) override { return no(); }
    Result<std::vector<MonthStatusCount>> cases_by_month(const CaseFilter&) override { return no(); }
    Result<json> departments() override { return no(); }
    Result<std::vector<std::string>> stations_of_department(const std::string&) override { return no(); }
    Result<json> categories() override { return no(); }
    Result<std::optional<std::pair<std::string, std::string>>> department(const std::string&) override { return no(); }

private:
    static Error no() { return unsupported("the web console (and its users)"); }
};

class PgStorage final : public Storage {
public:
    PgStorage(std::string url, PgOptions opt) : url_(std::move(url)), opt_(opt) {}

    Status init() {
        auto c = open_conn();
        if (!c) return c.error();
        LIAISON_ASSIGN_OR_RETURN(catalog_, pg::migrate(**c));
        LIAISON_TRY(ensure_centre_id(**c));
        // Table and column names are checked as on SQLite, by a replica with the domain's tables
        // registered (an in-memory one: it holds no data).
        LIAISON_ASSIGN_OR_RETURN(names_db_, db::Db::open(":memory:"));
        LIAISON_TRY(domain::install_schema(*names_db_));
        LIAISON_TRY(sync::Replica::set_device_id(*names_db_, node_));
        LIAISON_ASSIGN_OR_RETURN(names_, sync::Replica::open(*names_db_, platform::wall_ms));
        domain::register_tables(*names_);
        ++open_;
        release(std::move(*c));
        return {};
    }

    ConsoleStorage& console() override { return console_; }
    bool has_console() const override { return false; }

    // ---- devices ----
    Result<DeviceRecord> device_for_token(const std::string& token_hash) override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        LIAISON_ASSIGN_OR_RETURN(
            auto r, c.get().query("SELECT " + std::string(kDeviceCols) + " FROM srv_devices WHERE token_hash = $1",
                                  {p(token_hash)}));
        if (r.size() == 0) return auth("unknown device token");
        DeviceRecord d = device_from(r, 0);
        if (d.revoked_ms != 0) return auth("this device was revoked by the centre");
        return d;
    }

    Status add_enrol_code(const std::string& station_id, const std::string& code_hash, int64_t now_ms,
                          int64_t expires_ms) override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        return c.get().run(
            "INSERT INTO srv_enrol_codes(code_hash, station_id, created_ms, expires_ms) VALUES($1, $2, $3, $4)",
            {p(code_hash), p(station_id), p(now_ms), p(expires_ms)});
    }

    Result<Enrolment> redeem_enrol_code(const std::string& code_hash, const std::string& device_id,
                                        const std::string& device_name, const std::string& token_hash,
                                        const std::string& wished_series, const std::string& recovery_key,
                                        int64_t now_ms, int64_t retry_window_ms) override {
        LIAISON_ASSIGN_OR_RETURN(auto lc, lease());
        auto& c = lc.get();
        LIAISON_ASSIGN_OR_RETURN(auto tx, pg::Tx::begin(c));
        // The code's row is locked: two redemptions of one code go one after the other.
        LIAISON_ASSIGN_OR_RETURN(auto code, c.query("SELECT station_id, expires_ms, used_ms, used_by FROM "
                                                    "srv_enrol_codes WHERE code_hash = $1 FOR UPDATE",
                                                    {p(code_hash)}));
        if (code.size() == 0) return forbidden("unknown enrolment code");
        Enrolment e;
        e.station_id = code.text(0, 0);
        const int64_t expires = code.i64(0, 1), used_ms = code.i64(0, 2);
        const std::string used_by = code.text(0, 3);
        if (now_ms > expires) return forbidden("this enrolment code has expired; ask the centre for a new one");
        if (used_ms != 0 && (used_by != device_id || now_ms - used_ms > retry_window_ms))
            return forbidden("this enrolment code was already used");
        // One station's enrolments one at a time: two tablets never get one ticket letter.
        LIAISON_TRY(c.run("SELECT pg_advisory_xact_lock($1::integer, hashtext($2))",
                          {p(int64_t{kStationLockClass}), p(e.station_id)}));
        LIAISON_ASSIGN_OR_RETURN(auto dev, c.query("SELECT station_id FROM srv_devices WHERE id = $1", {p(device_id)}));
        if (dev.size() && dev.text(0, 0) != e.station_id)
            return Error{Error::Kind::Conflict, "this device is enrolled to another station"};
        LIAISON_ASSIGN_OR_RETURN(
            auto stn, c.query("SELECT name FROM stations WHERE id = $1 AND _deleted = 0", {p(e.station_id)}));
        if (stn.size() == 0) return forbidden("the station of this code no longer exists");
        e.station_name = json_string(stn.opt_text(0, 0));
        if (used_ms == 0)
            LIAISON_TRY(c.run("UPDATE srv_enrol_codes SET used_ms = $1, used_by = $2 WHERE code_hash = $3",
                              {p(now_ms), p(device_id), p(code_hash)}));
        // A device enrolled again (new tablet token, or back after a revocation) keeps its row.
        LIAISON_TRY(
            c.run("INSERT INTO srv_devices(id, station_id, name, token_hash, enrolled_ms, last_seen_ms, "
                  "revoked_ms, recovery_key) VALUES($1, $2, $3, $4, $5, $5, 0, NULLIF($6, '')) ON CONFLICT(id) DO "
                  "UPDATE SET name = excluded.name, token_hash = excluded.token_hash, "
                  "enrolled_ms = excluded.enrolled_ms, last_seen_ms = excluded.last_seen_ms, revoked_ms = 0, "
                  "recovery_key = coalesce(excluded.recovery_key, srv_devices.recovery_key)",
                  {p(device_id), p(e.station_id), p(device_name), p(token_hash), p(now_ms), p(recovery_key)}));
        LIAISON_ASSIGN_OR_RETURN(e.series, device_series(c, e.station_id, device_id, wished_series));
        LIAISON_TRY(tx.commit());
        return e;
    }

    Result<std::vector<DeviceRecord>> devices() override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        LIAISON_ASSIGN_OR_RETURN(
            auto r, c.get().query("SELECT " + std::string(kDeviceCols) + " FROM srv_devices ORDER BY station_id, id"));
        std::vector<DeviceRecord> out;
        out.reserve(static_cast<size_t>(r.size()));
        for (int i = 0; i < r.size(); ++i) out.push_back(device_from(r, i));
        return out;
    }

    Result<std::string> recovery_key(const std::string& device_id) override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        LIAISON_ASSIGN_OR_RETURN(auto r,
                                 c.get().query("SELECT recovery_key FROM srv_devices WHERE id = $1", {p(device_id)}));
        if (r.size() == 0) return not_found("no device " + device_id);
        auto key = r.opt_text(0, 0);
        if (!key) return not_found("device " + device_id + " was enrolled without escrowing its recovery key");
        return *key;
    }

    Status revoke_device(const std::string& device_id, int64_t now_ms) override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        LIAISON_ASSIGN_OR_RETURN(auto up, c.get().query("UPDATE srv_devices SET revoked_ms = $1 WHERE id = $2 AND "
                                                        "revoked_ms = 0",
                                                        {p(now_ms), p(device_id)}));
        if (up.affected() > 0) return {};
        LIAISON_ASSIGN_OR_RETURN(auto ex, c.get().query("SELECT 1 FROM srv_devices WHERE id = $1", {p(device_id)}));
        if (ex.size() == 0) return not_found("no device " + device_id);
        return {};
    }

    // ---- sync ----
    // One transaction per push on its own connection; concurrent pushes (of this process and
    // of others) merge side by side and meet only on the rows they share and on the feed row
    // at the very end (pg_merge.h). A deadlock between two pushes is retried.
    Result<PushOutcome> push(const DeviceRecord& device, const std::vector<FieldChange>& changes,
                             int64_t now_ms) override {
        // PostgreSQL keeps field changes: a row change is merged and logged as the field changes
        // it stands for (docs/replication.md, "Row changes"); tablets of either protocol take them.
        std::vector<std::vector<FieldChange>> spelled;
        spelled.reserve(changes.size());
        for (const auto& ch : changes) {
            LIAISON_ASSIGN_OR_RETURN(auto fields, sync::expand_change(ch));
            spelled.push_back(std::move(fields));
        }
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        for (int attempt = 1;; ++attempt) {
            auto r = push_once(c.get(), device, spelled, now_ms);
            if (r || !pg::retryable(r.error()) || attempt == kPushAttempts) return r;
        }
    }

    Result<PullPage> pull(const std::vector<std::string>& scopes, int64_t after, size_t limit,
                          const std::string& skip_node) override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        // One statement, so one snapshot for every scope: with a statement per scope, a change of
        // the first scope committed between the two could be passed by the cursor unseen. Each
        // scope is its own index range (scope, seq) stopping at the limit, as on SQLite.
        std::string sql;
        std::vector<Param> params = {p(after), p(static_cast<int64_t>(limit))};
        for (const auto& s : scopes) {
            params.push_back(p(s));
            sql += std::string(sql.empty() ? "" : " UNION ALL ") + "(SELECT seq, " + kLogCols +
                   " FROM crr_log WHERE scope = $" + std::to_string(params.size()) +
                   " AND seq > $1 ORDER BY seq LIMIT $2)";
        }
        if (sql.empty()) return PullPage{{}, after, false};
        LIAISON_ASSIGN_OR_RETURN(auto r, c.get().query("SELECT * FROM (" + sql + ") feed ORDER BY seq", params));
        // A full range bounds the page: the rows after its last may be missing from it.
        std::map<std::string, std::pair<size_t, int64_t>> ranges;  // scope -> rows, last seq
        for (int i = 0; i < r.size(); ++i) {
            auto& range = ranges[r.text(i, 7)];
            ++range.first;
            range.second = std::max(range.second, r.i64(i, 0));
        }
        int64_t bound = INT64_MAX;
        for (const auto& [scope, range] : ranges)
            if (range.first == limit) bound = std::min(bound, range.second);
        PullPage page;
        page.cursor = after;
        size_t taken = 0;
        for (int i = 0; i < r.size() && taken < limit; ++i) {
            const int64_t seq = r.i64(i, 0);
            if (seq > bound) break;
            ++taken;
            page.cursor = seq;
            FieldChange ch = change_from(r, i);
            if (skip_node.empty() || ch.hlc.node != skip_node) page.changes.push_back(std::move(ch));
        }
        page.more = bound != INT64_MAX || taken < static_cast<size_t>(r.size());
        return page;
    }

    Status validate(const FieldChange& ch) override {
        std::lock_guard<std::mutex> lk(names_mu_);
        return names_->validate(ch);
    }

    // ---- the central office ----
    Result<size_t> write_as_centre(const std::vector<CentreWrite>& writes, const std::string& author) override {
        if (author.size() > sync::kMaxAuthorBytes)
            return invalid("the author's name is longer than " + std::to_string(sync::kMaxAuthorBytes) + " bytes");
        for (const auto& w : writes) {
            if (!has_table(w.table)) return invalid("unknown table '" + w.table + "'");
            if (w.row.empty() || w.row.size() > 64) return invalid("bad row id");
        }
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        for (int attempt = 1;; ++attempt) {
            auto r = centre_once(c.get(), writes, author);
            if (r || !pg::retryable(r.error()) || attempt == kPushAttempts) return r;
        }
    }

    Result<std::vector<StationRecord>> stations() override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        LIAISON_ASSIGN_OR_RETURN(auto r, c.get().query("SELECT id, name, kind, district, township, address FROM "
                                                       "stations WHERE _deleted = 0"));
        std::vector<StationRecord> out;
        out.reserve(static_cast<size_t>(r.size()));
        for (int i = 0; i < r.size(); ++i)
            out.push_back(StationRecord{r.text(i, 0), json_string(r.opt_text(i, 1)), json_string(r.opt_text(i, 2)),
                                        json_string(r.opt_text(i, 3)), json_string(r.opt_text(i, 4)),
                                        json_string(r.opt_text(i, 5))});
        // Byte order, as SQLite's ORDER BY name, id.
        std::sort(out.begin(), out.end(), [](const StationRecord& a, const StationRecord& b) {
            return std::tie(a.name, a.id) < std::tie(b.name, b.id);
        });
        return out;
    }

    Result<StationRecord> station(const std::string& key) override {
        LIAISON_ASSIGN_OR_RETURN(auto all, stations());
        for (const auto& s : all)
            if (s.id == key) return s;
        std::vector<StationRecord> named;
        for (const auto& s : all)
            if (s.name == key) named.push_back(s);
        if (named.size() == 1) return named.front();
        if (named.size() > 1) return invalid("several stations are named '" + key + "': use the id");
        return not_found("no station '" + key + "'");
    }

    Result<json> records(const std::string& scope, const std::string& table, int64_t limit, int64_t offset) override {
        if (!has_table(table)) return invalid("unknown table '" + table + "'");
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        LIAISON_ASSIGN_OR_RETURN(
            auto r, c.get().query("SELECT * FROM \"" + table +
                                      "\" WHERE _deleted = 0 AND id IN (SELECT \"row\" FROM crr_log WHERE tbl = $1 AND "
                                      "scope = $2) ORDER BY id LIMIT $3 OFFSET $4",
                                  {p(table), p(scope), p(limit), p(offset)}));
        json out = json::array();
        for (int i = 0; i < r.size(); ++i) out.push_back(row_json(table, r, i));
        return out;
    }

    Result<std::optional<std::string>> row_scope(const std::string& table, const std::string& row) override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        pg::Merger m(c.get(), catalog_);
        return m.scope_of(table, row);
    }

    Result<json> row_values(const std::string& table, const std::string& row) override {
        if (!has_table(table)) return invalid("unknown table '" + table + "'");
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        return row_values_on(c.get(), table, row);
    }

    Result<json> statistics() override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        LIAISON_ASSIGN_OR_RETURN(auto r, c.get().query("SELECT (SELECT count(*) FROM crr_log), "
                                                       "(SELECT count(*) FROM stations WHERE _deleted = 0), "
                                                       "(SELECT count(*) FROM srv_devices WHERE revoked_ms = 0), "
                                                       "(SELECT count(*) FROM visits WHERE _deleted = 0), "
                                                       "(SELECT count(*) FROM cases WHERE _deleted = 0)"));
        json out = json::object();
        const char* keys[] = {"changes", "stations", "devices", "visits", "cases"};
        for (int i = 0; i < 5; ++i) out[keys[i]] = r.i64(0, i);
        // The station figures (domain/figures.cpp) are SQLite queries; on PostgreSQL the counts
        // above only, until they are translated (docs/server.md, "PostgreSQL").
        return out;
    }

    Result<int> retention_months() override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        LIAISON_ASSIGN_OR_RETURN(auto r,
                                 c.get().query("SELECT value FROM centre_settings WHERE id = $1 AND _deleted = 0",
                                               {p(domain::retention::kPeriodRow)}));
        if (r.size() == 0 || r.null(0, 0)) return 0;
        auto v = json::parse(r.text(0, 0), nullptr, false);
        return v.is_number_integer() ? v.get<int>() : 0;
    }

    Result<RetentionReport> run_retention(int64_t) override {
        LIAISON_ASSIGN_OR_RETURN(const int months, retention_months());
        if (months == 0) return RetentionReport{};
        return unsupported("the retention run");
    }

    Result<std::string> meta(const std::string& key) override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        LIAISON_ASSIGN_OR_RETURN(auto r, c.get().query("SELECT value FROM srv_meta WHERE key = $1", {p(key)}));
        return r.size() ? r.text(0, 0) : std::string();
    }

    Status set_meta(const std::string& key, const std::string& value) override {
        LIAISON_ASSIGN_OR_RETURN(auto c, lease());
        return c.get().run(
            "INSERT INTO srv_meta(key, value) VALUES($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            {p(key), p(value)});
    }

private:
    static constexpr const char* kDeviceCols = "id, station_id, name, enrolled_ms, last_seen_ms, revoked_ms, series";
    static constexpr const char* kLogCols = "hlc, tbl, \"row\", col, value, supersedes, scope, extra, author";

    // A pooled connection, back to the pool when the lease ends (dropped if it lost the server).
    class Lease {
    public:
        Lease(PgStorage& s, std::unique_ptr<pg::Conn> c) : s_(&s), c_(std::move(c)) {}
        Lease(Lease&& o) noexcept : s_(o.s_), c_(std::move(o.c_)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (c_) s_->release(std::move(c_));
        }
        pg::Conn& get() { return *c_; }

    private:
        PgStorage* s_;
        std::unique_ptr<pg::Conn> c_;
    };

    bool has_table(const std::string& t) const { return names_->has_table(t); }

    Result<std::unique_ptr<pg::Conn>> open_conn() { return pg::Conn::open(url_); }

    Result<Lease> lease() {
        {
            std::unique_lock<std::mutex> lk(mu_);
            pool_cv_.wait(lk, [&] { return !idle_.empty() || open_ < opt_.max_connections; });
            // Idle connections the server closed (a restart of PostgreSQL) are dropped here
            // rather than failing the request on their first statement.
            while (!idle_.empty() && !idle_.back()->alive()) {
                idle_.pop_back();
                --open_;
            }
            if (!idle_.empty()) {
                auto c = std::move(idle_.back());
                idle_.pop_back();
                return Lease(*this, std::move(c));
            }
            ++open_;
        }
        auto c = open_conn();
        if (!c) {
            std::lock_guard<std::mutex> lk(mu_);
            --open_;
            pool_cv_.notify_one();
            return c.error();
        }
        return Lease(*this, std::move(*c));
    }

    void release(std::unique_ptr<pg::Conn> c) {
        {
            std::lock_guard<std::mutex> lk(mu_);
            if (c->healthy() && !c->in_transaction())
                idle_.push_back(std::move(c));
            else
                --open_;  // the server went away (or a transaction was left open): a new one next time
        }
        pool_cv_.notify_one();
    }

    // The centre's node id, made once by whichever process starts first.
    Status ensure_centre_id(pg::Conn& c) {
        std::string node = "central_";
        for (char ch : platform::new_id())
            if (ch != '-') node.push_back(ch);
        LIAISON_TRY(c.run("INSERT INTO crr_meta(key, value) VALUES('device_id', $1) ON CONFLICT(key) DO NOTHING",
                          {p(node.substr(0, 24))}));
        LIAISON_ASSIGN_OR_RETURN(auto r, c.query("SELECT value FROM crr_meta WHERE key = 'device_id'"));
        if (r.size() == 0) return Error{Error::Kind::Corrupt, "the centre has no node id"};
        node_ = r.text(0, 0);
        return {};
    }

    // `spelled`: each pushed change as the field changes it stands for.
    Result<PushOutcome> push_once(pg::Conn& c, const DeviceRecord& device,
                                  const std::vector<std::vector<FieldChange>>& spelled, int64_t now_ms) {
        for (const auto& fields : spelled)
            for (const auto& f : fields) LIAISON_TRY(validate(f));
        LIAISON_ASSIGN_OR_RETURN(auto tx, pg::Tx::begin(c));
        pg::Merger m(c, catalog_);
        std::set<pg::RowKey> rows;
        for (const auto& fields : spelled)
            for (const auto& f : fields) rows.emplace(f.table, f.row);
        LIAISON_TRY(m.lock_rows(rows));
        // A row belongs to the scope it was created in (as on SQLite).
        for (const auto& [table, row] : rows) {
            LIAISON_ASSIGN_OR_RETURN(auto scope, m.scope_of(table, row));
            if (scope && *scope != device.station_id) return forbidden("row " + row + " belongs to another station");
        }
        // Counted per pushed change, as on SQLite: a row change is new when any of its fields is.
        PushOutcome out;
        for (const auto& fields : spelled) {
            bool any = false;
            for (const auto& f : fields) {
                bool applied = false;
                LIAISON_TRY(m.apply(f, false, &applied));
                any = any || applied;
            }
            ++(any ? out.accepted : out.duplicates);
        }
        LIAISON_TRY(c.run("UPDATE srv_devices SET last_seen_ms = $1 WHERE id = $2", {p(now_ms), p(device.id)}));
        LIAISON_TRY(m.assign_seqs());
        LIAISON_TRY(tx.commit());
        return out;
    }

    // The centre's clock: the last stamp it gave (crr_meta, row locked: one centre writer at a
    // time across processes), moved past every change the server holds, as a replica observes
    // each change it merges.
    Result<sync::HlcClock> centre_clock(pg::Conn& c, int64_t now) {
        LIAISON_ASSIGN_OR_RETURN(auto saved, c.query("SELECT value FROM crr_meta WHERE key = 'hlc' FOR UPDATE"));
        sync::HlcClock clock(node_, saved.size() ? Hlc::parse(saved.text(0, 0)).value_or(Hlc{}) : Hlc{});
        const Hlc bound{std::min(now + sync::kObserveMaxAheadMs + 1, sync::kMaxWallMs), 0, ""};
        LIAISON_ASSIGN_OR_RETURN(auto seen, c.query("SELECT max(hlc) FROM crr_log WHERE hlc < $1", {p(bound.str())}));
        if (seen.size() && !seen.null(0, 0))
            if (auto h = Hlc::parse(seen.text(0, 0))) clock.observe(*h, now);
        return clock;
    }

    // One field written by the centre: it supersedes what the field shows now (and `extra`).
    Status centre_field(pg::Merger& m, sync::HlcClock& clock, const CentreWrite& w, const std::string& scope,
                        const std::string& col, std::string value_json, std::vector<Hlc> supersedes,
                        const std::string& author) {
        FieldChange ch;
        ch.table = w.table;
        ch.row = w.row;
        ch.column = col;
        ch.scope = scope;
        ch.value = std::move(value_json);
        ch.author = author;
        LIAISON_ASSIGN_OR_RETURN(auto current, m.clock_of(w.table, w.row, col));
        if (current) supersedes.push_back(*current);
        std::sort(supersedes.begin(), supersedes.end());
        supersedes.erase(std::unique(supersedes.begin(), supersedes.end()), supersedes.end());
        const int64_t now = platform::wall_ms();
        for (const auto& s : supersedes)
            if (!(s < clock.last())) clock.observe(s, now);
        ch.hlc = clock.tick(now);
        supersedes.erase(
            std::remove_if(supersedes.begin(), supersedes.end(), [&](const Hlc& s) { return !(s < ch.hlc); }),
            supersedes.end());
        ch.supersedes = std::move(supersedes);
        bool applied = false;
        return m.apply(ch, true, &applied);
    }

    Result<size_t> centre_once(pg::Conn& c, const std::vector<CentreWrite>& writes, const std::string& author) {
        LIAISON_ASSIGN_OR_RETURN(auto tx, pg::Tx::begin(c));
        pg::Merger m(c, catalog_);
        std::set<pg::RowKey> rows;
        for (const auto& w : writes) rows.emplace(w.table, w.row);
        LIAISON_TRY(m.lock_rows(rows));
        LIAISON_ASSIGN_OR_RETURN(auto clock, centre_clock(c, platform::wall_ms()));
        size_t written = 0;
        for (const auto& w : writes) {
            LIAISON_ASSIGN_OR_RETURN(auto existing, m.scope_of(w.table, w.row));
            const std::string scope = existing.value_or(w.scope);
            if (scope.empty()) return invalid("a new row needs a scope (a station id, or * for reference data)");
            if (!w.scope.empty() && existing && *existing != w.scope)
                return invalid("row " + w.row + " belongs to scope " + *existing);
            LIAISON_ASSIGN_OR_RETURN(auto current, row_values_on(c, w.table, w.row));
            const bool present = !current.empty() && current.value("_deleted", 0) != 1;
            if (w.remove) {
                if (!present) continue;
                LIAISON_ASSIGN_OR_RETURN(auto seen, m.row_clocks(w.table, w.row));
                LIAISON_TRY(centre_field(m, clock, w, scope, sync::kDeletedColumn, "1", std::move(seen), author));
                ++written;
                continue;
            }
            for (const auto& [col, v] : w.fields) {
                if (col == sync::kDeletedColumn || !catalog_.at(w.table).count(col))
                    return invalid("unknown column '" + w.table + "." + col + "'");
                auto canon = sync::canonical_value(v);
                if (!canon) return invalid(col + ": " + canon.error().message);
                // Only fields whose value changes: importing the same file twice writes nothing.
                auto it = current.find(col);
                if (present && it != current.end()) {
                    auto have = sync::canonical_value(*it);
                    if (have && *have == *canon) continue;
                }
                LIAISON_TRY(centre_field(m, clock, w, scope, col, *canon, {}, author));
                ++written;
            }
        }
        LIAISON_TRY(
            c.run("INSERT INTO crr_meta(key, value) VALUES('hlc', $1) ON CONFLICT(key) DO UPDATE SET value = "
                  "excluded.value",
                  {p(clock.last().str())}));
        LIAISON_TRY(m.assign_seqs());
        LIAISON_TRY(tx.commit());
        return written;
    }

    // The device's ticket letter, by the rule of sqlite_storage.cpp's device_series.
    static Result<std::string> device_series(pg::Conn& c, const std::string& station_id, const std::string& device_id,
                                             const std::string& wish) {
        std::set<std::string> taken, with_claim_row;
        std::string claimed, recorded;
        LIAISON_ASSIGN_OR_RETURN(auto claims,
                                 c.query("SELECT id, series, _deleted FROM queue_devices WHERE station_id = $1",
                                         {p(json(station_id).dump())}));
        for (int i = 0; i < claims.size(); ++i) {
            const std::string dev = claims.text(i, 0), letter = json_string(claims.opt_text(i, 1));
            with_claim_row.insert(dev);
            if (claims.i64(i, 2) != 0) continue;
            if (dev == device_id)
                claimed = letter;
            else
                taken.insert(letter);
        }
        LIAISON_ASSIGN_OR_RETURN(auto rec, c.query("SELECT id, series FROM srv_devices WHERE station_id = $1 AND "
                                                   "series <> ''",
                                                   {p(station_id)}));
        for (int i = 0; i < rec.size(); ++i) {
            const std::string dev = rec.text(i, 0), letter = rec.text(i, 1);
            if (dev == device_id)
                recorded = letter;
            else if (!with_claim_row.count(dev))
                taken.insert(letter);
        }
        const std::string mine = !claimed.empty() ? claimed : recorded;
        const std::string letter = domain::free_series(mine.empty() ? wish : mine, taken);
        if (letter != recorded)
            LIAISON_TRY(c.run("UPDATE srv_devices SET series = $1 WHERE id = $2", {p(letter), p(device_id)}));
        return letter;
    }

    json row_json(const std::string& table, const pg::Rows& r, int i) const {
        json row = json::object();
        const auto& kinds = catalog_.at(table);
        for (int col = 0; col < r.columns(); ++col) {
            const std::string name = r.name(col);
            auto k = kinds.find(name);
            const auto kind = k == kinds.end() ? pg::ColumnKind::Json : k->second;
            row[name] = json::parse(pg::column_json(kind, r.opt_text(i, col)), nullptr, false);
        }
        return row;
    }

    Result<json> row_values_on(pg::Conn& c, const std::string& table, const std::string& row) {
        LIAISON_ASSIGN_OR_RETURN(auto r, c.query("SELECT * FROM \"" + table + "\" WHERE id = $1", {p(row)}));
        if (r.size() == 0) return json::object();
        return row_json(table, r, 0);
    }

    static DeviceRecord device_from(const pg::Rows& r, int i) {
        return DeviceRecord{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.i64(i, 3),
                            r.i64(i, 4),  r.i64(i, 5),  r.text(i, 6)};
    }

    static FieldChange change_from(const pg::Rows& r, int i) {
        FieldChange c;
        c.hlc = Hlc::parse(r.text(i, 1)).value_or(Hlc{});
        c.table = r.text(i, 2);
        c.row = r.text(i, 3);
        c.column = r.text(i, 4);
        c.value = r.text(i, 5);
        std::istringstream in(r.text(i, 6));
        std::string tok;
        while (in >> tok)
            if (auto h = Hlc::parse(tok)) c.supersedes.push_back(*h);
        c.scope = r.text(i, 7);
        c.extra = r.text(i, 8);
        c.author = r.text(i, 9);
        return c;
    }

    std::string url_;
    PgOptions opt_;
    std::string node_;  // the centre's node id (crr_meta)
    pg::Catalog catalog_;
    std::unique_ptr<db::Db> names_db_;
    std::unique_ptr<sync::Replica> names_;
    std::mutex names_mu_;
    std::mutex mu_;
    std::condition_variable pool_cv_;
    std::vector<std::unique_ptr<pg::Conn>> idle_;
    size_t open_ = 0;
    NoConsole console_;
};

}  // namespace

bool is_pg_url(const std::string& db) { return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0; }

Result<std::unique_ptr<Storage>> open_pg_storage(const std::string& url, PgOptions opt) {
    auto s = std::make_unique<PgStorage>(url, opt);
    LIAISON_TRY(s->init());
    return std::unique_ptr<Storage>(std::move(s));
}

}  // namespace liaison::server
