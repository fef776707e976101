// The tablet's side of the sync client: the hosts of sync/client over the station store, so the
// sync layer never sees the store (docs/architecture.md). Enrolment keeps the centre's station,
// server and ticket letter in the store; the background loop reads its credentials there.
#pragma once
#include <memory>
#include <string>

#include "base/result.h"
#include "client/store/store.h"
#include "sync/client/session.h"
#include "sync/client/worker.h"

namespace liaison::sync {

class StoreHost : public EnrolmentHost, public WorkerHost {
public:
    explicit StoreHost(store::Store& store) : store_(store) {}
    // A host over a store of its own, opened at `path` with the signed-in person's key (the
    // background loop's connection: it runs only after a sign-in, docs/security.md).
    static Result<std::unique_ptr<StoreHost>> open(const std::string& path,
                                                   std::shared_ptr<const db::StoreKey> key = nullptr);

    Replica& replica() override { return store_.replica(); }
    // ---- EnrolmentHost ----
    Result<Identity> identity() override;
    Status set_station(const std::string& station_id, const std::string& device_name) override;
    Status reload_identity() override { return store_.load_identity(); }
    Status set_server(const std::string& url, const std::string& token) override;
    Result<std::string> series() override;
    Status take_series(const std::string& letter) override;
    // ---- WorkerHost ----
    Result<Credentials> credentials() override;
    Status check() override { return store_.check(false); }
    Status after_round(size_t pulled) override { return store_.retention_after_sync(pulled); }

private:
    explicit StoreHost(std::unique_ptr<store::Store> owned) : store_(*owned), owned_(std::move(owned)) {}
    store::Store& store_;
    std::unique_ptr<store::Store> owned_;  // set by open()
};

// Enrols the tablet whose store this is (sync::enrol over a StoreHost; see sync/client/session.h).
Result<EnrolResult> enrol(store::Store& store, Transport& transport, const std::string& server_url,
                          const std::string& code, const RetryPolicy& retry = {}, const std::string& recovery_key = {});

}  // namespace liaison::sync
