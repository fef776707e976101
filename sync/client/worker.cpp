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

void Worker::run() {
    std::mt19937_64 rng(static_cast<uint64_t>(platform::monotonic_ms()) ^ 0x9e3779b97f4a7c15ULL);
    std::unique_ptr<store::Store> store;
    std::unique_ptr<Transport> transport;
    std::string transport_url;
    int failures = 0;
    int64_t next_periodic = 0;  // monotonic ms; 0 = not scheduled
    int64_t next_retry = 0;     // after a failed round
    SyncStatus st;

    for (;;) {
        // ---- wait for a reason to sync ----
        {
            std::unique_lock<std::mutex> lk(mu_);
            for (;;) {
                if (stop_) return;
                const int64_t now = platform::monotonic_ms();
                int64_t due = INT64_MAX;
                if (now_) due = now;
                if (dirty_since_ != 0)
                    due = std::min(due, std::min(last_write_ + opt_.debounce_ms, dirty_since_ + opt_.max_debounce_ms));
                // Failing: local writes wait out the backoff too, so an offline tablet does not
                // spin; the retry itself is the probe that notices the server is back.
                if (next_retry != 0) due = next_retry;
                else if (next_periodic != 0) due = std::min(due, next_periodic);
                if (now_) due = now;  // a person asked: no backoff
                if (due <= now) break;
                const int64_t wait = due == INT64_MAX ? 60000 : std::min<int64_t>(due - now, 60000);
                cv_.wait_for(lk, std::chrono::milliseconds(wait));
            }
            now_ = false;
            dirty_since_ = 0;  // writes from here on schedule the next round
            st.syncing = true;
        }
        publish(st);

        // ---- one round on this thread's own connection ----
        Error failure{Error::Kind::Internal, ""};
        bool ok = false;
        if (!store) {
            auto s = store::Store::open(opt_.store_path);
            if (s) store = std::move(*s);
            else failure = s.error();
        }
        if (store) {
            release_snapshot(store->db());
            (void)fill_from_store(*store, st);
            auto dev = store->device();
            auto token = store->token();
            if (!dev || !token) {
                failure = !dev ? dev.error() : token.error();
            } else if (token->empty() || dev->server_url.empty()) {
                failure = Error{Error::Kind::Auth, "not enrolled: enrol this tablet with a code from the centre"};
            } else if (auto sound = store->check(false); !sound) {
                failure = sound.error();  // never push from a damaged store
            } else {
                if (!transport || transport_url != dev->server_url) {
                    if (opt_.make_transport) transport = opt_.make_transport(dev->server_url);
                    else {
                        CurlOptions co;
                        co.base_url = dev->server_url;
                        co.ca_file = opt_.ca_file;
                        transport = std::make_unique<CurlTransport>(co);
                    }
                    transport_url = dev->server_url;
                }
                SyncConfig cfg;
                cfg.token = *token;
                cfg.station_id = dev->station_id;
                cfg.retry.cancelled = [this] {
                    std::lock_guard<std::mutex> lk(mu_);
                    return stop_;
                };
                SyncSession session(store->replica(), *transport, cfg);
                auto r = session.round();
                if (r) ok = true;
                else failure = r.error();
                // Close the connection now: the server gives each open connection a thread, and
                // a round every few minutes gains nothing from keeping it.
                transport.reset();
            }
            (void)fill_from_store(*store, st);
            release_snapshot(store->db());
        }

        const int64_t now = platform::monotonic_ms();
        st.syncing = false;
        if (ok) {
            failures = 0;
            next_retry = 0;
            next_periodic = now + opt_.periodic_ms;
            st.online = true;
            st.last_error.clear();
            ++st.rounds;
        } else {
            // Offline or refused: retry with exponential backoff and full jitter; the first
            // round that gets through is the "network is back" moment and drains the outbox.
            ++failures;
            const int64_t cap = std::min(opt_.offline_max_ms, opt_.offline_base_ms << std::min(failures - 1, 20));
            const bool hopeless = failure.kind == Error::Kind::Auth || failure.kind == Error::Kind::Forbidden;
            const int64_t wait = hopeless ? opt_.offline_max_ms
                                          : cap / 2 + static_cast<int64_t>(rng() % static_cast<uint64_t>(cap / 2 + 1));
            next_retry = now + wait;
            st.online = failure.kind != Error::Kind::Network && failure.kind != Error::Kind::Auth;
            if (!failure.message.empty()) st.last_error = failure.message;
        }
        publish(st);
    }
}

}  // namespace liaison::sync
