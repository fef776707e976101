#include "sync/client/worker.h"

#include <stdexcept>
#include <algorithm>
#include <chrono>
#include <random>

#include "platform/platform.h"
#include "sync/client/curl_transport.h"
#include "sync/client/session.h"

namespace liaison::sync {
namespace {

int64_t to_i64(const std::string& s) {
    try {
        return s.empty() ? 0 : std::stoll(s);
    } catch (const std::logic_error&) {  // std::invalid_argument or std::out_of_range: an unset count
        return 0;
    }
}

Status count_into(Result<int64_t> n, int64_t& out) {
    if (!n) return n.error();
    out = *n;
    return {};
}

Status state_into(db::Db& db, const char* key, std::string& out) {
    auto v = sync_state::get(db, key);
    if (!v) return v.error();
    out = std::move(*v);
    return {};
}

// Everything the status shows that the database knows (shared by the loop and read_status).
Status fill_from_host(WorkerHost& host, SyncStatus& out) {
    Replica& rep = host.replica();
    db::Db& db = rep.db();
    LIAISON_TRY(count_into(rep.pending_count(), out.pending));
    LIAISON_TRY(count_into(rep.conflict_count(), out.conflicts));
    LIAISON_TRY(count_into(sync_state::withheld_count(db), out.withheld));
    LIAISON_TRY(count_into(sync_state::refused_count(db), out.refused));
    LIAISON_TRY(count_into(sync_state::skipped_count(db), out.skipped));
    out.clock_offset_ms = rep.clock_offset_ms();
    auto cred = host.credentials();
    if (!cred) return cred.error();
    out.enrolled = !cred->token.empty();
    std::string success, attempt;
    LIAISON_TRY(state_into(db, "last_success_ms", success));
    LIAISON_TRY(state_into(db, "last_attempt_ms", attempt));
    LIAISON_TRY(state_into(db, "last_error", out.last_error));
    out.last_success_ms = to_i64(success);
    out.last_attempt_ms = to_i64(attempt);
    return {};
}

}  // namespace

Result<SyncStatus> read_status(WorkerHost& host) {
    SyncStatus st;
    LIAISON_TRY(fill_from_host(host, st));
    st.online = st.last_error.empty() && st.last_success_ms > 0;
    return st;
}

SyncLoop::SyncLoop(SyncLoopOptions opt) : opt_(std::move(opt)) {}

SyncLoop::~SyncLoop() { stop(); }

void SyncLoop::start() {
    std::lock_guard<std::mutex> lk(mu_);
    if (thread_.joinable()) return;
    stop_ = false;
    now_ = true;  // a first round right away: the app just started, pull what happened meanwhile
    thread_ = std::thread([this] { run(); });
}

void SyncLoop::stop() {
    {
        std::lock_guard<std::mutex> lk(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SyncLoop::notify_local_write() {
    {
        std::lock_guard<std::mutex> lk(mu_);
        const int64_t now = platform::monotonic_ms();
        if (dirty_since_ == 0) dirty_since_ = now;
        last_write_ = now;
    }
    cv_.notify_all();
}

void SyncLoop::sync_now() {
    {
        std::lock_guard<std::mutex> lk(mu_);
        now_ = true;
    }
    cv_.notify_all();
}

SyncStatus SyncLoop::status() const {
    std::lock_guard<std::mutex> lk(mu_);
    return status_;
}

void SyncLoop::publish(const SyncStatus& s) {
    {
        std::lock_guard<std::mutex> lk(mu_);
        status_ = s;
    }
    if (opt_.on_status) opt_.on_status(s);
}

struct SyncLoop::Loop {
    std::mt19937_64 rng{static_cast<uint64_t>(platform::monotonic_ms()) ^ 0x9e3779b97f4a7c15ULL};
    std::unique_ptr<WorkerHost> host;
    std::unique_ptr<Transport> transport;
    std::string transport_url;
    int failures = 0;
    int64_t next_periodic = 0;  // monotonic ms; 0 = not scheduled
    int64_t next_retry = 0;     // after a failed round
    size_t pulled = 0;          // changes merged by the last exchange
    SyncStatus st;
};

void SyncLoop::run() {
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
bool SyncLoop::wait_for_reason(Loop& loop) {
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
Status SyncLoop::round(Loop& loop) {
    if (!loop.host) {
        if (!opt_.open_host) return Error{Error::Kind::Internal, "the sync loop has no database to open"};
        auto h = opt_.open_host();
        if (!h) return h.error();
        loop.host = std::move(*h);
    }
    WorkerHost& host = *loop.host;
    release_snapshot(host.replica().db());
    (void)fill_from_host(host, loop.st);  // a status that cannot be read keeps its last values
    loop.pulled = 0;
    Status result = exchange(loop, host);
    // Retention (docs/retention.md): after a pull, and once a day also when offline.
    if (Status kept = host.after_round(loop.pulled); !kept && result) result = kept;
    (void)fill_from_host(host, loop.st);
    release_snapshot(host.replica().db());
    return result;
}

// Push and pull with the server the tablet is enrolled with.
Status SyncLoop::exchange(Loop& loop, WorkerHost& host) {
    auto cred = host.credentials();
    if (!cred) return cred.error();
    if (cred->token.empty() || cred->server_url.empty())
        return Error{Error::Kind::Auth, "not enrolled: enrol this tablet with a code from the centre"};
    LIAISON_TRY(host.check());  // never push from a damaged store
    if (!loop.transport || loop.transport_url != cred->server_url) {
        if (opt_.make_transport) {
            loop.transport = opt_.make_transport(cred->server_url);
        } else {
            CurlOptions co;
            co.base_url = cred->server_url;
            co.ca_file = opt_.ca_file;
            loop.transport = std::make_unique<CurlTransport>(co);
        }
        loop.transport_url = cred->server_url;
    }
    SyncConfig cfg;
    cfg.token = cred->token;
    cfg.station_id = cred->station_id;
    cfg.retry.cancelled = [this] {
        std::lock_guard<std::mutex> lk(mu_);
        return stop_;
    };
    SyncSession session(host.replica(), *loop.transport, cfg);
    auto report = session.round();
    // Close the connection now: the server gives each open connection a thread, and a round
    // every few minutes gains nothing from keeping it.
    loop.transport.reset();
    if (!report) return report.error();
    loop.pulled = report->pulled;
    return {};
}

// The next periodic round after a success; after a failure, a retry with backoff.
void SyncLoop::schedule_next(Loop& loop, const Status& result) {
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
