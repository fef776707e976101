#include "sync/client/http.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <random>
#include <thread>

#include <zlib.h>

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
            if (p.sleep) p.sleep(wait);
            else std::this_thread::sleep_for(std::chrono::milliseconds(wait));
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
