// HTTP messages as plain values and the Transport interface the sync client talks through.
// The central server's request handler takes and returns the same values, so tests can wire a
// client straight to a server in one process (LoopbackTransport) with no socket in between.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace liaison::sync {

// Header names of the protocol (docs/protocol.md).
inline constexpr const char* kProtocolHeader = "Liaison-Protocol";

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup ("" when absent): HTTP header names are case-insensitive.
std::string header_value(const Headers& h, std::string_view name);

struct HttpRequest {
    std::string method = "GET";
    std::string target;  // path and query: "/v1/pull?after=12&limit=2000"
    Headers headers;
    std::string body;
    std::string peer;  // the client's address, set by the server's listener (throttling, logs)
    std::string header(std::string_view name) const { return header_value(headers, name); }
};

struct HttpResponse {
    int status = 0;
    Headers headers;
    std::string body;
    std::string header(std::string_view name) const { return header_value(headers, name); }
};

class Transport {
public:
    virtual ~Transport() = default;
    // One exchange. A network failure (refused, timed out, cut) is an Error of kind Network;
    // any HTTP answer, 4xx and 5xx included, is a response.
    virtual Result<HttpResponse> send(const HttpRequest& req) = 0;
};

struct RetryPolicy {
    int attempts = 4;       // total tries
    int64_t base_ms = 250;  // backoff before the 2nd try; doubles per try
    int64_t max_ms = 8000;
    std::function<void(int64_t ms)> sleep;  // default: this thread sleeps; tests record instead
    std::function<bool()> cancelled;        // stop retrying early (worker shutting down)
    uint64_t seed = 0;                      // jitter source; 0 = from the clock
};

// Retries network failures and 429/502/503/504 with exponential backoff and full jitter.
// Safe for every sync request: push is idempotent by change id and pull is a read.
Result<HttpResponse> send_with_retry(Transport& t, const HttpRequest& req, const RetryPolicy& policy);

// The HTTP `Date` header (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"): the server
// sends its time with every answer and clients correct their clock from it.
std::string http_date(int64_t unix_ms);
std::optional<int64_t> parse_http_date(std::string_view text);  // unix ms of the second's start

// gzip (RFC 1952) with zlib. inflate stops with an error past `limit` bytes of output, so a small
// compressed body cannot blow up into gigabytes (a "gzip bomb").
Result<std::string> gzip_compress(std::string_view data);
// `too_large` (optional) tells the limit apart from a corrupt body.
Result<std::string> gzip_inflate(std::string_view data, size_t limit, bool* too_large = nullptr);
inline bool looks_gzipped(std::string_view b) {
    return b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f && static_cast<unsigned char>(b[1]) == 0x8b;
}

}  // namespace liaison::sync
