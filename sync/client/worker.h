// The background sync worker: its own thread and its own SQLite connection (its own Store on the
// same file), so the UI never waits on the network or on a sync transaction longer than SQLite's
// busy timeout. It syncs after local writes (debounced), periodically, and as soon as the server
// answers again after an outage, and publishes a status snapshot for the sync screen.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sync/net/http.h"
#include "sync/net/tuning.h"
#include "base/result.h"

namespace liaison::store {
class Store;
}

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

// The persisted part of the status, for `liaison sync --status` from another process.
Result<SyncStatus> read_status(const std::string& store_path);

struct WorkerOptions {
    std::string store_path;
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

class Worker {
public:
    explicit Worker(WorkerOptions opt);
    ~Worker();  // stops and joins
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

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
    Status exchange(Loop& loop, store::Store& store);
    void schedule_next(Loop& loop, const Status& result);
    void publish(const SyncStatus& s);

    WorkerOptions opt_;
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
