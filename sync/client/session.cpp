#include "sync/client/session.h"

#include <stdexcept>
#include <map>

#include <nlohmann/json.hpp>

#include "domain/schema.h"
#include "platform/platform.h"
#include "sync/core/wire.h"
#include "sync/core/json.h"

namespace liaison::sync {
namespace {

using nlohmann::json;

HttpRequest base_request(const std::string& method, const std::string& target, const std::string& token,
                         int protocol = kProtocolVersion) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.headers.emplace_back(kProtocolHeader, std::to_string(protocol));
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
    auto j = parse_json(body, "the server's answer");
    if (!j || !j->is_object()) return Error{Error::Kind::Network, "incomplete answer from the server"};
    return j;
}

}  // namespace

void release_snapshot(db::Db& db) { db.end_reads(); }

// The JSON size of a change, near enough: its value is JSON text already.
static size_t wire_bytes(const FieldChange& c) {
    return 160 + c.table.size() + c.row.size() + c.column.size() + c.value.size() + c.scope.size() + c.author.size() +
           40 * c.supersedes.size() + c.extra.size();
}

std::optional<int64_t> server_clock_offset(const HttpResponse& res, int64_t sent_ms, int64_t received_ms) {
    auto server = parse_http_date(res.header("Date"));
    if (!server) return std::nullopt;
    // The header has whole seconds: the server's time was somewhere in that second, taken to be
    // its middle, and the device's is the middle of the exchange.
    return *server + 500 - (sent_ms + (received_ms - sent_ms) / 2);
}

Error http_error(const HttpResponse& res) {
    std::string msg;
    // An error page that is not JSON (a proxy's, say) still yields the status line below.
    const json j = parse_json(res.body).value_or(json());
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
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db));
    LIAISON_TRY(correct_clock(rep));
    if (measured_offset_) LIAISON_TRY(sync_state::set(db, "clock_checked", "1"));
    return tx.commit();
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
    // Under protocol 1 a row change went as several field changes, all with its seq: it is
    // refused when one of them was.
    std::vector<std::pair<int64_t, std::optional<std::string>>> outcome;
    for (size_t i = 0; i < seqs.size(); ++i) {
        if (outcome.empty() || outcome.back().first != seqs[i]) outcome.emplace_back(seqs[i], std::nullopt);
        if (auto it = refused.find(i); it != refused.end() && !outcome.back().second)
            outcome.back().second = it->second;
    }
    db::Db& db = replica_.db();
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db));
    size_t set_aside = 0;
    for (const auto& [seq, reason] : outcome) {
        LIAISON_TRY(replica_.settle_in_tx(seq, !reason));
        if (!reason) continue;
        ++set_aside;
        LIAISON_TRY(sync_state::set_aside(db, "push", std::to_string(seq), *reason, platform::wall_ms(), ""));
    }
    LIAISON_TRY(correct_clock(rep));
    LIAISON_TRY(tx.commit());
    rep.refused += set_aside;
    rep.pushed += outcome.size() - set_aside;
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
            if (e.change.scope != cfg_.station_id || domain::centre_only_table(e.change.table)) {
                withheld.push_back(e.seq);
                continue;
            }
            if (cfg_.protocol == kProtocolV1) {
                auto fields = expand_change(e.change);
                if (!fields) return Error{Error::Kind::Corrupt, "a pending change cannot be encoded"};
                for (auto& f : *fields) {
                    seqs.push_back(e.seq);
                    send.push_back(std::move(f));
                }
                continue;
            }
            seqs.push_back(e.seq);
            send.push_back(std::move(e.change));
        }
        if (!withheld.empty()) {
            LIAISON_TRY(replica_.withhold(withheld));
            rep.withheld += withheld.size();
        }
        if (send.empty()) continue;
        HttpRequest req = base_request("POST", "/v1/push", cfg_.token, cfg_.protocol);
        std::string body;
        try {
            body = encode_changes(send, cfg_.protocol);
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
        LIAISON_TRY(sync_state::set_aside(replica_.db(), "pull", id, ok.error().message, platform::wall_ms(),
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
        std::string target = "/v1/pull?after=";
        target.append(cursor).append("&limit=").append(std::to_string(page)).append(own_param);
        HttpRequest req = base_request("GET", target, cfg_.token, cfg_.protocol);
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
            LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db));
            LIAISON_TRY(correct_clock(rep));
            auto changes = mergeable((*j)["changes"], rep);
            if (!changes) return changes.error();
            auto stats = replica_.apply_remote_in_tx(*changes);
            if (!stats) return stats.error();
            LIAISON_TRY(sync_state::set(db, "pull_cursor", next));
            if (!more && !own_param.empty()) LIAISON_TRY(sync_state::set(db, "pull_include_own", "0"));
            LIAISON_TRY(tx.commit());
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
    } catch (const std::logic_error&) {  // not a number, or out of range
        rep.cursor = 0;                  // opaque to the client; only shown
    }
    return rep;
}

