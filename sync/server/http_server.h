// The HTTP listener: cpp-httplib in front of Service::handle.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "sync/core/result.h"
#include "sync/server/service.h"

namespace liaison::server {

struct ListenOptions {
    std::string host = "127.0.0.1";
    int port = 0;  // 0 = any free port (reported through on_listening)
    int threads = sync::tuning::kServerThreads;
    size_t max_request_bytes = sync::tuning::kMaxRequestBytes;
};

class HttpServer {
public:
    HttpServer(Service& service, ListenOptions opt);
    ~HttpServer();
    // Binds; returns the port actually bound.
    Result<int> bind();
    // Serves until stop() (from any thread).
    Status run();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace liaison::server
