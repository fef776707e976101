#include "sync/server/service.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "domain/rules.h"
#include "domain/schema.h"
#include "platform/platform.h"
#include "sync/core/wire.h"
#include "sync/server/http_util.h"
#include "sync/server/secrets.h"
#include "sync/core/json.h"

namespace liaison::server {
namespace {

using nlohmann::json;
using sync::HttpRequest;
using sync::HttpResponse;
using sync::parse_json;

std::string bearer(const HttpRequest& req) {
    const std::string h = req.header("Authorization");
    if (h.rfind("Bearer ", 0) != 0) return "";
    return h.substr(7);
}

}  // namespace

// What a device may claim in one change (docs/domain.md): a column naming a station names its
// own. A claim on another station is hostile and refuses the whole push; a value that breaks a
// field rule is refused alone (screen_changes), so one bad change never blocks an outbox.
Status check_claims(const DeviceRecord& device, const sync::FieldChange& change) {
    return domain::check_claims(device.station_id, change);
}

// ---------------------------------------------------------------- shared admin operations

Result<std::string> issue_enrol_code(Storage& s, const std::string& station_key) {
    auto st = s.station(station_key);
    if (!st) return st.error();
    const std::string code = new_enrol_code();
    const int64_t now = platform::wall_ms();
    LIAISON_TRY(s.add_enrol_code(st->id, sha256_hex(normalise_code(code)), now, now + sync::tuning::kEnrolCodeTtlMs));
    return code;
}

Result<std::string> add_station(Storage& s, const StationRecord& st) {
    if (st.name.empty()) return invalid("a station needs a name");
    const std::string id = st.id.empty() ? platform::new_id() : st.id;
    CentreWrite w;
    w.table = "stations";
    w.row = id;
    w.scope = sync::kReferenceScope;  // every tablet knows the list of stations
    w.fields = {{"name", st.name},
                {"kind", st.kind.empty() ? "代表联络站" : st.kind},
                {"district", st.district},
                {"township", st.township},
                {"address", st.address}};
    auto n = s.write_as_centre({w}, "centre");
    if (!n) return n.error();
    return id;
}

Result<std::string> new_admin_token(Storage& s) {
    const std::string token = new_token();
    LIAISON_TRY(s.set_meta("admin_token_hash", sha256_hex(token)));
    return token;
}

// ---------------------------------------------------------------- the handler

HttpResponse Service::handle(const HttpRequest& req) {
    const int64_t t0 = platform::monotonic_ms();
    std::string note;
    HttpResponse res;
    try {
        res = route(req, note);
    } catch (const json::exception&) {
        res = fail(400, "bad_request", "a field of the request has the wrong type");
    } catch (const std::exception&) {
        note += " exception";
        res = fail(500, "internal", "internal server error");
    }
    for (auto it = res.headers.begin(); it != res.headers.end(); ++it)
        if (it->first == kCauseHeader) {
            note += " cause: " + it->second;
            res.headers.erase(it);
            break;
        }
    res.headers.emplace_back("Date", sync::http_date(platform::wall_ms()));  // clients correct their clock by it
    if (opt_.log && (opt_.log_all || res.status >= 400 || note.rfind("admin", 0) == 0)) {
        const std::string path = req.target.substr(0, req.target.find('?'));
        opt_.log(req.method + " " + path + " " + std::to_string(res.status) + " " +
                 std::to_string(platform::monotonic_ms() - t0) + "ms" + (req.peer.empty() ? "" : " from " + req.peer) +
                 (note.empty() ? "" : " " + note));
    }
    return res;
}

HttpResponse Service::route(const HttpRequest& req, std::string& note) {
    const std::string path = req.target.substr(0, req.target.find('?'));
    if (req.body.size() > opt_.max_request_bytes)
        return fail(413, "too_large", "request body over " + std::to_string(opt_.max_request_bytes) + " bytes");
    if (path == "/v1/ping" && req.method == "GET")
        return json_response(200, {{"protocol", sync::kProtocolVersion}, {"server", "liaison-central"}});
    if (path == "/console" || path.rfind("/console/", 0) == 0) {
        note = "console";
        if (!storage_.has_console())
            return fail(501, "unsupported",
                        "the web console is not available on PostgreSQL yet; run the console on a SQLite "
                        "liaison-central (docs/server.md, \"PostgreSQL\")");
        return console_.handle(req);
    }
    if (path.rfind("/v1/admin/", 0) == 0) {
        note = "admin";
        return admin(req, path, note);
    }
    const bool sync_route = path == "/v1/enrol" || path == "/v1/push" || path == "/v1/pull";
    if (!sync_route) return fail(404, "not_found", "no such endpoint");
    // Every sync request names its protocol version; a mismatch is refused before anything else
    // so an old tablet learns it must update rather than seeing odd errors.
    const std::string v = req.header(sync::kProtocolHeader);
    const int version = v == "1" ? sync::kProtocolV1 : v == "2" ? sync::kProtocolVersion : 0;
    if (!sync::supported_protocol(version))
        return json_response(
            426, {{"error", "protocol"},
                  {"message", v.empty() ? "missing Liaison-Protocol header; this server speaks protocols 1 and 2"
                                        : "this server speaks protocols 1 and 2, not " + v.substr(0, 16)},
                  {"supported", json::array({sync::kProtocolV1, sync::kProtocolVersion})}});
    if (path == "/v1/enrol") {
        if (req.method != "POST") return fail(405, "method", "use POST");
        return enrol(req, note, version);
    }
    if (path == "/v1/push") {
        if (req.method != "POST") return fail(405, "method", "use POST");
        return push(req, note, version);
    }
    if (req.method != "GET") return fail(405, "method", "use GET");
    return pull(req, note, version);
}

namespace {

// The JSON object of a request body: gunzipped with a bound, parsed, checked to be an object.
Result<json> body_json(const HttpRequest& req, const ServiceOptions& opt, int& status) {
    std::string_view body = req.body;
    std::string inflated;
    if (sync::looks_gzipped(body)) {
        bool too_large = false;
        auto z = sync::gzip_inflate(body, opt.max_inflated_bytes, &too_large);
        if (!z) {
            status = too_large ? 413 : 400;
            return invalid(too_large ? "request body too large once unzipped" : z.error().message);
        }
        inflated = std::move(*z);
        body = inflated;
    }
    auto parsed = parse_json(body, "request body");
    if (!parsed) {
        status = 400;
        return parsed.error();
    }
    auto& j = *parsed;
    if (!j.is_object()) {
        status = 400;
        return invalid("request body is not a JSON object");
    }
    if (j.contains("protocol") &&
        !(j["protocol"].is_number_integer() && sync::supported_protocol(j["protocol"].get<int>()))) {
        status = 426;
        return invalid("body protocol " + j["protocol"].dump() + " is not 1 or 2");
    }
    return j;
}

// Stamps and device identity, change by change (docs/protocol.md, "Refused changes"): a change
// that does not parse, carries an id that is not the pushing device's, or is stamped more than
// kMaxClockAheadMs ahead of this server's clock is refused alone; the rest of the batch goes on.
struct Screened {
    std::vector<sync::FieldChange> changes;
    std::vector<size_t> index;  // position of each kept change in the request
    json rejected = json::array();
};

Screened screen_changes(const json& arr, const std::string& device_id, int64_t now_ms) {
    Screened out;
    auto refuse = [&](size_t i, const char* code, const std::string& reason) {
        out.rejected.push_back({{"index", i}, {"code", code}, {"reason", reason}});
    };
    for (size_t i = 0; i < arr.size(); ++i) {
        auto c = sync::change_from_json(arr[i]);
        if (!c)
            refuse(i, "bad_change", c.error().message);
        else if (c->hlc.node != device_id)
            refuse(i, "not_this_device", "the change id names another device");
        else if (c->hlc.wall_ms > now_ms + sync::kMaxClockAheadMs)
            refuse(i, "clock_ahead", "stamped ahead of the server's clock; correct the device's clock");
        else if (auto rule = domain::check_change(*c); !rule)
            refuse(i, "bad_value", rule.error().message);
        else {
            out.changes.push_back(std::move(*c));
            out.index.push_back(i);
        }
    }
    return out;
}

// The recovery key a tablet sends with its enrolment to be escrowed ("" when it sends none): the
// tablet's own spelling of it, kept as it came (docs/protocol.md, "Enrolment").
Result<std::string> escrowed_recovery_key(const json& body) {
    if (!body.contains("recovery_key")) return std::string();
    const auto& k = body["recovery_key"];
    if (!k.is_string()) return invalid("'recovery_key' is not a string");
    const auto key = k.get<std::string>();
    const bool well_formed = key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char ch) {
                                 return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-';
                             });
    if (!well_formed) return invalid("bad recovery_key");
    return key;
}

}  // namespace

