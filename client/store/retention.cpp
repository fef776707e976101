// Retention on the tablet (docs/retention.md): the centre's rule applied to this store's copy.
// The centre writes the masks as changes, which the tablet pulls like any other; here the
// tablet scrubs what it holds besides the current rows (its log, pushed entries included, its
// conflict rows and its search index). It writes no change of its own.
#include <algorithm>

#include "client/store/store.h"
#include "platform/platform.h"

namespace liaison::store {

namespace retention = domain::retention;

namespace {

// A visitor with a change still in the outbox is left alone until it is pushed: the centre
// must receive what was typed before anything is masked (docs/retention.md, "Unsent changes").
Result<bool> unsent(db::Db& db, const std::string& visitor_id) {
    auto& st = db.cached(
        "SELECT 1 FROM crr_log WHERE tbl = 'visit_visitors' AND row = ? AND local = 1 AND pushed = 0 LIMIT 1");
    st.bind(1, visitor_id);
    auto r = st.step();
    if (!r) return r.error();
    const bool held = *r;
    st.reset();
    return held;
}

}  // namespace

Result<RetentionRun> Store::run_retention() {
    RetentionRun run;
    LIAISON_ASSIGN_OR_RETURN(run.months, retention::period(*db_));
    const std::string today = platform::local_date(wall_());
    if (run.months == 0) {
        LIAISON_TRY(set_setting("retention_last_day", today));
        return run;
    }
    run.cutoff = retention::cutoff(platform::local_datetime(wall_()), run.months);
    {
        LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
        LIAISON_ASSIGN_OR_RETURN(auto due, retention::due_visitors(*db_, run.cutoff));
        std::vector<retention::DueVisitor> now;
        for (auto& d : due) {
            LIAISON_ASSIGN_OR_RETURN(const bool held, unsent(*db_, d.visitor_id));
            if (held)
                ++run.held_back;
            else
                now.push_back(std::move(d));
        }
        LIAISON_ASSIGN_OR_RETURN(run.stats, retention::scrub(*replica_, now, wall_()));
        LIAISON_TRY(set_setting("retention_last_day", today));
        LIAISON_TRY(tx.commit());
    }
    // The WAL still holds the pages as they were before: copy the scrubbed ones back and empty
    // it. Another connection reading keeps the WAL busy; its next checkpoint does it then.
    if (run.stats.values > 0) LIAISON_TRY(db_->exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    return run;
}

Status Store::retention_after_sync(size_t pulled) {
    if (pulled == 0) {
        LIAISON_ASSIGN_OR_RETURN(const std::string last, setting("retention_last_day"));
        if (last == platform::local_date(wall_())) return {};
    }
    auto run = run_retention();
    if (!run) return run.error();
    return {};
}

}  // namespace liaison::store