namespace {
// The round's outcome, read by `sync --status` and the app.
Status record_outcome(db::Db& db, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [key, value] : values) LIAISON_TRY(sync_state::set(db, key, value));
    return {};
}
}  // namespace

// A status that cannot be written (a full disk) is never dropped: before the round it stops the
// round, after a failed one it joins the round's error, after a good one it is the result (the
// data moved; the next round finds nothing new and records it).
Result<RoundReport> SyncSession::round() {
    db::Db& db = replica_.db();
    const int64_t started = platform::wall_ms();
    LIAISON_TRY(record_outcome(db, {{"last_attempt_ms", std::to_string(started)}}));
    auto up = push();
    Result<RoundReport> down = up.ok() ? pull() : Result<RoundReport>(up.error());
    if (!down) {
        const auto st = record_outcome(
            db, {{"last_error", down.error().message}, {"last_error_ms", std::to_string(platform::wall_ms())}});
        if (!st) return Error{down.error().kind, down.error().message + " (not recorded: " + st.error().message + ")"};
        return down.error();
    }
    RoundReport rep = *down;
    rep.pushed = up->pushed;
    rep.push_duplicates = up->push_duplicates;
    rep.withheld = up->withheld;
    rep.refused = up->refused;
    rep.restamped += up->restamped;
    rep.requests += up->requests;
    LIAISON_TRY(record_outcome(db, {{"last_success_ms", std::to_string(platform::wall_ms())}, {"last_error", ""}}));
    return rep;
}

// ---------------------------------------------------------------- enrolment

Result<size_t> adopt_station(Replica& replica, const std::string& from, const std::string& to) {
    if (from.empty() || from == to) return size_t{0};
    // A station id that already left this device is known elsewhere: moving it would fork it.
    auto synced = replica.scope_synced(from);
    if (!synced) return synced.error();
    if (*synced)
        return Error{Error::Kind::Conflict,
                     "this tablet already synced records of station " + from + "; it cannot join another station"};
    // The provisional station row made by `init` is replaced by the centre's.
    LIAISON_TRY(replica.forget_local_row(domain::kStationTable, from));
    // Never-pushed changes, and every row naming the station, move to the centre's id.
    auto moved = replica.rescope_unpushed(from, to, domain::kStationColumn);
    if (!moved) return moved.error();
    LIAISON_TRY(sync_state::set(replica.db(), "pull_cursor", "0"));
    return *moved;
}

