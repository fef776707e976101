// The real transport: libcurl, one easy handle reused so the connection stays open between the
// requests of a sync round. TLS peers are always verified; a private CA file can be named.
#pragma once
#include <memory>
#include <string>

#include "sync/net/http.h"
#include "sync/net/tuning.h"

namespace liaison::sync {

struct CurlOptions {
    std::string base_url;  // "https://central.example.cn" or "http://127.0.0.1:8080"
    std::string ca_file;   // PEM bundle of a private CA; "" = the system's trust store
    int64_t connect_timeout_ms = tuning::kConnectTimeoutMs;
    int64_t total_timeout_ms = tuning::kTotalTimeoutMs;
};

class CurlTransport final : public Transport {
public:
    explicit CurlTransport(CurlOptions opt);
    ~CurlTransport() override;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    Result<HttpResponse> send(const HttpRequest& req) override;

private:
    struct Handle;  // owns the CURL* (curl.h stays out of this header)
    CurlOptions opt_;
    std::unique_ptr<Handle> h_;
};

}  // namespace liaison::sync
