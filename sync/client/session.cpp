#include "sync/client/session.h"

#include <map>

#include <nlohmann/json.hpp>

#include "client/store/queue.h"
#include "client/store/store.h"
#include "sync/core/wire.h"
#include "platform/platform.h"

namespace liaison::sync {
namespace {

using nlohmann::json;

HttpRequest base_request(const std::string& method, const std::string& target, const std::string& token) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.headers.emplace_back(kProtocolHeader, std::to_string(kProtocolVersion));
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
    return r;
}

Status set_json_body(HttpRequest& r, std::string body) {
    r.headers.emplace_back("Content-Type", "application/json");
    if (body.size() >= tuning::kGzipMinBytes) {
        auto z = gzip_compress(body);
        if (!z) return z.error();
        r.headers.emplace_back("Content-Encoding", "gzip");
        r.body = std::move(*z);
    } else {
        r.body = std::move(body);
    }
    return {};
}

// The body of a 2xx answer. A body that does not parse was cut on the way (or is not ours): the
// step fails as a network error and is retried later; nothing has been applied or marked.
Result<json> answer_json(const HttpResponse& res) {
    std::string_view body = res.body;
    std::string inflated;
    if (looks_gzipped(body)) {  // a transport that does not unpack Content-Encoding itself
        auto z = gzip_inflate(body, tuning::kMaxInflatedBytes);
        if (!z) return Error{Error::Kind::Network, "incomplete answer from the server"};
        inflated = std::move(*z);
        body = inflated;
    }
    auto j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error{Error::Kind::Network, "incomplete answer from the server"};
    return j;
}

}  // namespace

void release_snapshot(db::Db& db) { db.end_reads(); }

// The JSON size of a change, near enough: its value is JSON text already.
static size_t wire_bytes(const FieldChange& c) {
    return 160 + c.table.size() + c.row.size() + c.column.size() + c.value.size() + c.scope.size() + c.author.size() +
           40 * c.supersedes.size() + c.extra.size();
}

bool centre_only_table(const std::string& t) { return t == "stations" || t == "categories" || t == "departments"; }

std::optional<int64_t> server_clock_offset(const HttpResponse& res, int64_t sent_ms, int64_t received_ms) {
    auto server = parse_http_date(res.header("Date"));
    if (!server) return std::nullopt;
    // The header has whole seconds: the server's time was somewhere in that second, taken to be
    // its middle, and the device's is the middle of the exchange.
    return *server + 500 - (sent_ms + (received_ms - sent_ms) / 2);
}

Error http_error(const HttpResponse& res) {
    std::string msg;
    auto j = json::parse(res.body, nullptr, false);
    if (j.is_object() && j.contains("message") && j["message"].is_string()) msg = j["message"].get<std::string>();
    if (msg.empty()) msg = "HTTP " + std::to_string(res.status);
    switch (res.status) {
        case 401: return Error{Error::Kind::Auth, "the server does not accept this device (" + msg + "): enrol again"};
        case 403: return Error{Error::Kind::Forbidden, "refused by the server: " + msg};
        case 426: return Error{Error::Kind::Invalid, "protocol mismatch: " + msg};
        default: break;
    }
    if (res.status >= 500 || res.status == 429) return Error{Error::Kind::Network, "server error: " + msg};
    return Error{Error::Kind::Invalid, "the server refused the request: " + msg};
}

// ---------------------------------------------------------------- sync state

