// The central server's request handler (Service::handle) with a real SQLite storage and an
// enrolled device. The first byte picks what the rest of the input is:
//   0  a push body (POST /v1/push with the device's token),
//   1  a pull query string (GET /v1/pull?...),
//   2  a request of its own: "METHOD\nTARGET\nName: value\n...\n\nBODY", after the device's
//      token and protocol headers,
//   3  the same without those headers.
// Properties: no crash, no exception out of handle(), a status from 200 to 599, a JSON body, and
// no 500 (a 500 is a server bug: bad input is a 4xx).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tests/fuzz/central_fixture.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using liaison::sync::HttpRequest;

std::string next_line(std::string_view& rest) {
    const size_t nl = rest.find('\n');
    const std::string line(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    return line;
}

void read_request(std::string_view rest, HttpRequest& req) {
    req.method = next_line(rest);
    req.target = next_line(rest);
    while (!rest.empty()) {
        const std::string h = next_line(rest);
        if (h.empty()) break;
        const size_t colon = h.find(':');
        const size_t value = h.find_first_not_of(' ', colon == std::string::npos ? h.size() : colon + 1);
        req.headers.emplace_back(h.substr(0, colon), value == std::string::npos ? "" : h.substr(value));
    }
    req.body = std::string(rest);
}

HttpRequest request_for(const uint8_t* data, size_t size, const std::string& token) {
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    HttpRequest req;
    const int mode = data[0] % 4;
    if (mode != 3) req.headers = {{liaison::sync::kProtocolHeader, "1"}, {"Authorization", "Bearer " + token}};
    if (mode == 0) {
        req.method = "POST";
        req.target = "/v1/push";
        req.body = std::string(rest);
    } else if (mode == 1) {
        req.method = "GET";
        req.target = "/v1/pull?" + std::string(rest);
    } else {
        read_request(rest, req);
    }
    return req;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using liaison::fuzz::check;
    if (size == 0) return 0;
    auto& central = liaison::fuzz::central_for_next_input();
    const HttpRequest req = request_for(data, size, central.token());
    const auto res = central.service().handle(req);
    check(res.status >= 200 && res.status < 600, "a status from 200 to 599");
    check(res.status != 500, "bad input is answered with a 4xx, not 500");
    check(!nlohmann::json::parse(res.body, nullptr, false).is_discarded(), "the answer is JSON");
    return 0;
}