namespace {

// NOLINTNEXTLINE(bugprone-exception-escape): its implicit members only move a json and an optional.
struct EnrolAnswer {
    json body;                      // token, station_id, station_name, series
    std::optional<int64_t> offset;  // the server's clock minus this device's
};

// Sends the code; the server's answer, checked for the fields enrolment needs.
Result<EnrolAnswer> ask_enrolment(EnrolmentHost& host, const EnrolmentHost::Identity& dev, Transport& transport,
                                  const std::string& code, const std::string& recovery_key, const RetryPolicy& retry) {
    // The letter this tablet already issues tickets under (the creator's "A"), so the centre
    // keeps it if it is free.
    std::string had_series;
    if (dev.initialized) {
        auto l = host.series();
        if (l) had_series = *l;
    }
    HttpRequest req = base_request("POST", "/v1/enrol", "");
    json body = {{"protocol", kProtocolVersion},
                 {"code", code},
                 {"device_id", dev.device_id},
                 {"device_name", dev.device_name},
                 {"series", had_series}};
    if (!recovery_key.empty()) body["recovery_key"] = recovery_key;
    LIAISON_TRY(set_json_body(req, body.dump()));
    const int64_t sent = host.replica().raw_wall_ms();
    auto res = send_with_retry(transport, req, retry);
    if (!res) return res.error();
    EnrolAnswer out;
    out.offset = server_clock_offset(*res, sent, host.replica().raw_wall_ms());
    if (res->status < 200 || res->status > 299) {
        if (res->status == 403 || res->status == 404) return Error{Error::Kind::Auth, http_error(*res).message};
        return http_error(*res);
    }
    auto j = answer_json(*res);
    if (!j) return j.error();
    for (const char* k : {"token", "station_id", "station_name"})
        if (!j->contains(k) || !(*j)[k].is_string())
            return Error{Error::Kind::Network, "incomplete answer from the server"};
    if ((*j)["token"].get<std::string>().empty() || (*j)["station_id"].get<std::string>().empty())
        return Error{Error::Kind::Network, "incomplete answer from the server"};
    out.body = std::move(*j);
    return out;
}

// Adopts the centre's station id in one transaction: the records made before enrolment, the
// device's station id and the enrolment move together.
Status join_station(EnrolmentHost& host, const EnrolmentHost::Identity& dev, const std::optional<int64_t>& offset,
                    EnrolResult& out) {
    db::Db& db = host.replica().db();
    auto enrolled = sync_state::get(db, "enrolled_station", "");
    if (!enrolled) return enrolled.error();
    if (!enrolled->empty() && *enrolled != out.station_id)
        return Error{Error::Kind::Conflict, "this tablet is enrolled to another station (" + *enrolled +
                                                "); set it up again with a new data folder"};
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db));
    if (!dev.initialized) {
        LIAISON_TRY(host.set_station(out.station_id, dev.device_name.empty() ? "tablet" : dev.device_name));
        LIAISON_TRY(sync_state::set(db, "pull_cursor", "0"));
    } else if (dev.station_id != out.station_id) {
        auto moved = adopt_station(host.replica(), dev.station_id, out.station_id);
        if (!moved) return moved.error();
        out.adopted_rows = *moved;
        LIAISON_TRY(host.set_station(out.station_id, ""));
    }
    LIAISON_TRY(sync_state::set(db, "enrolled_station", out.station_id));
    if (offset) {
        // Records made before enrolment with a clock days off are re-stamped now (docs/replication.md).
        auto restamped = host.replica().correct_clock(*offset, tuning::kClockToleranceMs);
        if (!restamped) return restamped.error();
        LIAISON_TRY(sync_state::set(db, "clock_checked", "1"));
    }
    return tx.commit();
}

// The ticket letter the centre handed out (an older server sends none: the admin gives one).
void take_centre_series(EnrolmentHost& host, const json& answer, EnrolResult& out) {
    out.series = answer.value("series", std::string());
    if (out.series.empty()) return;
    auto now = host.series();
    if (now && *now == out.series) return;
    // The centre has seen every claim this tablet knows of (other devices' claims reach it only
    // through the centre), so its choice overrides the local creator rule.
    if (auto st = host.take_series(out.series); !st) {
        out.series_error = st.error().message;
        out.series.clear();
    }
}

}  // namespace

Result<EnrolResult> enrol(EnrolmentHost& host, Transport& transport, const std::string& server_url,
                          const std::string& code, const RetryPolicy& retry, const std::string& recovery_key) {
    auto dev = host.identity();
    if (!dev) return dev.error();
    if (code.empty() || code.size() > 64) return invalid("enrolment code is empty or too long");
    auto answer = ask_enrolment(host, *dev, transport, code, recovery_key, retry);
    if (!answer) return answer.error();
    const json& j = answer->body;
    EnrolResult out;
    out.station_id = j["station_id"].get<std::string>();
    out.station_name = j["station_name"].get<std::string>();
    out.device_id = dev->device_id;
    // Only a server that kept the key says so; an older one ignores the field.
    const auto said = j.find("recovery_key_escrowed");
    out.recovery_escrowed = !recovery_key.empty() && said != j.end() && said->is_boolean() && said->get<bool>();
    LIAISON_TRY(join_station(host, *dev, answer->offset, out));
    LIAISON_TRY(host.reload_identity());
    // A crash before this line leaves the station adopted but no token: enrolling again with the
    // same code (the server lets the same device redeem it again for a while) finishes the job.
    LIAISON_TRY(host.set_server(server_url, j["token"].get<std::string>()));
    take_centre_series(host, j, out);
    return out;
}

}  // namespace liaison::sync