HttpResponse Service::enrol(const HttpRequest& req, std::string& note, int version) {
    // Guessing codes is slowed down per address; in-process callers have none and are not.
    const int64_t now = platform::monotonic_ms();
    if (const int64_t wait = req.peer.empty() ? 0 : enrol_guesses_.wait_s(req.peer, now)) {
        note = "throttled";
        auto r = fail(429, "throttled", "too many wrong enrolment codes from this address; try again later");
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return r;
    }
    int status = 400;
    auto j = body_json(req, opt_, status);
    if (!j) return fail(status, status == 413 ? "too_large" : "bad_request", j.error().message);
    for (const char* k : {"code", "device_id"})
        if (!j->contains(k) || !(*j)[k].is_string())
            return fail(400, "bad_request", std::string("missing '") + k + "'");
    const std::string device_id = (*j)["device_id"].get<std::string>();
    if (device_id.empty() || device_id.size() > 64 || !sync::Hlc::parse("000000000000000-00000000-" + device_id))
        return fail(400, "bad_request", "bad device id");
    if (device_id.rfind("central_", 0) == 0)
        return fail(400, "bad_request", "device ids starting with central_ are the centre's");
    std::string name = j->value("device_name", std::string());
    if (name.size() > 100) name.resize(100);
    const std::string token = new_token();
    const std::string wish =
        j->contains("series") && (*j)["series"].is_string() ? (*j)["series"].get<std::string>() : "";
    auto recovery = escrowed_recovery_key(*j);
    if (!recovery) return fail(400, "bad_request", recovery.error().message);
    auto e = storage_.redeem_enrol_code(sha256_hex(normalise_code((*j)["code"].get<std::string>())), device_id, name,
                                        sha256_hex(token), wish, *recovery, platform::wall_ms(),
                                        sync::tuning::kEnrolRetryWindowMs);
    note = "device=" + device_id;
    if (!e) {
        if (!req.peer.empty() && e.error().kind == Error::Kind::Forbidden) enrol_guesses_.failed(req.peer, now);
        return from_error(e.error());
    }
    note += " station=" + e->station_id;
    return json_response(200, {{"protocol", version},
                               {"token", token},
                               {"device_id", device_id},
                               {"station_id", e->station_id},
                               {"station_name", e->station_name},
                               {"series", e->series},
                               {"recovery_key_escrowed", !recovery->empty()}});
}

