// Small pieces shared by the server's two request handlers (service.cpp, console.cpp): JSON
// responses and errors, query strings and paths.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "sync/net/http.h"

namespace liaison::server {

sync::HttpResponse json_response(int status, const nlohmann::json& body);
sync::HttpResponse fail(int status, const std::string& code, const std::string& message);
// The response for a storage or rule error (Invalid 400, Auth 401, Forbidden 403, NotFound 404,
// Conflict 409, Locked and Full 503, others 500 with the cause kept for the log only).
sync::HttpResponse from_error(const Error& e);
// Carries the cause of a server-side failure from from_error() to the log line; Service::handle
// removes it, so it never reaches the client.
extern const char* const kCauseHeader;

// %XX and + decoded (query strings and path segments).
std::string url_decode(const std::string& s);
// The decoded parameters of a request target's query string.
std::map<std::string, std::string> query_params(const std::string& target);
bool parse_i64(const std::string& s, int64_t& v);  // a non-negative decimal, nothing else
std::vector<std::string> split_path(const std::string& path);

}  // namespace liaison::server
