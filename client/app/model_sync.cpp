// What the background sync worker tells the UI (posted to the UI thread through UiQueue).
#include "client/app/model.h"
#include "platform/platform.h"

namespace liaison::app {

void AppModel::on_sync_status(const sync::SyncStatus& s) {
    const bool new_data = s.rounds != sync_rounds_seen;
    sync_rounds_seen = s.rounds;
    sync.online = s.online;
    sync.last_error = s.last_error;
    const int64_t off = s.clock_offset_ms < 0 ? -s.clock_offset_ms : s.clock_offset_ms;
    sync.clock_off_min = off > sync::tuning::kClockWarnMs ? off / 60000 : 0;
    sync.last_success = s.last_success_ms ? platform::local_datetime(s.last_success_ms) : std::string();
    // The worker wrote on its own connection: drop any snapshot this one still holds, then
    // reload what a finished round may have changed (pulled visits, cases, reference data).
    store->refresh();
    if (new_data) {
        load_ref();
        refresh_home();
        run_list_query();
    }
    refresh_status();
    data_changed = true;
}

}  // namespace liaison::app
