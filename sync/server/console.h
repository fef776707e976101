// The web console (docs/console.md): its JSON API under /console/api/ and the single page under
// /console/. A pure handler like Service: HttpRequest in, HttpResponse out; Service::handle
// passes it every request below /console. No exception leaves handle().
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "sync/net/http.h"
#include "sync/server/storage.h"

namespace liaison::server {

struct ConsoleOptions {
    int64_t idle_ms = 30 * 60'000;                // a session ends after this long without a request
    int64_t max_ms = 12 * 3600'000;               // and this long after sign-in
    bool secure_cookie = false;                   // add Secure to the cookie (behind https)
    std::function<void(const std::string&)> log;  // one line per sign-in and action; never voters' data
    std::function<int64_t()> now_ms;              // the wall clock (tests move it)
};

class Console {
public:
    Console(Storage& storage, ConsoleOptions opt);
    sync::HttpResponse handle(const sync::HttpRequest& req);

    struct Impl;

private:
    Storage& storage_;
    ConsoleOptions opt_;
};

// The console's embedded files (generated from assets/console by the build).
struct ConsoleFile {
    const char* path;  // below /console/, e.g. "app.js"
    const char* content_type;
    const unsigned char* data;
    size_t size;
};
const ConsoleFile* console_file(const std::string& path);

}  // namespace liaison::server
