// The console's front door: the page's files, sign-in, the session and CSRF checks, then one
// table of routes with the roles that may call each (docs/console.md). The handlers are in
// console_cases.cpp and console_admin.cpp.
#include "sync/server/console.h"

#include "domain/rules.h"
#include "sync/core/json.h"
#include "sync/server/console_call.h"
#include "sync/server/http_util.h"
#include "sync/server/secrets.h"

namespace liaison::server {

using nlohmann::json;
using sync::HttpRequest;
using sync::HttpResponse;

namespace {

using console::Call;

constexpr int64_t kTouchEveryMs = 60'000;  // a session's last use is written at most once a minute
enum Role : unsigned { kAdmin = 1, kOffice = 2, kDepartment = 4, kAnyone = 7 };

unsigned role_bit(const std::string& role) {
    if (role == "admin") return kAdmin;
    if (role == "office") return kOffice;
    return role == "department" ? kDepartment : 0u;
}

struct Route {
    const char* method;
    const char* pattern;  // below /console/api/; {id} is any one segment
    unsigned roles;
    console::Handler handler;
};

const Route kRoutes[] = {
    {"GET", "me", kAnyone, console::me},
    {"POST", "logout", kAnyone, console::logout},
    {"GET", "lookups", kAnyone, console::lookups},
    {"GET", "cases", kAnyone, console::list_cases},
    {"POST", "cases/assign", kOffice, console::bulk_assign},
    {"GET", "cases/{id}", kAnyone, console::get_case},
    {"GET", "cases/{id}/phone", kDepartment, console::case_phone},
    {"POST", "cases/{id}/{id}", kAnyone, console::case_step},  // the role is checked per step
    {"GET", "overview", kAdmin | kOffice, console::overview},
    {"GET", "report", kAdmin | kOffice, console::report},
    {"GET", "export/{id}", kAdmin | kOffice, console::export_cases},
    {"GET", "stations", kAdmin | kOffice, console::list_stations},
    {"POST", "stations", kAdmin, console::add_station},
    {"POST", "stations/{id}/enrol-codes", kAdmin, console::enrol_code},
    {"GET", "devices", kAdmin, console::list_devices},
    {"POST", "devices/{id}/revoke", kAdmin, console::revoke_device},
    {"GET", "departments", kAnyone, console::list_departments},
    {"POST", "departments", kAdmin, console::add_department},
    {"GET", "users", kAdmin, console::list_users},
    {"POST", "users", kAdmin, console::add_user},
    {"POST", "users/{id}/disable", kAdmin, console::user_state},
    {"POST", "users/{id}/enable", kAdmin, console::user_state},
    {"POST", "users/{id}/password", kAdmin, console::user_password},
};

bool matches(const char* pattern, const std::vector<std::string>& segments, std::vector<std::string>& args) {
    const auto want = split_path(pattern);
    if (want.size() != segments.size()) return false;
    std::vector<std::string> found;
    for (size_t i = 0; i < want.size(); ++i) {
        if (want[i] == "{id}")
            found.push_back(segments[i]);
        else if (want[i] != segments[i])
            return false;
    }
    args = std::move(found);
    return true;
}

std::string cookie(const HttpRequest& req, const std::string& name) {
    const std::string h = req.header("Cookie");
    size_t i = 0;
    while (i < h.size()) {
        size_t j = h.find(';', i);
        if (j == std::string::npos) j = h.size();
        std::string kv = h.substr(i, j - i);
        kv.erase(0, kv.find_first_not_of(' '));
        if (kv.rfind(name + "=", 0) == 0) return kv.substr(name.size() + 1);
        i = j + 1;
    }
    return "";
}

// Headers every console answer carries: nothing cached, nothing framed, scripts from here only.
void harden(HttpResponse& r, bool page) {
    r.headers.emplace_back("Cache-Control", page ? "no-cache" : "no-store");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
}

HttpResponse serve_file(const std::string& rest) {
    const std::string name = rest.empty() ? "index.html" : rest;
    const ConsoleFile* f = console_file(name);
    if (!f) return fail(404, "not_found", "no such page");
    HttpResponse r;
    r.status = 200;
    r.headers.emplace_back("Content-Type", f->content_type);
    r.body.assign(reinterpret_cast<const char*>(f->data), f->size);
    return r;
}

std::string session_cookie(const std::string& token, const ConsoleOptions& opt) {
    return std::string(console::kCookie) + "=" + token + "; Path=/console; HttpOnly; SameSite=Strict" +
           (opt.secure_cookie ? "; Secure" : "");
}

}  // namespace

Console::Console(Storage& storage, ConsoleOptions opt) : storage_(storage), opt_(std::move(opt)) {
    if (!opt_.now_ms) opt_.now_ms = platform::wall_ms;
}

struct Console::Impl {
    static HttpResponse login(Console& self, const HttpRequest& req, std::string& note);
    static HttpResponse api(Console& self, const HttpRequest& req, const std::string& rest, std::string& note);
    static Result<bool> open_session(Console& self, Call& c, const HttpRequest& req);
};

HttpResponse Console::handle(const HttpRequest& req) {
    const std::string path = req.target.substr(0, req.target.find('?'));
    std::string note;
    HttpResponse res;
    try {
        if (path == "/console") {
            res.status = 301;
            res.headers.emplace_back("Location", "/console/");
        } else if (path.rfind("/console/api/", 0) == 0) {
            res = Impl::api(*this, req, path.substr(13), note);
        } else if (req.method == "GET" || req.method == "HEAD") {
            res = serve_file(path.substr(9));
        } else {
            res = fail(405, "method", "use GET");
        }
    } catch (const std::exception&) {
        note += " exception";
        res = fail(500, "internal", "internal server error");
    }
    harden(res, path.rfind("/console/api/", 0) != 0);
    if (opt_.log && !note.empty()) opt_.log("console" + note + (req.peer.empty() ? "" : " from " + req.peer));
    return res;
}

HttpResponse Console::Impl::login(Console& self, const HttpRequest& req, std::string& note) {
    auto j = sync::parse_json(req.body, "request body");
    if (!j || !j->is_object() || !(*j)["user"].is_string() || !(*j)["password"].is_string())
        return fail(400, "bad_request", "send {\"user\", \"password\"}");
    const std::string name = (*j)["user"].get<std::string>(), password = (*j)["password"].get<std::string>();
    auto& cs = self.storage_.console();
    const int64_t now = self.opt_.now_ms();
    auto u = cs.user(name);
    const bool known = u && u->disabled_ms == 0;
    note = " login user=" + (domain::valid_utf8(name) && name.size() <= 64 ? name : std::string("?"));
    if (known && u->locked_until_ms > now) {
        note += " locked";
        return json_response(423, {{"error", "locked"},
                                   {"message", "too many wrong passwords; try again later"},
                                   {"params", {{"retry_after_s", (u->locked_until_ms - now + 999) / 1000}}}});
    }
    // An unknown user costs a hash too (a decoy's), so the answer's time does not tell which names exist.
    static const std::string decoy = accounts::hash_password("a decoy that signs no one in").value_or("");
    const bool good = accounts::verify_password(known ? u->password_hash : decoy, password) && known;
    if (!good) {
        if (known) {
            auto n = cs.add_failure(name);
            if (!n) return from_error(n.error());
            if (const int64_t lock = accounts::lock_ms(*n)) {
                if (auto st = cs.set_lock(name, now + lock); !st) return from_error(st.error());
                note += " locked-now";
            }
        }
        note += " failed";
        return fail(401, "unauthorized", "wrong user name or password");
    }
    if (auto st = cs.clear_failures(name); !st) return from_error(st.error());
    // Sessions past their time are cleared at each sign-in, so the table holds live ones only.
    if (auto st = cs.purge_sessions(now - self.opt_.idle_ms, now - self.opt_.max_ms); !st) note += " purge-failed";
    const std::string token = new_token(), csrf = new_token();
    if (auto st = cs.add_session(ConsoleSession{sha256_hex(token), name, csrf, now, now}); !st)
        return from_error(st.error());
    note += " ok role=" + u->role;
    auto r = json_response(200, {{"csrf", csrf}, {"user", console::user_json(*u, cs)}});
    r.headers.emplace_back("Set-Cookie", session_cookie(token, self.opt_));
    return r;
}

// The session of the request's cookie, its user, and the CSRF check. false = no valid session.
Result<bool> Console::Impl::open_session(Console& self, Call& c, const HttpRequest& req) {
    const std::string token = cookie(req, console::kCookie);
    if (token.empty() || token.size() > 128) return false;
    auto s = c.cs.session(sha256_hex(token));
    if (!s) return s.error().kind == Error::Kind::Auth ? Result<bool>(false) : Result<bool>(s.error());
    c.session = *s;
    if (c.now - s->seen_ms > self.opt_.idle_ms || c.now - s->created_ms > self.opt_.max_ms) {
        LIAISON_TRY(c.cs.end_session(s->token_hash));
        return false;
    }
    auto u = c.cs.user(s->user);
    if (!u || u->disabled_ms != 0) return false;
    c.user = *u;
    if (c.now - s->seen_ms > kTouchEveryMs) LIAISON_TRY(c.cs.touch_session(s->token_hash, c.now));
    return true;
}

HttpResponse Console::Impl::api(Console& self, const HttpRequest& req, const std::string& rest, std::string& note) {
    if (rest == "login") {
        if (req.method != "POST") return fail(405, "method", "use POST");
        return login(self, req, note);
    }
    Call c{self.storage_,  self.storage_.console(), self.opt_, req, {}, {}, {}, {}, {}, query_params(req.target),
           json::object(), self.opt_.now_ms(),      ""};
    auto ok = open_session(self, c, req);
    if (!ok) return from_error(ok.error());
    if (!*ok) return fail(401, "unauthorized", "sign in first");
    const bool reads = req.method == "GET" || req.method == "HEAD";
    if (!reads && !same_secret(req.header("X-CSRF-Token"), c.session.csrf)) {
        note = " user=" + c.user.name + " csrf-refused";
        return fail(403, "csrf", "missing or wrong X-CSRF-Token");
    }
    auto stations = self.storage_.stations();
    if (!stations) return from_error(stations.error());
    c.stations = std::move(*stations);
    c.scope = accounts::scope_of(c.user, c.stations);
    auto segments = split_path(rest);
    for (auto& seg : segments) seg = url_decode(seg);
    bool path_known = false;
    for (const auto& r : kRoutes) {
        if (!matches(r.pattern, segments, c.args)) continue;
        path_known = true;
        if (req.method != r.method) continue;
        if (!(r.roles & role_bit(c.user.role))) return fail(403, "forbidden", "not for this role");
        if (!req.body.empty()) {
            auto j = sync::parse_json(req.body, "request body");
            if (!j || !j->is_object()) return fail(400, "bad_request", "the body must be a JSON object");
            c.body = std::move(*j);
        }
        auto res = r.handler(c);
        // Every sign-in and every action is logged; plain reads only when they name what they
        // did (an export, a look at a phone number).
        if (!reads || !c.note.empty())
            note =
                " user=" + c.user.name + " " + req.method + " " + r.pattern + " " + std::to_string(res.status) + c.note;
        return res;
    }
    return path_known ? fail(405, "method", "wrong method") : fail(404, "not_found", "no such endpoint");
}

}  // namespace liaison::server
