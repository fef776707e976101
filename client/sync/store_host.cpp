#include "client/sync/store_host.h"

#include "client/store/queue.h"

namespace liaison::sync {

Result<std::unique_ptr<StoreHost>> StoreHost::open(const std::string& path, std::shared_ptr<const db::StoreKey> key) {
    store::OpenOptions opt;
    opt.key = std::move(key);
    auto s = store::Store::open(path, opt);
    if (!s) return s.error();
    return std::unique_ptr<StoreHost>(new StoreHost(std::move(*s)));
}

Result<EnrolmentHost::Identity> StoreHost::identity() {
    auto dev = store_.device();
    if (!dev) return dev.error();
    Identity id;
    id.device_id = dev->device_id;
    id.device_name = dev->device_name;
    id.station_id = store_.station_id();
    id.initialized = store_.initialized();
    return id;
}

Status StoreHost::set_station(const std::string& station_id, const std::string& device_name) {
    LIAISON_TRY(store_.set_setting("station_id", station_id));
    if (!device_name.empty()) LIAISON_TRY(store_.set_setting("device_name", device_name));
    return {};
}

Status StoreHost::set_server(const std::string& url, const std::string& token) { return store_.set_server(url, token); }

Result<std::string> StoreHost::series() { return store::queue::series(store_); }

Status StoreHost::take_series(const std::string& letter) {
    return store::queue::set_series(store_, letter, /*replace=*/true);
}

Result<WorkerHost::Credentials> StoreHost::credentials() {
    auto dev = store_.device();
    if (!dev) return dev.error();
    auto token = store_.token();
    if (!token) return token.error();
    return Credentials{dev->server_url, *token, dev->station_id};
}

Result<EnrolResult> enrol(store::Store& store, Transport& transport, const std::string& server_url,
                          const std::string& code, const RetryPolicy& retry, const std::string& recovery_key) {
    StoreHost host(store);
    return enrol(host, transport, server_url, code, retry, recovery_key);
}

}  // namespace liaison::sync
