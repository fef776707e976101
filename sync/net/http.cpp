#include "sync/net/http.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <chrono>
#include <random>
#include <thread>

#include <zlib.h>

#include "base/dates.h"

namespace liaison::sync {

std::string header_value(const Headers& h, std::string_view name) {
    for (const auto& [k, v] : h) {
        if (k.size() != name.size()) continue;
        bool same = true;
        for (size_t i = 0; i < k.size() && same; ++i)
            same = std::tolower(static_cast<unsigned char>(k[i])) == std::tolower(static_cast<unsigned char>(name[i]));
        if (same) return v;
    }
    return "";
}

namespace {
const char* const kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday
const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string http_date(int64_t unix_ms) {
    const int64_t secs = unix_ms / 1000, days = secs / 86400, rem = secs % 86400;
    int64_t y = 0, m = 0, d = 0;
    dates::civil_from_days(days, y, m, d);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[days % 7], static_cast<int>(d),
                  kMonths[m - 1], static_cast<int>(y), static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                  static_cast<int>(rem % 60));
    return buf;
}

std::optional<int64_t> parse_http_date(std::string_view t) {
    // "Sun, 06 Nov 1994 08:49:37 GMT": fixed positions
    if (t.size() != 29 || t[3] != ',' || t.substr(26) != "GMT") return std::nullopt;
    auto num = [&](size_t at, size_t len, int64_t& out) {
        out = 0;
        for (size_t i = at; i < at + len; ++i) {
            if (t[i] < '0' || t[i] > '9') return false;
            out = out * 10 + (t[i] - '0');
        }
        return true;
    };
    int64_t d = 0, y = 0, hh = 0, mm = 0, ss = 0, m = 0;
    if (!num(5, 2, d) || !num(12, 4, y) || !num(17, 2, hh) || !num(20, 2, mm) || !num(23, 2, ss)) return std::nullopt;
    for (int i = 0; i < 12; ++i)
        if (t.substr(8, 3) == kMonths[i]) m = i + 1;
    if (m == 0 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    return (dates::days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss) * 1000;
}

static bool retryable_status(int s) { return s == 429 || s == 502 || s == 503 || s == 504; }

Result<HttpResponse> send_with_retry(Transport& t, const HttpRequest& req, const RetryPolicy& p) {
    std::mt19937_64 rng(p.seed ? p.seed
                               : static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
    const int attempts = std::max(1, p.attempts);
    Result<HttpResponse> last = Error{Error::Kind::Network, "not sent"};
    for (int i = 0; i < attempts; ++i) {
        if (i > 0) {
            if (p.cancelled && p.cancelled()) break;
            // Full jitter (AWS architecture blog): a random wait in [0, min(max, base * 2^i)), so
            // two hundred tablets coming back online together do not retry in lockstep.
            const int64_t cap = std::min(p.max_ms, p.base_ms << std::min(i - 1, 20));
            const int64_t wait = cap > 0 ? static_cast<int64_t>(rng() % static_cast<uint64_t>(cap)) : 0;
            if (p.sleep)
                p.sleep(wait);
            else
                std::this_thread::sleep_for(std::chrono::milliseconds(wait));
        }
        last = t.send(req);
        if (last.ok() && !retryable_status(last->status)) return last;
        if (!last.ok() && last.error().kind != Error::Kind::Network) return last;
    }
    return last;
}

Result<std::string> gzip_compress(std::string_view data) {
    z_stream z{};
    // windowBits 15 + 16: write a gzip header and trailer rather than a bare zlib stream.
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return Error{Error::Kind::Internal, "gzip: deflateInit2 failed"};
    std::string out;
    out.resize(deflateBound(&z, static_cast<uLong>(data.size())) + 32);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    const size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) return Error{Error::Kind::Internal, "gzip: deflate did not finish"};
    out.resize(n);
    return out;
}

Result<std::string> gzip_inflate(std::string_view data, size_t limit, bool* too_large) {
    if (too_large) *too_large = false;
    z_stream z{};
    // 15 + 32: accept gzip or zlib headers.
    if (inflateInit2(&z, 15 + 32) != Z_OK) return Error{Error::Kind::Internal, "gzip: inflateInit2 failed"};
    std::string out;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    char buf[64 * 1024];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&z);
            return invalid("body is not valid gzip");
        }
        out.append(buf, sizeof buf - z.avail_out);
        if (out.size() > limit) {
            inflateEnd(&z);
            if (too_large) *too_large = true;
            return Error{Error::Kind::Invalid, "body too large once unzipped"};
        }
        if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
            inflateEnd(&z);
            return invalid("gzip body is truncated");
        }
    }
    inflateEnd(&z);
    return out;
}

}  // namespace liaison::sync