HttpResponse Service::push(const HttpRequest& req, std::string& note, int version) {
    auto dev = storage_.device_for_token(sha256_hex(bearer(req)));
    if (!dev) return from_error(dev.error());
    note = "device=" + dev->id;
    int status = 400;
    auto j = body_json(req, opt_, status);
    if (!j) return fail(status, status == 413 ? "too_large" : "bad_request", j.error().message);
    if (!j->contains("changes")) return fail(400, "bad_request", "body lacks 'changes'");
    if ((*j)["changes"].is_array() && (*j)["changes"].size() > opt_.max_changes_per_push)
        return fail(413, "too_large",
                    "more than " + std::to_string(opt_.max_changes_per_push) + " changes in one push");
    if (!(*j)["changes"].is_array()) return fail(400, "bad_request", "'changes' is not an array");
    auto screened = screen_changes((*j)["changes"], dev->id, platform::wall_ms());
    const auto* changes = &screened.changes;
    // Table and column names are checked by the storage as it merges (400 for an unknown one).
    for (size_t i = 0; i < changes->size(); ++i) {
        const auto& c = (*changes)[i];
        // docs/design.md §3, rule 8: a device writes its own station's records, nothing else.
        if (c.scope != dev->station_id)
            return fail(403, "forbidden",
                        "change " + std::to_string(screened.index[i]) + " is outside this device's station");
        if (domain::centre_only_table(c.table))
            return fail(403, "forbidden", "table '" + c.table + "' is reference data; only the centre writes it");
        if (auto claim = check_claims(*dev, c); !claim)
            return fail(403, "forbidden", "change " + std::to_string(screened.index[i]) + ": " + claim.error().message);
    }
    auto out = storage_.push(*dev, *changes, platform::wall_ms());
    note += " changes=" + std::to_string(changes->size());
    if (!out) return from_error(out.error());
    note += " new=" + std::to_string(out->accepted) + " refused=" + std::to_string(screened.rejected.size());
    return json_response(200, {{"protocol", version},
                               {"accepted", out->accepted},
                               {"duplicates", out->duplicates},
                               {"rejected", std::move(screened.rejected)}});
}

