// What the sync worker reports to the UI. The worker fills it (posted to the UI thread through
// the app's UiQueue); until it exists the app fills `pending` and `conflicts` from the store itself.
#pragma once
#include <cstdint>
#include <string>

namespace liaison::ui {

struct SyncStatus {
    int64_t pending = 0;          // local field changes not yet pushed
    int64_t pending_records = 0;  // records (a visit, a case, a ticket) with changes not yet pushed
    bool enrolled = false;        // a central server is configured: without one nothing is "offline"

    std::string last_success;  // "YYYY-MM-DD HH:MM", empty when never
    std::string last_error;    // one line, no PII
    int64_t conflicts = 0;     // open conflicts to review
    bool online = false;
    int64_t clock_off_min = 0;  // how far this tablet's clock is from the server's, in minutes, when over a minute
    // Real trouble, worth the orange: the last round failed, the clock is off, conflicts wait.
    bool trouble() const { return conflicts > 0 || (enrolled && !last_error.empty()) || clock_off_min > 0; }
};

}  // namespace liaison::ui
