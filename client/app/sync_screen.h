// The sync screen: what the background sync reports, and the conflicts to review. Also the
// pending and conflict counts the nav bar and home show.
#pragma once
#include <cstdint>

#include "client/app/context.h"
#include "client/ui/ui.h"
#include "sync/client/worker.h"

namespace liaison::app {

class SyncScreen {
public:
    const ui::SyncStatus& status() const { return status_; }
    void draw(ui::Ui& u) { ui::draw_sync(u, view_); }
    void start(int64_t now);   // the counts come just after the first frame
    bool refresh(Context& c);  // counts and conflicts from the store; true when the shown status changed
    // The worker's report, posted to the UI thread; true when it finished a new round.
    bool on_worker_status(const sync::SyncStatus& s);

    void handle(const ui::intent::ResolveConflict& r, Context& c);
    void handle(const ui::intent::ResolveConflictWith& r, Context& c);

    bool run_timers(int64_t now, Context& c);
    int64_t next_deadline() const { return status_due_; }

private:
    ui::SyncStatus status_;
    ui::SyncViewState view_;
    uint64_t rounds_seen_ = 0;
    int64_t status_due_ = 0;  // monotonic ms, 0 = none
};

}  // namespace liaison::app
