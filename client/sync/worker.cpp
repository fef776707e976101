#include "client/sync/worker.h"

#include <utility>

namespace liaison::sync {
namespace {

SyncLoopOptions over_store(WorkerOptions opt) {
    const std::string path = opt.store_path;
    auto key = opt.key;
    SyncLoopOptions loop = std::move(opt);
    if (!loop.open_host) {
        loop.open_host = [path, key]() -> Result<std::unique_ptr<WorkerHost>> {
            auto host = StoreHost::open(path, key);
            if (!host) return host.error();
            return std::unique_ptr<WorkerHost>(std::move(*host));
        };
    }
    return loop;
}

}  // namespace

Worker::Worker(WorkerOptions opt) : SyncLoop(over_store(std::move(opt))) {}

Result<SyncStatus> read_status(const std::string& store_path, std::shared_ptr<const db::StoreKey> key) {
    auto host = StoreHost::open(store_path, std::move(key));
    if (!host) return host.error();
    return read_status(**host);
}

}  // namespace liaison::sync