HttpResponse Service::pull(const HttpRequest& req, std::string& note, int version) {
    auto dev = storage_.device_for_token(sha256_hex(bearer(req)));
    if (!dev) return from_error(dev.error());
    note = "device=" + dev->id;
    auto q = query_params(req.target);
    int64_t after = 0, limit = static_cast<int64_t>(sync::tuning::kPullPage);
    if (q.count("after") && !parse_i64(q["after"], after)) return fail(400, "bad_request", "bad cursor");
    if (q.count("limit") && (!parse_i64(q["limit"], limit) || limit == 0)) return fail(400, "bad_request", "bad limit");
    limit = std::min<int64_t>(limit, static_cast<int64_t>(opt_.max_pull_page));
    const bool own = q.count("include_own") && q["include_own"] == "1";
    auto page = storage_.pull({dev->station_id, sync::kReferenceScope}, after, static_cast<size_t>(limit),
                              own ? std::string() : dev->id);
    if (!page) return from_error(page.error());
    note += " changes=" + std::to_string(page->changes.size());
    // A tablet of protocol 1 gets a row change as the field changes it stands for.
    return json_response(200, {{"protocol", version},
                               {"changes", sync::changes_to_json(page->changes, version)},
                               {"cursor", std::to_string(page->cursor)},
                               {"more", page->more}});
}

// ---------------------------------------------------------------- admin API

namespace {

// One admin request as its handler sees it: the {id} of the path and the log line's note.
struct AdminCall {
    Storage& storage;
    const ServiceOptions& opt;
    const HttpRequest& req;
    std::string id;
    std::string& note;

    // The body as a JSON object, or the response that refuses it.
    std::optional<HttpResponse> body(json& out) const {
        int status = 400;
        auto j = body_json(req, opt, status);
        if (!j) return fail(status, "bad_request", j.error().message);
        out = std::move(*j);
        return std::nullopt;
    }
};

// GET /v1/admin/stations
HttpResponse list_stations(AdminCall& c) {
    auto all = c.storage.stations();
    if (!all) return from_error(all.error());
    json arr = json::array();
    for (const auto& s : *all)
        arr.push_back({{"id", s.id},
                       {"name", s.name},
                       {"kind", s.kind},
                       {"district", s.district},
                       {"township", s.township},
                       {"address", s.address}});
    return json_response(200, {{"stations", arr}});
}

// POST /v1/admin/stations {"name", "kind", "district", "township", "address"}
HttpResponse create_station(AdminCall& c) {
    json j;
    if (auto bad = c.body(j)) return *bad;
    StationRecord s;
    s.name = j.value("name", "");
    s.kind = j.value("kind", "");
    s.district = j.value("district", "");
    s.township = j.value("township", "");
    s.address = j.value("address", "");
    auto id = add_station(c.storage, s);
    if (!id) return from_error(id.error());
    c.note += " station add " + *id;
    return json_response(201, {{"id", *id}});
}

// POST /v1/admin/stations/{id}/enrol-codes
HttpResponse create_enrol_code(AdminCall& c) {
    auto code = issue_enrol_code(c.storage, c.id);
    if (!code) return from_error(code.error());
    c.note += " enrol-code for " + c.id;
    return json_response(201, {{"code", *code}, {"ttl_ms", sync::tuning::kEnrolCodeTtlMs}});
}

// GET /v1/admin/stations/{id}/records?table=visits&limit=&offset=  (scope "*" = reference data)
HttpResponse read_records(AdminCall& c) {
    const auto q = query_params(c.req.target);
    int64_t limit = 500, offset = 0;
    if (q.count("limit") && !parse_i64(q.at("limit"), limit)) return fail(400, "bad_request", "bad limit");
    if (q.count("offset") && !parse_i64(q.at("offset"), offset)) return fail(400, "bad_request", "bad offset");
    const std::string table = q.count("table") ? q.at("table") : "visits";
    auto rows = c.storage.records(c.id, table, std::min<int64_t>(limit, 5000), offset);
    if (!rows) return from_error(rows.error());
    c.note += " read " + table + " of " + c.id + " rows=" + std::to_string(rows->size());
    return json_response(200, {{"table", table}, {"records", *rows}});
}

// GET /v1/admin/devices
HttpResponse list_devices(AdminCall& c) {
    auto all = c.storage.devices();
    if (!all) return from_error(all.error());
    json arr = json::array();
    for (const auto& d : *all)
        arr.push_back({{"id", d.id},
                       {"station_id", d.station_id},
                       {"name", d.name},
                       {"series", d.series},
                       {"enrolled_ms", d.enrolled_ms},
                       {"last_seen_ms", d.last_seen_ms},
                       {"revoked", d.revoked_ms != 0}});
    return json_response(200, {{"devices", arr}});
}

// POST /v1/admin/devices/{id}/revoke
HttpResponse revoke_device(AdminCall& c) {
    auto st = c.storage.revoke_device(c.id, platform::wall_ms());
    if (!st) return from_error(st.error());
    c.note += " revoke " + c.id;
    return json_response(200, {{"revoked", c.id}});
}

// The "writes" of a POST /v1/admin/changes body.
Result<std::vector<CentreWrite>> centre_writes(const json& j) {
    if (!j.contains("writes") || !j["writes"].is_array()) return invalid("body lacks 'writes'");
    std::vector<CentreWrite> writes;
    for (const auto& w : j["writes"]) {
        if (!w.is_object() || !w.contains("table") || !w["table"].is_string() || !w.contains("row") ||
            !w["row"].is_string())
            return invalid("each write needs 'table' and 'row'");
        CentreWrite cw;
        cw.table = w["table"].get<std::string>();
        cw.row = w["row"].get<std::string>();
        cw.scope = w.value("scope", "");
        cw.remove = w.value("delete", false);
        if (w.contains("fields")) {
            if (!w["fields"].is_object()) return invalid("'fields' must be an object");
            for (auto it = w["fields"].begin(); it != w["fields"].end(); ++it)
                cw.fields.emplace_back(it.key(), it.value());
        }
        writes.push_back(std::move(cw));
    }
    return writes;
}

// POST /v1/admin/changes {"author": "...", "writes": [{"table", "row", "scope"?, "fields": {...}, "delete"?}]}
HttpResponse write_changes(AdminCall& c) {
    json j;
    if (auto bad = c.body(j)) return *bad;
    auto writes = centre_writes(j);
    if (!writes) return fail(400, "bad_request", writes.error().message);
    std::string author = j.value("author", "centre");
    if (author.empty() || author.size() > 100) author = "centre";
    auto n = c.storage.write_as_centre(*writes, author);
    if (!n) return from_error(n.error());
    c.note += " wrote fields=" + std::to_string(*n);
    return json_response(200, {{"written", *n}});
}

// GET /v1/admin/stats
HttpResponse statistics(AdminCall& c) {
    auto s = c.storage.statistics();
    if (!s) return from_error(s.error());
    return json_response(200, *s);
}

// The admin API, one row per endpoint: the path below /v1/admin/, where {id} stands for any one
// segment. A path that matches with another method is answered 405, never run.
struct AdminRoute {
    const char* method;
    const char* pattern;
    HttpResponse (*handler)(AdminCall&);
};

const AdminRoute kAdminRoutes[] = {
    {"GET", "stations", list_stations},
    {"POST", "stations", create_station},
    {"POST", "stations/{id}/enrol-codes", create_enrol_code},
    {"GET", "stations/{id}/records", read_records},
    {"GET", "devices", list_devices},
    {"POST", "devices/{id}/revoke", revoke_device},
    {"POST", "changes", write_changes},
    {"GET", "stats", statistics},
};

// Whether the segments below /v1/admin/ fit the pattern; the {id} segment goes to id.
bool matches(const char* pattern, const std::vector<std::string>& segments, std::string& id) {
    const auto want = split_path(pattern);
    if (want.size() != segments.size()) return false;
    for (size_t i = 0; i < want.size(); ++i) {
        if (want[i] == "{id}")
            id = url_decode(segments[i]);  // a station's name arrives percent-encoded
        else if (want[i] != segments[i])
            return false;
    }
    return true;
}

}  // namespace

