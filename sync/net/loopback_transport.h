// An in-process transport for tests: requests go straight to a handler (the central server's
// Service::handle), optionally through a fault injector that drops requests or answers, cuts a
// body at a random byte, delivers twice, replays stale requests late, and adds latency.
#pragma once
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>

#include "sync/net/http.h"

namespace liaison::sync {

struct Faults {
    double drop_request = 0;   // lost before the server saw it
    double drop_response = 0;  // the server acted, the answer is lost
    double cut_response = 0;   // the answer arrives cut at a random byte (connection reset mid-body)
    double duplicate = 0;      // the request is delivered twice (a proxy retried it)
    double replay_stale = 0;   // an earlier request is delivered again now (reordering)
    int64_t latency_ms = 0;    // per exchange, slept on the calling thread
    uint64_t seed = 1;
};

class LoopbackTransport final : public Transport {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;
    explicit LoopbackTransport(Handler h, Faults f = {}) : handler_(std::move(h)), faults_(f), rng_(f.seed) {}

    Result<HttpResponse> send(const HttpRequest& req) override;
    void set_faults(Faults f);
    void set_handler(Handler h);  // a restarted server
    uint64_t exchanges() const { return exchanges_; }

private:
    bool roll(double p);
    Handler handler_;
    Faults faults_;
    std::mt19937_64 rng_;
    std::optional<HttpRequest> stale_;
    uint64_t exchanges_ = 0;
    std::mutex mu_;
};

}  // namespace liaison::sync
