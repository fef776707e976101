#include "sync/net/loopback_transport.h"

#include <chrono>
#include <thread>

namespace liaison::sync {

bool LoopbackTransport::roll(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

void LoopbackTransport::set_faults(Faults f) {
    std::lock_guard<std::mutex> lk(mu_);
    faults_ = f;
    rng_.seed(f.seed);
}

void LoopbackTransport::set_handler(Handler h) {
    std::lock_guard<std::mutex> lk(mu_);
    handler_ = std::move(h);
}

Result<HttpResponse> LoopbackTransport::send(const HttpRequest& req) {
    std::unique_lock<std::mutex> lk(mu_);
    ++exchanges_;
    const Faults f = faults_;
    if (f.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(f.latency_ms));
    if (stale_ && roll(f.replay_stale)) {
        (void)handler_(*stale_);  // its answer goes nowhere: the client gave up on it long ago
        stale_.reset();
    }
    if (roll(f.replay_stale)) stale_ = req;
    if (roll(f.drop_request)) return Error{Error::Kind::Network, "loopback: request dropped"};
    HttpResponse res = handler_(req);
    if (roll(f.duplicate)) res = handler_(req);
    if (roll(f.drop_response)) return Error{Error::Kind::Network, "loopback: response dropped"};
    if (!res.body.empty() && roll(f.cut_response)) {
        // A transport that notices the cut (curl does, by Content-Length) reports it; one that
        // does not hands over a truncated body. Model the worse one: the client must refuse it.
        res.body.resize(std::uniform_int_distribution<size_t>(0, res.body.size() - 1)(rng_));
    }
    return res;
}

}  // namespace liaison::sync
