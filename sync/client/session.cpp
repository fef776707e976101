#include "sync/client/session.h"

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
    return 160 + c.table.size() + c.row.size() + c.column.size() + c.value.size() + c.scope.size() +
           c.author.size() + 40 * c.supersedes.size() + c.extra.size();
}

bool centre_only_table(const std::string& t) {
    return t == "stations" || t == "categories" || t == "departments";
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
    return db.exec("CREATE TABLE IF NOT EXISTS sync_state(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
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
    auto& st = db.cached("INSERT INTO sync_state(key, value) VALUES(?, ?) "
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

}  // namespace sync_state

// ---------------------------------------------------------------- session

SyncSession::SyncSession(Replica& replica, Transport& transport, SyncConfig cfg)
    : replica_(replica), transport_(transport), cfg_(std::move(cfg)) {}

Result<HttpResponse> SyncSession::call(const HttpRequest& req, RoundReport& rep) {
    ++rep.requests;
    auto res = send_with_retry(transport_, req, cfg_.retry);
    if (!res) return res.error();
    if (res->status < 200 || res->status > 299) return http_error(*res);
    return res;
}

Result<RoundReport> SyncSession::push() {
    RoundReport rep;
    db::Db& db = replica_.db();
    release_snapshot(db);
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
        LIAISON_TRY(replica_.mark_pushed(seqs));
        rep.pushed += send.size();
        if (j->contains("duplicates") && (*j)["duplicates"].is_number_integer())
            rep.push_duplicates += (*j)["duplicates"].get<size_t>();
    }
    return rep;
}

Result<RoundReport> SyncSession::pull() {
    RoundReport rep;
    db::Db& db = replica_.db();
    release_snapshot(db);
    auto saved = sync_state::get(db, "pull_cursor", "0");
    if (!saved) return saved.error();
    std::string cursor = *saved;
    for (;;) {
        HttpRequest req = base_request("GET", "/v1/pull?after=" + cursor + "&limit=" + std::to_string(cfg_.pull_page),
                                       cfg_.token);
        req.headers.emplace_back("Accept-Encoding", "gzip");
        auto res = call(req, rep);
        if (!res) return res.error();
        auto j = answer_json(*res);
        if (!j) return j.error();
        if (!j->contains("cursor") || !(*j)["cursor"].is_string() || !j->contains("changes") ||
            !j->contains("more") || !(*j)["more"].is_boolean())
            return Error{Error::Kind::Network, "incomplete answer from the server"};
        auto changes = changes_from_json_array((*j)["changes"]);
        if (!changes) return Error{Error::Kind::Invalid, "the server sent a bad change: " + changes.error().message};
        const std::string next = (*j)["cursor"].get<std::string>();
        if (next.empty() || next.size() > 64) return Error{Error::Kind::Invalid, "the server sent a bad cursor"};
        // Merge the page and move the cursor in one transaction (docs/design.md §3, rule 7).
        {
            auto tx = db::Tx::begin(db);
            if (!tx) return tx.error();
            auto stats = replica_.apply_remote_in_tx(*changes);
            if (!stats) return stats.error();
            LIAISON_TRY(sync_state::set(db, "pull_cursor", next));
            LIAISON_TRY((*tx)->commit());
            rep.pulled += stats->applied;
            rep.pull_duplicates += stats->duplicates;
        }
        cursor = next;
        if (!(*j)["more"].get<bool>()) break;
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
        auto st = db.prepare("SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p "
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
    auto res = send_with_retry(transport, req, retry);
    if (!res) return res.error();
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
        if (!j->contains(k) || !(*j)[k].is_string()) return Error{Error::Kind::Network, "incomplete answer from the server"};
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
