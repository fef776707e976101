#include "sync/client/curl_transport.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <curl/curl.h>

namespace liaison::sync {
namespace {

struct EasyDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

void global_init() {
    // curl_global_init is not thread-safe on every build: once per process.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
    auto* headers = static_cast<Headers*>(user);
    std::string line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) headers->clear();  // a new response (after 100-continue)
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        auto trim = [](std::string s) {
            while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
            size_t i = 0;
            while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
            return s.substr(i);
        };
        headers->emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    return size * n;
}

}  // namespace

struct CurlTransport::Handle {
    EasyPtr easy;
};

CurlTransport::CurlTransport(CurlOptions opt) : opt_(std::move(opt)), h_(std::make_unique<Handle>()) {
    while (!opt_.base_url.empty() && opt_.base_url.back() == '/') opt_.base_url.pop_back();
    global_init();
}

CurlTransport::~CurlTransport() = default;

Result<HttpResponse> CurlTransport::send(const HttpRequest& req) {
    if (!h_->easy) {
        h_->easy.reset(curl_easy_init());
        if (!h_->easy) return Error{Error::Kind::Internal, "curl_easy_init failed"};
    } else {
        // Clears the options but keeps the open connection and the DNS cache.
        curl_easy_reset(h_->easy.get());
    }
    CURL* c = h_->easy.get();
    const std::string url = opt_.base_url + req.target;
    HttpResponse res;
    SlistPtr headers;
    for (const auto& [k, v] : req.headers) {
        const std::string line = k + ": " + v;
        curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
        if (!grown) return Error{Error::Kind::Internal, "curl_slist_append failed"};
        (void)headers.release();  // curl_slist_append returned the same list, now longer
        headers.reset(grown);
    }
    // No "Expect: 100-continue" round trip before bodies over 1 KB.
    {
        curl_slist* grown = curl_slist_append(headers.get(), "Expect:");
        if (!grown) return Error{Error::Kind::Internal, "curl_slist_append failed"};
        (void)headers.release();
        headers.reset(grown);
    }
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(opt_.connect_timeout_ms));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(opt_.total_timeout_ms));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!opt_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, opt_.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    // Let the server gzip its answers; curl unpacks them.
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &res.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &res.headers);
    if (req.method == "POST") {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    } else if (req.method != "GET") {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
        if (!req.body.empty()) {
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        }
    }
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        const std::string why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
        const auto kind =
            (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM)
                ? Error::Kind::Auth  // not retried: a wrong certificate stays wrong
                : Error::Kind::Network;
        return Error{kind, "cannot reach the server: " + why};
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    res.status = static_cast<int>(status);
    return res;
}

}  // namespace liaison::sync
