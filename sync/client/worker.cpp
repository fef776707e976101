#include "sync/client/worker.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "client/store/store.h"
#include "platform/platform.h"
#include "sync/client/curl_transport.h"
#include "sync/client/session.h"

namespace liaison::sync {
namespace {

int64_t to_i64(const std::string& s) {
    try {
        return s.empty() ? 0 : std::stoll(s);
    } catch (...) {
        return 0;
    }
}

// Everything the status shows that the database knows (shared by the worker and read_status).
Status fill_from_store(store::Store& s, SyncStatus& out) {
    auto pending = s.pending_changes();
    if (!pending) return pending.error();
    out.pending = *pending;
    auto conflicts = s.replica().conflict_count();
    if (!conflicts) return conflicts.error();
    out.conflicts = *conflicts;
    auto withheld = sync_state::withheld_count(s.db());
    if (!withheld) return withheld.error();
    out.withheld = *withheld;
    auto refused = sync_state::refused_count(s.db());
    if (!refused) return refused.error();
    out.refused = *refused;
    auto skipped = sync_state::skipped_count(s.db());
    if (!skipped) return skipped.error();
    out.skipped = *skipped;
    out.clock_offset_ms = s.replica().clock_offset_ms();
    auto token = s.token();
    if (!token) return token.error();
    out.enrolled = !token->empty();
    out.last_success_ms = to_i64(sync_state::get(s.db(), "last_success_ms").value());
    out.last_attempt_ms = to_i64(sync_state::get(s.db(), "last_attempt_ms").value());
    out.last_error = sync_state::get(s.db(), "last_error").value();
    return {};
}

}  // namespace

Result<SyncStatus> read_status(const std::string& store_path) {
    auto s = store::Store::open(store_path);
    if (!s) return s.error();
    SyncStatus st;
    LIAISON_TRY(fill_from_store(**s, st));
    st.online = st.last_error.empty() && st.last_success_ms > 0;
    return st;
}

Worker::Worker(WorkerOptions opt) : opt_(std::move(opt)) {}

Worker::~Worker() { stop(); }

void Worker::start() {
    std::lock_guard<std::mutex> lk(mu_);
    if (thread_.joinable()) return;
    stop_ = false;
    now_ = true;  // a first round right away: the app just started, pull what happened meanwhile
    thread_ = std::thread([this] { run(); });
}

void Worker::stop() {
    {
        std::lock_guard<std::mutex> lk(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Worker::notify_local_write() {
    {
        std::lock_guard<std::mutex> lk(mu_);
        const int64_t now = platform::monotonic_ms();
        if (dirty_since_ == 0) dirty_since_ = now;
        last_write_ = now;
    }
    cv_.notify_all();
}

void Worker::sync_now() {
    {
        std::lock_guard<std::mutex> lk(mu_);
        now_ = true;
    }
    cv_.notify_all();
}

SyncStatus Worker::status() const {
    std::lock_guard<std::mutex> lk(mu_);
    return status_;
}

void Worker::publish(const SyncStatus& s) {
    {
        std::lock_guard<std::mutex> lk(mu_);
        status_ = s;
    }
    if (opt_.on_status) opt_.on_status(s);
}

struct Worker::Loop {
    std::mt19937_64 rng{static_cast<uint64_t>(platform::monotonic_ms()) ^ 0x9e3779b97f4a7c15ULL};
    std::unique_ptr<store::Store> store;
    std::unique_ptr<Transport> transport;
    std::string transport_url;
    int failures = 0;
    int64_t next_periodic = 0;  // monotonic ms; 0 = not scheduled
    int64_t next_retry = 0;     // after a failed round
    SyncStatus st;
};

void Worker::run() {
    Loop loop;
    while (wait_for_reason(loop)) {
        publish(loop.st);
        const Status result = round(loop);
        schedule_next(loop, result);
        publish(loop.st);
    }
}

// Sleeps until a round is due: asked for, local writes debounced, the periodic pull, or the
// retry after a failure.
bool Worker::wait_for_reason(Loop& loop) {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
        if (stop_) return false;
        const int64_t now = platform::monotonic_ms();
        int64_t due = INT64_MAX;
        if (now_) due = now;
        if (dirty_since_ != 0)
            due = std::min(due, std::min(last_write_ + opt_.debounce_ms, dirty_since_ + opt_.max_debounce_ms));
        // Failing: local writes wait out the backoff too, so an offline tablet does not
        // spin; the retry itself is the probe that notices the server is back.
        if (loop.next_retry != 0)
            due = loop.next_retry;
        else if (loop.next_periodic != 0)
            due = std::min(due, loop.next_periodic);
        if (now_) due = now;  // a person asked: no backoff
        if (due <= now) break;
        const int64_t wait = due == INT64_MAX ? 60000 : std::min<int64_t>(due - now, 60000);
        cv_.wait_for(lk, std::chrono::milliseconds(wait));
    }
    now_ = false;
    dirty_since_ = 0;  // writes from here on schedule the next round
    loop.st.syncing = true;
    return true;
}

// One round on this thread's own connection to the database.
Status Worker::round(Loop& loop) {
    if (!loop.store) {
        auto s = store::Store::open(opt_.store_path);
        if (!s) return s.error();
        loop.store = std::move(*s);
    }
    store::Store& store = *loop.store;
    release_snapshot(store.db());
    (void)fill_from_store(store, loop.st);
    Status result = exchange(loop, store);
    (void)fill_from_store(store, loop.st);
    release_snapshot(store.db());
    return result;
}

// Push and pull with the server the tablet is enrolled with.
Status Worker::exchange(Loop& loop, store::Store& store) {
    auto dev = store.device();
    if (!dev) return dev.error();
    auto token = store.token();
    if (!token) return token.error();
    if (token->empty() || dev->server_url.empty())
        return Error{Error::Kind::Auth, "not enrolled: enrol this tablet with a code from the centre"};
    LIAISON_TRY(store.check(false));  // never push from a damaged store
    if (!loop.transport || loop.transport_url != dev->server_url) {
        if (opt_.make_transport) {
            loop.transport = opt_.make_transport(dev->server_url);
        } else {
            CurlOptions co;
            co.base_url = dev->server_url;
            co.ca_file = opt_.ca_file;
            loop.transport = std::make_unique<CurlTransport>(co);
        }
        loop.transport_url = dev->server_url;
    }
    SyncConfig cfg;
    cfg.token = *token;
    cfg.station_id = dev->station_id;
    cfg.retry.cancelled = [this] {
        std::lock_guard<std::mutex> lk(mu_);
        return stop_;
    };
    SyncSession session(store.replica(), *loop.transport, cfg);
    auto report = session.round();
    // Close the connection now: the server gives each open connection a thread, and a round
    // every few minutes gains nothing from keeping it.
    loop.transport.reset();
    if (!report) return report.error();
    return {};
}

// The next periodic round after a success; after a failure, a retry with backoff.
void Worker::schedule_next(Loop& loop, const Status& result) {
    const int64_t now = platform::monotonic_ms();
    SyncStatus& st = loop.st;
    st.syncing = false;
    if (result) {
        loop.failures = 0;
        loop.next_retry = 0;
        loop.next_periodic = now + opt_.periodic_ms;
        st.online = true;
        st.last_error.clear();
        ++st.rounds;
        return;
    }
    // Offline or refused: retry with exponential backoff and full jitter; the first round that
    // gets through is the "network is back" moment and drains the outbox.
    const Error& failure = result.error();
    ++loop.failures;
    const int64_t cap = std::min(opt_.offline_max_ms, opt_.offline_base_ms << std::min(loop.failures - 1, 20));
    const bool hopeless = failure.kind == Error::Kind::Auth || failure.kind == Error::Kind::Forbidden;
    const int64_t wait = hopeless ? opt_.offline_max_ms
                                  : cap / 2 + static_cast<int64_t>(loop.rng() % static_cast<uint64_t>(cap / 2 + 1));
    loop.next_retry = now + wait;
    st.online = failure.kind != Error::Kind::Network && failure.kind != Error::Kind::Auth;
    if (!failure.message.empty()) st.last_error = failure.message;
}

}  // namespace liaison::sync
