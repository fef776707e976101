// The HTTP listener: libmicrohttpd in front of Service::handle. A few event-driven threads serve
// every connection (epoll), so slow or idle clients hold a little memory each, never a thread.
// Complete requests go to a pool of request threads, so a slow handler never holds up the
// other connections of its listener thread.
// It bounds what it reads before any handler runs: header bytes per connection, the body per
// request (413 on Content-Length or while it arrives), all bodies in flight together (503) and
// the number of connections. It never unzips a body: Service does that with its own bound.
#pragma once
#include <memory>
#include <string>

#include "base/result.h"
#include "sync/server/service.h"

namespace liaison::server {

// Listener threads only move bytes, each for many connections: a few are enough. Request
// threads run the handlers; pushes wait in them for the group commit (docs/server.md).
inline constexpr int kListenerThreads = 2;
inline constexpr int kRequestThreads = 32;

struct ListenOptions {
    std::string host = "127.0.0.1";
    int port = 0;                   // 0 = any free port (reported by bind())
    int threads = kRequestThreads;  // request threads for reads, and as many for writes
    size_t max_request_bytes = sync::tuning::kMaxRequestBytes;
    size_t max_body_bytes_in_flight = 256u << 20;  // 503 past this, all connections together
    size_t max_header_bytes = 32u << 10;           // request line + headers of one connection
    unsigned max_connections = 4000;               // more are closed at once
    unsigned idle_timeout_s = 15;                  // a connection silent this long is closed
};

class HttpServer {
public:
    HttpServer(Service& service, ListenOptions opt);
    ~HttpServer();
    // Binds and starts serving; returns the port actually bound. A port already in use is an
    // error (Conflict), never shared.
    Result<int> bind();
    // Blocks until stop() (from any thread).
    Status run();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace liaison::server
