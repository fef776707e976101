// The central server's protocol and admin API as one pure request handler: HttpRequest in,
// HttpResponse out. The HTTP listener (http_server.cpp) and the tests' LoopbackTransport both
// call it. No exception leaves handle(): every failure becomes a JSON error with a 4xx/5xx code.
#pragma once
#include <functional>
#include <string>

#include "sync/net/http.h"
#include "sync/net/tuning.h"
#include "sync/server/console.h"
#include "sync/server/storage.h"
#include "sync/server/throttle.h"

namespace liaison::server {

struct ServiceOptions {
    size_t max_request_bytes = sync::tuning::kMaxRequestBytes;
    size_t max_inflated_bytes = sync::tuning::kMaxInflatedBytes;
    size_t max_changes_per_push = sync::tuning::kMaxChangesPerPush;
    size_t max_pull_page = sync::tuning::kPullPageMax;
    std::string admin_token;  // from --admin-token; the database's admin token also works
    // One line per request: method, route, status, device and counts. Never bodies or values.
    std::function<void(const std::string&)> log;
    bool log_all = false;  // false: only errors and admin actions
    // Wrong enrolment codes per client address: this many at once, then one per refill period
    // (429 with Retry-After in between).
    int enrol_guesses = 10;
    int64_t enrol_guess_refill_ms = 6000;
    ConsoleOptions console;  // the web console below /console (docs/console.md)
};

class Service {
public:
    Service(Storage& storage, ServiceOptions opt)
        : storage_(storage),
          opt_(std::move(opt)),
          enrol_guesses_(opt_.enrol_guesses, opt_.enrol_guess_refill_ms),
          console_(storage, opt_.console) {}
    sync::HttpResponse handle(const sync::HttpRequest& req);

private:
    sync::HttpResponse route(const sync::HttpRequest& req, std::string& log_note);
    sync::HttpResponse enrol(const sync::HttpRequest& req, std::string& note, int version);
    sync::HttpResponse push(const sync::HttpRequest& req, std::string& note, int version);
    sync::HttpResponse pull(const sync::HttpRequest& req, std::string& note, int version);
    Result<bool> admin_authorised(const sync::HttpRequest& req);
    sync::HttpResponse admin(const sync::HttpRequest& req, const std::string& path, std::string& note);

    Storage& storage_;
    ServiceOptions opt_;
    FailureThrottle enrol_guesses_;
    Console console_;
};

// Refuses a pushed change that claims another station or breaks a field rule (one Status per
// change, so a push can refuse the whole batch or only the bad changes).
Status check_claims(const DeviceRecord& device, const sync::FieldChange& change);

// Admin operations shared by the HTTP admin API and the liaison-central command line.
Result<std::string> issue_enrol_code(Storage& s, const std::string& station_id);  // the code, in clear
Result<std::string> add_station(Storage& s, const StationRecord& st);             // the new id
Result<std::string> new_admin_token(Storage& s);                                  // stored hashed

}  // namespace liaison::server