// The --admin-token given at start, or the one whose hash the database keeps.
Result<bool> Service::admin_authorised(const HttpRequest& req) {
    const std::string presented = bearer(req);
    if (presented.empty()) return false;
    if (!opt_.admin_token.empty() && same_secret(presented, opt_.admin_token)) return true;
    auto h = storage_.meta("admin_token_hash");
    if (!h) return h.error();
    return !h->empty() && same_secret(sha256_hex(presented), *h);
}

HttpResponse Service::admin(const HttpRequest& req, const std::string& path, std::string& note) {
    auto ok = admin_authorised(req);
    if (!ok) return from_error(ok.error());
    if (!*ok) return fail(401, "unauthorized", "admin token required");
    auto segments = split_path(path);
    segments.erase(segments.begin(), segments.begin() + 2);  // "v1", "admin"
    note = "admin";
    std::string allowed;
    for (const auto& route : kAdminRoutes) {
        std::string id;
        if (!matches(route.pattern, segments, id)) continue;
        if (req.method == route.method) {
            AdminCall call{storage_, opt_, req, std::move(id), note};
            return route.handler(call);
        }
        allowed += (allowed.empty() ? "" : " or ") + std::string(route.method);
    }
    if (!allowed.empty()) return fail(405, "method", "use " + allowed);
    return fail(404, "not_found", "no such admin endpoint");
}

}  // namespace liaison::server