namespace sync_state {

Status install(db::Db& db) {
    // sync_setaside: why a change was set aside. kind 'push': ref is the crr_log seq of a local
    // change the server refused (the change itself stays in the log, pushed = 3); kind 'pull':
    // ref is the change id and body the change as received.
    return db.exec(
        "CREATE TABLE IF NOT EXISTS sync_state(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE IF NOT EXISTS sync_setaside(kind TEXT NOT NULL, ref TEXT NOT NULL, "
        "reason TEXT NOT NULL, at_ms INTEGER NOT NULL, body TEXT NOT NULL DEFAULT '', "
        "PRIMARY KEY(kind, ref)) WITHOUT ROWID");
}

Result<std::string> get(db::Db& db, const std::string& key, const std::string& fallback) {
    LIAISON_TRY(install(db));
    auto& st = db.cached("SELECT value FROM sync_state WHERE key = ?");
    st.bind(1, key);
    auto r = st.step();
    if (!r) return r.error();
    std::string v = *r ? st.text(0) : fallback;
    st.reset();
    return v;
}

Status set(db::Db& db, const std::string& key, const std::string& value) {
    LIAISON_TRY(install(db));
    auto& st = db.cached(
        "INSERT INTO sync_state(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    return st.bind(1, key).bind(2, value).run();
}

Result<int64_t> withheld_count(db::Db& db) {
    auto& st = db.cached("SELECT count(*) FROM crr_log WHERE local = 1 AND pushed = 2");
    auto r = st.step();
    if (!r) return r.error();
    const int64_t n = st.i64(0);
    st.reset();
    return n;
}

namespace {
Result<int64_t> count_of(db::Db& db, const std::string& sql) {
    LIAISON_TRY(install(db));
    auto& st = db.cached(sql);
    auto r = st.step();
    if (!r) return r.error();
    const int64_t n = st.i64(0);
    st.reset();
    return n;
}

Status set_aside(db::Db& db, const std::string& kind, const std::string& ref, const std::string& reason,
                 const std::string& body) {
    LIAISON_TRY(install(db));
    auto& st = db.cached("INSERT OR REPLACE INTO sync_setaside(kind, ref, reason, at_ms, body) VALUES(?, ?, ?, ?, ?)");
    return st.bind(1, kind)
        .bind(2, ref)
        .bind(3, reason.substr(0, 300))
        .bind(4, platform::wall_ms())
        .bind(5, body)
        .run();
}
}  // namespace

Result<int64_t> refused_count(db::Db& db) {
    return count_of(db, "SELECT count(*) FROM crr_log WHERE local = 1 AND pushed = 3");
}

Result<int64_t> skipped_count(db::Db& db) {
    return count_of(db, "SELECT count(*) FROM sync_setaside WHERE kind = 'pull'");
}

}  // namespace sync_state

// ---------------------------------------------------------------- session

SyncSession::SyncSession(Replica& replica, Transport& transport, SyncConfig cfg)
    : replica_(replica), transport_(transport), cfg_(std::move(cfg)) {}

Result<HttpResponse> SyncSession::call(const HttpRequest& req, RoundReport& rep) {
    ++rep.requests;
    const int64_t sent = replica_.raw_wall_ms();
    auto res = send_with_retry(transport_, req, cfg_.retry);
    if (!res) return res.error();
    if (auto off = server_clock_offset(*res, sent, replica_.raw_wall_ms())) measured_offset_ = off;
    if (res->status < 200 || res->status > 299) return http_error(*res);
    return res;
}

Status SyncSession::correct_clock(RoundReport& rep) {
    if (!measured_offset_) return {};
    auto n = replica_.correct_clock(*measured_offset_, tuning::kClockToleranceMs);
    if (!n) return n.error();
    rep.restamped += *n;
    return {};
}

// A device that never compared its clock with the server's does so before its first push, so
// changes it stamped with a clock days off are re-stamped instead of refused.
Status SyncSession::check_clock_once(RoundReport& rep) {
    db::Db& db = replica_.db();
    auto checked = sync_state::get(db, "clock_checked", "");
    if (!checked) return checked.error();
    if (!checked->empty()) return {};
    HttpRequest req = base_request("GET", "/v1/ping", "");
    auto res = call(req, rep);
    if (!res) return res.error();
    auto tx = db::Tx::begin(db);
    if (!tx) return tx.error();
    LIAISON_TRY(correct_clock(rep));
    if (measured_offset_) LIAISON_TRY(sync_state::set(db, "clock_checked", "1"));
    return (*tx)->commit();
}

// The server's answer to one batch: the changes it refused one by one (`rejected`) are set
// aside, the others marked pushed, in one transaction.
Status SyncSession::settle_batch(const std::vector<int64_t>& seqs, const json& answer, RoundReport& rep) {
    std::map<size_t, std::string> refused;
    if (answer.contains("rejected") && answer["rejected"].is_array())
        for (const auto& r : answer["rejected"])
            if (r.is_object() && r.contains("index") && r["index"].is_number_unsigned() &&
                r["index"].get<size_t>() < seqs.size())
                refused[r["index"].get<size_t>()] =
                    r.contains("reason") && r["reason"].is_string() ? r["reason"].get<std::string>() : "refused";
    db::Db& db = replica_.db();
    auto tx = db::Tx::begin(db);
    if (!tx) return tx.error();
    for (size_t i = 0; i < seqs.size(); ++i) {
        auto it = refused.find(i);
        auto& st = db.cached("UPDATE crr_log SET pushed = ? WHERE seq = ?");
        LIAISON_TRY(st.bind(1, static_cast<int64_t>(it == refused.end() ? 1 : 3)).bind(2, seqs[i]).run());
        if (it != refused.end())
            LIAISON_TRY(sync_state::set_aside(db, "push", std::to_string(seqs[i]), it->second, ""));
    }
    LIAISON_TRY(correct_clock(rep));
    LIAISON_TRY((*tx)->commit());
    rep.refused += refused.size();
    rep.pushed += seqs.size() - refused.size();
    return {};
}

Result<RoundReport> SyncSession::push() {
    RoundReport rep;
    db::Db& db = replica_.db();
    release_snapshot(db);
    LIAISON_TRY(check_clock_once(rep));
    int64_t after = 0;
    for (;;) {
        auto batch = replica_.pending(cfg_.push_batch, after);
        if (!batch) return batch.error();
        if (batch->empty()) break;
        std::vector<FieldChange> send;
        std::vector<int64_t> seqs, withheld;
        send.reserve(batch->size());
        size_t bytes = 0;
        for (auto& e : *batch) {
            // A request stays under the server's body limit even when every change is at its
            // fields' maximum (docs/domain.md); the rest goes in the next request.
            const size_t size = wire_bytes(e.change);
            if (!send.empty() && bytes + size > tuning::kPushBatchBytes) break;
            bytes += size;
            after = e.seq;
            // The server answers 403 for these; keep them local instead of retrying forever.
            if (e.change.scope != cfg_.station_id || centre_only_table(e.change.table)) {
                withheld.push_back(e.seq);
                continue;
            }
            seqs.push_back(e.seq);
            send.push_back(std::move(e.change));
        }
        if (!withheld.empty()) {
            auto tx = db::Tx::begin(db);
            if (!tx) return tx.error();
            for (int64_t s : withheld) {
                auto& st = db.cached("UPDATE crr_log SET pushed = 2 WHERE seq = ?");
                LIAISON_TRY(st.bind(1, s).run());
            }
            LIAISON_TRY((*tx)->commit());
            rep.withheld += withheld.size();
        }
        if (send.empty()) continue;
        HttpRequest req = base_request("POST", "/v1/push", cfg_.token);
        std::string body;
        try {
            body = encode_changes(send);
        } catch (const std::exception&) {
            return Error{Error::Kind::Corrupt, "a pending change cannot be encoded"};
        }
        LIAISON_TRY(set_json_body(req, std::move(body)));
        auto res = call(req, rep);
        if (!res) return res.error();
        auto j = answer_json(*res);
        if (!j) return j.error();
        if (!j->contains("accepted") || !(*j)["accepted"].is_number_integer())
            return Error{Error::Kind::Network, "incomplete answer from the server"};
        LIAISON_TRY(settle_batch(seqs, *j, rep));
        if (j->contains("duplicates") && (*j)["duplicates"].is_number_integer())
            rep.push_duplicates += (*j)["duplicates"].get<size_t>();
    }
    return rep;
}

// The changes of a pull page this device can merge. One it cannot (it does not parse, or names a
// table or column this version does not know) is set aside with its reason and the page goes on
// without it, so one bad change never stops the feed.
Result<std::vector<FieldChange>> SyncSession::mergeable(const json& arr, RoundReport& rep) {
    std::vector<FieldChange> out;
    out.reserve(arr.size());
    for (const auto& item : arr) {
        auto c = change_from_json(item);
        Status ok = c ? replica_.validate(*c) : Status(c.error());
        if (ok) {
            out.push_back(std::move(*c));
            continue;
        }
        const std::string id = item.is_object() && item.contains("id") && item["id"].is_string()
                                   ? item["id"].get<std::string>().substr(0, 100)
                                   : "?";
        LIAISON_TRY(sync_state::set_aside(replica_.db(), "pull", id, ok.error().message,
                                          item.dump(-1, ' ', false, json::error_handler_t::replace)));
        ++rep.skipped;
    }
    return out;
}

Result<RoundReport> SyncSession::pull() {
    RoundReport rep;
    db::Db& db = replica_.db();
    release_snapshot(db);
    auto saved = sync_state::get(db, "pull_cursor", "0");
    if (!saved) return saved.error();
    std::string cursor = *saved;
    // Set by `liaison restore` and `liaison recover`: this device's own changes come back too.
    auto own = sync_state::get(db, "pull_include_own", "0");
    if (!own) return own.error();
    const std::string own_param = *own == "1" ? "&include_own=1" : "";
    size_t page = cfg_.pull_page;
    for (;;) {
        HttpRequest req =
            base_request("GET", "/v1/pull?after=" + cursor + "&limit=" + std::to_string(page) + own_param, cfg_.token);
        req.headers.emplace_back("Accept-Encoding", "gzip");
        auto res = call(req, rep);
        if (!res) return res.error();
        auto j = answer_json(*res);
        if (!j) return j.error();
        if (!j->contains("cursor") || !(*j)["cursor"].is_string() || !j->contains("changes") || !j->contains("more") ||
            !(*j)["more"].is_boolean())
            return Error{Error::Kind::Network, "incomplete answer from the server"};
        if (!(*j)["changes"].is_array()) return Error{Error::Kind::Network, "incomplete answer from the server"};
        const std::string next = (*j)["cursor"].get<std::string>();
        if (next.empty() || next.size() > 64) return Error{Error::Kind::Invalid, "the server sent a bad cursor"};
        const bool more = (*j)["more"].get<bool>();
        const size_t received = (*j)["changes"].size();
        const RoundReport before = rep;  // a page rolled back counts nothing
        // Merge the page and move the cursor in one transaction (docs/design.md §3, rule 7).
        auto stored = [&]() -> Status {
            auto tx = db::Tx::begin(db);
            if (!tx) return tx.error();
            LIAISON_TRY(correct_clock(rep));
            auto changes = mergeable((*j)["changes"], rep);
            if (!changes) return changes.error();
            auto stats = replica_.apply_remote_in_tx(*changes);
            if (!stats) return stats.error();
            LIAISON_TRY(sync_state::set(db, "pull_cursor", next));
            if (!more && !own_param.empty()) LIAISON_TRY(sync_state::set(db, "pull_include_own", "0"));
            LIAISON_TRY((*tx)->commit());
            rep.pulled += stats->applied;
            rep.pull_duplicates += stats->duplicates;
            return {};
        }();
        if (!stored) rep = before;
        if (!stored && stored.error().kind == Error::Kind::Full) {
            // The page rolled back whole; a smaller one may still fit in what the disk has left.
            if (page <= 1 || received <= 1)
                return Error{Error::Kind::Full,
                             "disk full: the tablet has no room for the centre's changes; free "
                             "some space and sync again (nothing was lost)"};
            page = std::max<size_t>(1, std::min(page, received) / 2);
            continue;
        }
        if (!stored) return stored.error();
        cursor = next;
        if (!more) break;
    }
    try {
        rep.cursor = std::stoll(cursor);
    } catch (...) {
        rep.cursor = 0;  // opaque to the client; only shown
    }
    return rep;
}

Result<RoundReport> SyncSession::round() {
    db::Db& db = replica_.db();
    const int64_t started = platform::wall_ms();
    (void)sync_state::set(db, "last_attempt_ms", std::to_string(started));
    auto up = push();
    Result<RoundReport> down = up.ok() ? pull() : Result<RoundReport>(up.error());
    if (!down) {
        (void)sync_state::set(db, "last_error", down.error().message);
        (void)sync_state::set(db, "last_error_ms", std::to_string(platform::wall_ms()));
        return down.error();
    }
    RoundReport rep = *down;
    rep.pushed = up->pushed;
    rep.push_duplicates = up->push_duplicates;
    rep.withheld = up->withheld;
    rep.refused = up->refused;
    rep.restamped += up->restamped;
    rep.requests += up->requests;
    (void)sync_state::set(db, "last_success_ms", std::to_string(platform::wall_ms()));
    (void)sync_state::set(db, "last_error", "");
    return rep;
}

// ---------------------------------------------------------------- enrolment

Result<size_t> adopt_station(Replica& replica, const std::string& from, const std::string& to) {
    db::Db& db = replica.db();
    if (from.empty() || from == to) return size_t{0};
    // A station id that already left this device is known elsewhere: moving it would fork it.
    {
        auto& st = db.cached("SELECT count(*) FROM crr_log WHERE scope = ? AND (local = 0 OR pushed = 1)");
        st.bind(1, from);
        auto r = st.step();
        if (!r) return r.error();
        const int64_t synced = st.i64(0);
        st.reset();
        if (synced > 0)
            return Error{Error::Kind::Conflict,
                         "this tablet already synced records of station " + from + "; it cannot join another station"};
    }
    // The provisional station row made by `init` is replaced by the centre's.
    for (const char* sql : {"DELETE FROM crr_clock WHERE tbl = 'stations' AND row = ?1",
                            "DELETE FROM crr_conflict WHERE tbl = 'stations' AND row = ?1",
                            "DELETE FROM crr_log WHERE tbl = 'stations' AND row = ?1 AND local = 1",
                            "DELETE FROM stations WHERE id = ?1"}) {
        auto st = db.prepare(sql);
        if (!st) return st.error();
        LIAISON_TRY(st->bind(1, from).run());
    }
    // Never-pushed changes are still only ours: their scope and station references can be
    // rewritten without any other replica ever having seen the old text.
    const std::string from_json = json(from).dump(), to_json = json(to).dump();
    auto moved = db.prepare("UPDATE crr_log SET scope = ?2 WHERE scope = ?1 AND local = 1");
    if (!moved) return moved.error();
    LIAISON_TRY(moved->bind(1, from).bind(2, to).run());
    const size_t changes = static_cast<size_t>(db.changes());
    auto refs = db.prepare("UPDATE crr_log SET value = ?2 WHERE col = 'station_id' AND value = ?1 AND local = 1");
    if (!refs) return refs.error();
    LIAISON_TRY(refs->bind(1, from_json).bind(2, to_json).run());
    // Domain rows: every replicated table with a station_id column.
    std::vector<std::string> tables;
    {
        auto st = db.prepare(
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND p.name = 'station_id'");
        if (!st) return st.error();
        for (;;) {
            auto r = st->step();
            if (!r) return r.error();
            if (!*r) break;
            tables.push_back(st->text(0));
        }
    }
    for (const auto& t : tables) {
        if (!replica.has_table(t)) continue;
        auto st = db.prepare("UPDATE \"" + t + "\" SET station_id = ?2 WHERE station_id = ?1");
        if (!st) return st.error();
        LIAISON_TRY(st->bind(1, from).bind(2, to).run());
    }
    LIAISON_TRY(sync_state::set(db, "pull_cursor", "0"));
    return changes;
}

Result<EnrolResult> enrol(store::Store& store, Transport& transport, const std::string& server_url,
                          const std::string& code, const RetryPolicy& retry) {
    auto dev = store.device();
    if (!dev) return dev.error();
    if (code.empty() || code.size() > 64) return invalid("enrolment code is empty or too long");
    // The letter this tablet already issues tickets under (the creator's "A"), so the centre
    // keeps it if it is free.
    std::string had_series;
    if (store.initialized()) {
        auto l = store::queue::series(store);
        if (l) had_series = *l;
    }
    HttpRequest req = base_request("POST", "/v1/enrol", "");
    json body = {{"protocol", kProtocolVersion},
                 {"code", code},
                 {"device_id", dev->device_id},
                 {"device_name", dev->device_name},
                 {"series", had_series}};
    LIAISON_TRY(set_json_body(req, body.dump()));
    const int64_t sent = store.replica().raw_wall_ms();
    auto res = send_with_retry(transport, req, retry);
    if (!res) return res.error();
    const auto offset = server_clock_offset(*res, sent, store.replica().raw_wall_ms());
    if (res->status < 200 || res->status > 299) {
        if (res->status == 403 || res->status == 404) {
            auto e = http_error(*res);
            return Error{Error::Kind::Auth, e.message};
        }
        return http_error(*res);
    }
    auto j = answer_json(*res);
    if (!j) return j.error();
    for (const char* k : {"token", "station_id", "station_name"})
        if (!j->contains(k) || !(*j)[k].is_string())
            return Error{Error::Kind::Network, "incomplete answer from the server"};
    if ((*j)["token"].get<std::string>().empty() || (*j)["station_id"].get<std::string>().empty())
        return Error{Error::Kind::Network, "incomplete answer from the server"};
    EnrolResult out;
    out.station_id = (*j)["station_id"].get<std::string>();
    out.station_name = (*j)["station_name"].get<std::string>();
    out.device_id = dev->device_id;
    const std::string token = (*j)["token"].get<std::string>();

    // Adopt the centre's station id. Records made before enrolment move with the tablet.
    auto enrolled = sync_state::get(store.db(), "enrolled_station", "");
    if (!enrolled) return enrolled.error();
    if (!enrolled->empty() && *enrolled != out.station_id)
        return Error{Error::Kind::Conflict, "this tablet is enrolled to another station (" + *enrolled +
                                                "); set it up again with a new data folder"};
    {
        // One transaction: the records, the store's station id and the enrolment move together.
        auto tx = db::Tx::begin(store.db());
        if (!tx) return tx.error();
        if (!store.initialized()) {
            LIAISON_TRY(store.set_setting("station_id", out.station_id));
            LIAISON_TRY(store.set_setting("device_name", dev->device_name.empty() ? "tablet" : dev->device_name));
            LIAISON_TRY(sync_state::set(store.db(), "pull_cursor", "0"));
        } else if (store.station_id() != out.station_id) {
            auto moved = adopt_station(store.replica(), store.station_id(), out.station_id);
            if (!moved) return moved.error();
            out.adopted_rows = *moved;
            LIAISON_TRY(store.set_setting("station_id", out.station_id));
        }
        LIAISON_TRY(sync_state::set(store.db(), "enrolled_station", out.station_id));
        if (offset) {
            // Records made before enrolment with a clock days off are re-stamped now (docs/replication.md).
            auto restamped = store.replica().correct_clock(*offset, tuning::kClockToleranceMs);
            if (!restamped) return restamped.error();
            LIAISON_TRY(sync_state::set(store.db(), "clock_checked", "1"));
        }
        LIAISON_TRY((*tx)->commit());
    }
    LIAISON_TRY(store.load_identity());
    // A crash before this line leaves the station adopted but no token: enrolling again with the
    // same code (the server lets the same device redeem it again for a while) finishes the job.
    LIAISON_TRY(store.set_server(server_url, token));
    // The ticket letter the centre handed out (an older server sends none: the admin gives one).
    out.series = j->value("series", std::string());
    if (!out.series.empty()) {
        auto now = store::queue::series(store);
        if (!now || *now != out.series) {
            // The centre has seen every claim this tablet knows of (other devices' claims
            // reach it only through the centre), so its choice overrides the local creator rule.
            if (auto st = store::queue::set_series(store, out.series, /*replace=*/true); !st) {
                out.series_error = st.error().message;
                out.series.clear();
            }
        }
    }
    return out;
}

}  // namespace liaison::sync
