#include "client/sync/worker.h"

#include <utility>

namespace liaison::sync {
namespace {

SyncLoopOptions over_store(WorkerOptions opt) {
    const std::string path = opt.store_path;
    SyncLoopOptions loop = std::move(opt);
    if (!loop.open_host) {
        loop.open_host = [path]() -> Result<std::unique_ptr<WorkerHost>> {
            auto host = StoreHost::open(path);
            if (!host) return host.error();
            return std::unique_ptr<WorkerHost>(std::move(*host));
        };
    }
    return loop;
}

}  // namespace

Worker::Worker(WorkerOptions opt) : SyncLoop(over_store(std::move(opt))) {}

Result<SyncStatus> read_status(const std::string& store_path) {
    auto host = StoreHost::open(store_path);
    if (!host) return host.error();
    return read_status(**host);
}

}  // namespace liaison::sync
