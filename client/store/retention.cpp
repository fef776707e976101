// Retention on the tablet (docs/retention.md): the centre's rule applied to this store's copy.
// The centre writes the masks as changes, which the tablet pulls like any other; here the
// tablet scrubs what it holds besides the current rows (its log, pushed entries included, its
// conflict rows and its search index). It writes no change of its own.
#include <algorithm>
#include <cstdlib>

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

// The newest change in the log: a run has looked at everything up to it.
Result<int64_t> last_seq(db::Db& db) {
    auto& st = db.cached("SELECT coalesce(max(seq), 0) FROM crr_log");
    auto r = st.step();
    if (!r) return r.error();
    const int64_t seq = st.i64(0);
    st.reset();
    return seq;
}

// Whether a change pulled since `seq` can make a visit due or bring a voter's name back: a
// visit, a visitor, a case or the period. Only the newest log rows are read: the unary + keeps
// SQLite on the seq key instead of the (tbl, row) index, which would walk every visitor's rows.
Result<bool> pulled_relevant(db::Db& db, int64_t seq) {
    auto& st = db.cached(
        "SELECT 1 FROM crr_log WHERE seq > ? AND local = 0 AND +tbl IN ('visits', 'visit_visitors', 'cases', "
        "'centre_settings') LIMIT 1");
    st.bind(1, seq);
    auto r = st.step();
    if (!r) return r.error();
    const bool any = *r;
    st.reset();
    return any;
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
        LIAISON_ASSIGN_OR_RETURN(const int64_t seq, last_seq(*db_));
        LIAISON_TRY(set_setting("retention_seq", std::to_string(seq)));
        LIAISON_TRY(tx.commit());
    }
    // The WAL still holds the pages as they were before: copy the scrubbed ones back and empty
    // it. Another connection reading keeps the WAL busy; its next checkpoint does it then.
    if (run.stats.values > 0) LIAISON_TRY(db_->exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    return run;
}

Status Store::retention_after_sync(size_t pulled) {
    LIAISON_ASSIGN_OR_RETURN(const std::string last, setting("retention_last_day"));
    if (last == platform::local_date(wall_())) {
        if (pulled == 0) return {};
        LIAISON_ASSIGN_OR_RETURN(const std::string seen, setting("retention_seq", "0"));
        LIAISON_ASSIGN_OR_RETURN(const bool relevant, pulled_relevant(*db_, std::strtoll(seen.c_str(), nullptr, 10)));
        if (!relevant) return {};
    }
    auto run = run_retention();
    if (!run) return run.error();
    return {};
}

}  // namespace liaison::store
