// The sync screen's state: counts and conflicts from the store, the worker's reports.
#include "client/app/sync_screen.h"

#include "client/app/tuning.h"
#include "platform/platform.h"
#include "sync/net/tuning.h"

namespace liaison::app {

void SyncScreen::start(int64_t now) {
    // Pending and conflict counts come just after the first frame: on a big store they take a
    // while, and the first frame should not wait for a badge.
    status_due_ = now + tuning::kFirstStatusMs;
}

bool SyncScreen::refresh(Context& c) {
    const ui::SyncStatus before = status_;
    const size_t conflicts_before = view_.conflicts.size();
    if (auto p = c.store.pending_changes()) status_.pending = *p;
    if (auto r = c.store.pending_records()) status_.pending_records = *r;
    if (auto url = c.store.setting("server_url")) status_.enrolled = !url->empty();
    view_.conflicts.clear();
    if (auto cs = c.store.conflicts()) {
        for (auto x : *cs) {
            x.mine = c.shown(x.mine);
            x.theirs = c.shown(x.theirs);
            x.record_label = c.shown(x.record_label);
            view_.conflicts.push_back(std::move(x));
        }
        status_.conflicts = static_cast<int64_t>(cs->size());
    }
    view_.status = status_;
    // Redraw only when something visible changed: the periodic refresh must not cost frames.
    const bool changed = status_.pending != before.pending || status_.pending_records != before.pending_records ||
                         status_.enrolled != before.enrolled || status_.conflicts != before.conflicts ||
                         status_.online != before.online || status_.last_success != before.last_success ||
                         status_.last_error != before.last_error || view_.conflicts.size() != conflicts_before;
    if (changed) c.app.changed();
    return changed;
}

bool SyncScreen::on_worker_status(const sync::SyncStatus& s) {
    const bool new_data = s.rounds != rounds_seen_;
    rounds_seen_ = s.rounds;
    status_.online = s.online;
    status_.enrolled = s.enrolled;
    status_.last_error = s.last_error;
    status_.last_success = s.last_success_ms ? platform::local_datetime(s.last_success_ms) : std::string();
    const int64_t off = s.clock_offset_ms < 0 ? -s.clock_offset_ms : s.clock_offset_ms;
    status_.clock_off_min = off > sync::tuning::kClockWarnMs ? off / 60000 : 0;
    return new_data;
}

void SyncScreen::handle(const ui::intent::ResolveConflict& r, Context& c) {
    auto st = c.store.resolve_conflict(r.id, r.keep);
    view_.message = st ? c.i18n.tr("sync.resolved") : c.error_text(st.error());
    refresh(c);
}

void SyncScreen::handle(const ui::intent::ResolveConflictWith& r, Context& c) {
    auto st = c.store.resolve_conflict_with(r.id, c.stored(r.text));
    view_.message = st ? c.i18n.tr("sync.resolved") : c.error_text(st.error());
    view_.edits.erase(r.id);
    refresh(c);
}

bool SyncScreen::run_timers(int64_t now, Context& c) {
    if (!status_due_ || now < status_due_) return false;
    // Once: afterwards local writes refresh it, and the sync worker posts its own status.
    status_due_ = 0;
    return refresh(c);
}

}  // namespace liaison::app
