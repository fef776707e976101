// The client side of the sync protocol (docs/protocol.md): push the outbox in batches, pull the
// station's feed in pages, enrol a device. Works on a bare Replica over any Transport, so the
// same code runs in the `liaison sync` verb, the background worker and the simulation tests.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sync/core/wire.h"
#include "sync/net/http.h"
#include "sync/net/tuning.h"
#include "sync/replica/replica.h"
#include "sync/replica/sync_state.h"

namespace liaison::sync {

struct SyncConfig {
    std::string token;       // per-device bearer token from enrolment
    std::string station_id;  // this device's station: the only scope it may push
    size_t push_batch = tuning::kPushBatch;
    size_t pull_page = tuning::kPullPage;
    RetryPolicy retry{tuning::kRetryAttempts, tuning::kRetryBaseMs, tuning::kRetryMaxMs, {}, {}, 0};
    // The protocol spoken (docs/protocol.md). 1 behaves as a tablet of the first version would
    // towards the server: field changes only (tests of a server serving both).
    int protocol = kProtocolVersion;
};

struct RoundReport {
    size_t pushed = 0;           // changes the server took (new or already known)
    size_t push_duplicates = 0;  // of which the server already had (a resent batch)
    size_t pulled = 0;           // changes merged here
    size_t pull_duplicates = 0;  // already known here
    size_t withheld = 0;         // local changes this device may not push (centre-only data)
    size_t refused = 0;          // local changes the server refused one by one; set aside, kept here
    size_t skipped = 0;          // pulled changes this device cannot merge; set aside, the rest applied
    size_t restamped = 0;        // never-pushed changes given corrected stamps (clock was wrong)
    size_t requests = 0;
    int64_t cursor = 0;  // server feed position after the round
};

class SyncSession {
public:
    SyncSession(Replica& replica, Transport& transport, SyncConfig cfg);

    // Pushes until the outbox is empty. A batch is marked pushed only after the server said it
    // holds it; a batch sent again after a lost answer is deduplicated there by change id.
    Result<RoundReport> push();
    // Pulls pages until the server has no more. Each page is merged and the cursor saved in one
    // transaction: a cut anywhere leaves either both or neither.
    Result<RoundReport> pull();
    // push then pull, recording the outcome (last success or last error) for `sync --status`.
    Result<RoundReport> round();

private:
    Result<HttpResponse> call(const HttpRequest& req, RoundReport& rep);
    // Moves this device's clock to the server's time last measured by call() (docs/replication.md,
    // "Clock bounds"), inside a transaction the caller holds.
    Status correct_clock(RoundReport& rep);
    Status check_clock_once(RoundReport& rep);
    Status settle_batch(const std::vector<int64_t>& seqs, const nlohmann::json& answer, RoundReport& rep);
    Result<std::vector<FieldChange>> mergeable(const nlohmann::json& arr, RoundReport& rep);
    std::optional<int64_t> measured_offset_;
    Replica& replica_;
    Transport& transport_;
    SyncConfig cfg_;
};

// Resets every statement of the connection that is still mid-step. A cached SELECT left on its
// row keeps a read transaction open, which pins the connection to an old snapshot: a long-lived
// connection (the worker's, the server's pool) would stop seeing other connections' commits.
void release_snapshot(db::Db& db);

// This device's clock offset to the server's (server minus device), from an answer's `Date` header
// and the device times the request left and the answer came back; nullopt without a header.
std::optional<int64_t> server_clock_offset(const HttpResponse& res, int64_t sent_ms, int64_t received_ms);

// One line for an HTTP answer that is not 2xx: the server's JSON message when there is one.
Error http_error(const HttpResponse& res);

// ---- enrolment ----
struct EnrolResult {
    std::string station_id, station_name, device_id;
    size_t adopted_rows = 0;   // local records made before enrolment, moved into the station
    std::string series;        // the queue ticket letter the centre gave this tablet ("" if none)
    std::string series_error;  // why the letter could not be taken here (enrolment still done)
    // The centre said it keeps the recovery key sent with the request.
    bool recovery_escrowed = false;
};

// What enrolment needs from the device beyond its replica: who it is, where its settings go and
// its queue ticket letter. The tablet implements it over its store (client/sync/store_host.h), so
// this layer never sees the store (docs/architecture.md).
class EnrolmentHost {
public:
    struct Identity {
        std::string device_id, device_name;
        std::string station_id;    // "" before `init`
        bool initialized = false;  // `init` named a station here
    };
    virtual ~EnrolmentHost() = default;
    virtual Replica& replica() = 0;
    virtual Result<Identity> identity() = 0;
    // Inside enrol's transaction: the centre's station becomes this device's, with `device_name`
    // when not empty (a device enrolled before `init`).
    virtual Status set_station(const std::string& station_id, const std::string& device_name) = 0;
    // After the transaction: read the identity again, then keep the server's URL and token.
    virtual Status reload_identity() = 0;
    virtual Status set_server(const std::string& url, const std::string& token) = 0;
    // The queue ticket letter this device issues under ("" if none), and taking the centre's
    // choice over any local claim (docs/queue.md).
    virtual Result<std::string> series() = 0;
    virtual Status take_series(const std::string& letter) = 0;
};

// Trades a one-time code for this device's token and station identity, stores them (server URL
// and token through the host) and adopts the station: records made before enrolment under a
// provisional station id are moved into the server's station so they sync with the right scope.
// Refuses to move a tablet that already synced with another station. A `recovery_key` (not
// empty) is sent to be escrowed at the centre; a server that does not keep it says nothing and
// the result's recovery_escrowed stays false (docs/protocol.md, "Enrolment").
Result<EnrolResult> enrol(EnrolmentHost& host, Transport& transport, const std::string& server_url,
                          const std::string& code, const RetryPolicy& retry = {}, const std::string& recovery_key = {});

// The record moving step of enrol, exposed for tests: rewrites never-pushed local changes and
// rows from `from_station` to `to_station`, inside a transaction the caller holds; returns the
// number of change records moved.
Result<size_t> adopt_station(Replica& replica, const std::string& from_station, const std::string& to_station);

}  // namespace liaison::sync
