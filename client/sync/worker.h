// The tablet's background sync worker: the sync loop of sync/client/worker.h over a connection of
// its own to the station store (a StoreHost opened on `store_path`), so the UI never waits on the
// network or on a sync transaction longer than SQLite's busy timeout.
#pragma once
#include <string>

#include "base/result.h"
#include "client/sync/store_host.h"
#include "sync/client/worker.h"

namespace liaison::sync {

struct WorkerOptions : SyncLoopOptions {
    std::string store_path;                   // the loop opens its own store on this file (unless open_host is set)
    std::shared_ptr<const db::StoreKey> key;  // ... with this key (the store's, after a sign-in)
};

class Worker : public SyncLoop {
public:
    explicit Worker(WorkerOptions opt);
};

// The persisted part of the status, for `liaison sync --status` from another process.
Result<SyncStatus> read_status(const std::string& store_path, std::shared_ptr<const db::StoreKey> key = nullptr);

}  // namespace liaison::sync
