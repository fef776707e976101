// The background sync loop: its own thread and its own SQLite connection (opened through a
// WorkerHost, on the same file as the UI's), so the UI never waits on the network or on a sync
// transaction longer than SQLite's busy timeout. It syncs after local writes (debounced),
// periodically, and as soon as the server answers again after an outage, and publishes a status
// snapshot for the sync screen. The tablet's worker over its store is client/sync/worker.h.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.h"
#include "sync/net/http.h"
#include "sync/net/tuning.h"
#include "sync/replica/replica.h"

namespace liaison::sync {

struct SyncStatus {
    int64_t pending = 0;          // local changes not yet on the server
    int64_t withheld = 0;         // local edits of centre-only data, never sent
    int64_t conflicts = 0;        // open conflicts to review
    int64_t refused = 0;          // local changes the server refused; set aside, kept here
    int64_t skipped = 0;          // pulled changes this device could not merge; set aside
    int64_t clock_offset_ms = 0;  // server clock minus this device's, as last measured (0 = within tolerance)
    int64_t last_success_ms = 0;  // unix ms of the last complete round, 0 = never
    int64_t last_attempt_ms = 0;
    std::string last_error;  // one line, no PII; "" after a success
    bool enrolled = false;
    bool online = false;   // the last exchange with the server succeeded
    bool syncing = false;  // a round is running now
    uint64_t rounds = 0;   // completed rounds since start
};

// What the loop needs of the device beyond its replica: where to sync, with which credentials,
// and whether its database is sound. The tablet implements it over its store
// (client/sync/store_host.h), so this layer never sees the store (docs/architecture.md).
class WorkerHost {
public:
    struct Credentials {
        std::string server_url, token;  // both empty until enrolled
        std::string station_id;         // the only scope this device may push
    };
    virtual ~WorkerHost() = default;
    virtual Replica& replica() = 0;
    virtual Result<Credentials> credentials() = 0;
    // The database's quick check: never push from a damaged one.
    virtual Status check() = 0;
    // After every round, `pulled` changes merged (0 when offline): the tablet's retention run
    // (docs/retention.md).
    virtual Status after_round(size_t /*pulled*/) { return {}; }
};

// The persisted part of the status (what the database knows), for `liaison sync --status`.
Result<SyncStatus> read_status(WorkerHost& host);

struct SyncLoopOptions {
    // Opens the loop's own connection to the device's database, on the loop's thread (again at
    // the next round when it failed).
    std::function<Result<std::unique_ptr<WorkerHost>>()> open_host;
    // Makes the transport for a server URL; default: CurlTransport with the CA file below.
    std::function<std::unique_ptr<Transport>(const std::string& url)> make_transport;
    std::string ca_file;
    int64_t debounce_ms = tuning::kDebounceMs;
    int64_t max_debounce_ms = tuning::kMaxDebounceMs;
    int64_t periodic_ms = tuning::kPeriodicMs;
    int64_t offline_base_ms = tuning::kOfflineRetryBaseMs;
    int64_t offline_max_ms = tuning::kOfflineRetryMaxMs;
    // Called on the worker thread after every change of status (the app posts it to the UI queue).
    std::function<void(const SyncStatus&)> on_status;
};

class SyncLoop {
public:
    explicit SyncLoop(SyncLoopOptions opt);
    ~SyncLoop();  // stops and joins
    SyncLoop(const SyncLoop&) = delete;
    SyncLoop& operator=(const SyncLoop&) = delete;

    void start();
    void stop();
    // Cheap and non-blocking: call after every local commit. Bursts collapse into one round.
    void notify_local_write();
    // The platform saw the network come back, or the person pressed "sync now".
    void sync_now();
    SyncStatus status() const;  // a copy, safe from any thread

private:
    struct Loop;  // the worker thread's own state between rounds (worker.cpp)
    void run();
    bool wait_for_reason(Loop& loop);  // false: stop() was called
    Status round(Loop& loop);
    Status exchange(Loop& loop, WorkerHost& host);
    void schedule_next(Loop& loop, const Status& result);
    void publish(const SyncStatus& s);

    SyncLoopOptions opt_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::thread thread_;
    bool stop_ = false;
    bool now_ = false;         // sync_now() asked
    int64_t dirty_since_ = 0;  // monotonic ms of the first unsynced local write, 0 = none
    int64_t last_write_ = 0;   // monotonic ms of the latest local write
    SyncStatus status_;
};

}  // namespace liaison::sync
