// What the sync worker reports to the UI. The worker fills it (posted to the UI thread through
// the app's UiQueue); until it exists the app fills `pending` and `conflicts` from the store itself.
#pragma once
#include <cstdint>
#include <string>

namespace liaison::ui {

struct SyncStatus {
    int64_t pending = 0;       // local changes not yet pushed
    std::string last_success;  // "YYYY-MM-DD HH:MM", empty when never
    std::string last_error;    // one line, no PII
    int64_t conflicts = 0;     // open conflicts to review
    bool online = false;
    int64_t clock_off_min = 0;  // how far this tablet's clock is from the server's, in minutes, when over a minute
};

}  // namespace liaison::ui
