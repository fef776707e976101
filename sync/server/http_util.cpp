#include "sync/server/http_util.h"

#include <charconv>

namespace liaison::server {

using nlohmann::json;
using sync::HttpResponse;

const char* const kCauseHeader = "Liaison-Log-Cause";

HttpResponse json_response(int status, const json& body) {
    HttpResponse r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

HttpResponse fail(int status, const std::string& code, const std::string& message) {
    return json_response(status, {{"error", code}, {"message", message}});
}

HttpResponse from_error(const Error& e) {
    if (e.kind == Error::Kind::Full) {
        auto r = fail(503, "full", "the server's disk is full; try again later");
        r.headers.emplace_back("Retry-After", "60");
        r.headers.emplace_back(kCauseHeader, e.message);
        return r;
    }
    if (e.kind == Error::Kind::Network) {
        // The database went away (PostgreSQL restarting, a failover): the storage reconnects on
        // the next request, so the client retries; the log keeps the cause.
        auto r = fail(503, "unavailable", "the server cannot reach its database; try again shortly");
        r.headers.emplace_back("Retry-After", "5");
        r.headers.emplace_back(kCauseHeader, e.message);
        return r;
    }
    switch (e.kind) {
        case Error::Kind::Invalid: return fail(400, "bad_request", e.message);
        case Error::Kind::Auth: return fail(401, "unauthorized", e.message);
        case Error::Kind::Forbidden: return fail(403, "forbidden", e.message);
        case Error::Kind::NotFound: return fail(404, "not_found", e.message);
        case Error::Kind::Conflict: return fail(409, "conflict", e.message);
        case Error::Kind::Locked: {
            auto r = fail(503, "busy", "the server is busy; try again");
            r.headers.emplace_back("Retry-After", "2");
            r.headers.emplace_back(kCauseHeader, e.message);  // which lock, for the operator's log
            return r;
        }
        default: {
            auto r = fail(500, "internal", "internal server error");  // details stay in the server log
            r.headers.emplace_back(kCauseHeader, e.message);
            return r;
        }
    }
}

std::string url_decode(const std::string& s) {
    std::string d;
    for (size_t k = 0; k < s.size(); ++k) {
        if (s[k] == '%' && k + 2 < s.size()) {
            int v = 0;
            auto r = std::from_chars(s.data() + k + 1, s.data() + k + 3, v, 16);
            if (r.ec == std::errc() && r.ptr == s.data() + k + 3) {
                d.push_back(static_cast<char>(v));
                k += 2;
                continue;
            }
        }
        d.push_back(s[k] == '+' ? ' ' : s[k]);
    }
    return d;
}

std::map<std::string, std::string> query_params(const std::string& target) {
    std::map<std::string, std::string> out;
    const auto q = target.find('?');
    if (q == std::string::npos) return out;
    const std::string qs = target.substr(q + 1);
    size_t i = 0;
    while (i <= qs.size()) {
        size_t amp = qs.find('&', i);
        if (amp == std::string::npos) amp = qs.size();
        const std::string kv = qs.substr(i, amp - i);
        const auto eq = kv.find('=');
        if (!kv.empty())
            out[url_decode(kv.substr(0, eq))] = eq == std::string::npos ? "" : url_decode(kv.substr(eq + 1));
        i = amp + 1;
    }
    return out;
}

bool parse_i64(const std::string& s, int64_t& v) {
    if (s.empty()) return false;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && v >= 0;
}

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    size_t i = 0;
    while (i < path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        if (j > i) parts.push_back(path.substr(i, j - i));
        i = j + 1;
    }
    return parts;
}

}  // namespace liaison::server
