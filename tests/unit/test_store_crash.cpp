// A process killed at any instant leaves the store consistent: SIGKILL a writer at random
// moments, then check that every committed visit is whole (row, clock rows, change records,
// search entry) and nothing half-written is visible.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <poll.h>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/db_scalar.h"
#include "client/store/store.h"

using namespace liaison;
using testing_support::scalar;

namespace {

// Writes visits until killed; after the first one is committed it writes a byte to `ready`.
[[noreturn]] void writer(const std::string& path, int ready) {
    auto s = store::Store::open(path);
    if (!s) _exit(3);
    for (int i = 0;; ++i) {
        store::Visit v;
        v.category = "education";
        v.subject = "断电测试 " + std::to_string(i);
        v.content = std::string(2000, 'x');
        v.received_at = "2026-01-01 08:00";
        v.visitors.push_back(store::Visitor{"", "", "赵六", "", "", ""});
        if (!(*s)->add_visit(v)) _exit(4);
        if (i == 0 && (::write(ready, "1", 1) != 1 || ::close(ready) != 0)) _exit(5);
        if (i % 7 == 0) {
            store::VisitPatch p;
            p.subject = "改 " + std::to_string(i);
            auto rows = (*s)->find_visits(store::VisitQuery{});
            if (rows && !rows->empty()) (void)(*s)->update_visit(rows->front().id, p);
        }
    }
}

}  // namespace

TEST_CASE("SIGKILL at random instants never leaves a half-written visit") {
    const auto dir = std::filesystem::temp_directory_path() / ("liaison-crash-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "liaison.db").string();
    {
        store::OpenOptions o;
        o.create = true;
        auto s = store::Store::open(path, o);
        REQUIRE(s);
        REQUIRE((*s)->init("断电站", "crash"));
    }
    std::mt19937 rng(42);
    for (int round = 0; round < 12; ++round) {
        // The random instant is counted from the writer's first commit, not from the fork: a slow
        // start (a loaded machine, a sanitizer build) must not leave a round with nothing written.
        int ready[2];
        REQUIRE(::pipe(ready) == 0);
        const pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::close(ready[0]);
            writer(path, ready[1]);
        }
        ::close(ready[1]);
        pollfd p{ready[0], POLLIN, 0};
        const bool started = ::poll(&p, 1, 60000) == 1;
        char byte = 0;
        const bool wrote = started && ::read(ready[0], &byte, 1) == 1;
        ::close(ready[0]);
        if (!wrote) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        REQUIRE_MESSAGE(wrote, "the writer committed no visit within 60 s");
        usleep(20000 + rng() % 80000);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        REQUIRE(WIFSIGNALED(status));

        auto s = store::Store::open(path);
        REQUIRE(s);
        auto& db = (*s)->db();
        {
            auto st = db.prepare("PRAGMA integrity_check");
            REQUIRE(*st->step());
            CHECK(st->text(0) == "ok");
        }
        const int64_t visits = scalar(db, "SELECT count(*) FROM visits WHERE _deleted = 0");
        CHECK(visits > 0);
        // every visit has its clock row (one for the row made whole: docs/replication.md, "Row
        // changes") and change records; no orphans either way
        CHECK(scalar(db,
                     "SELECT count(*) FROM visits v WHERE NOT EXISTS (SELECT 1 FROM crr_clock k "
                     "WHERE k.tbl = 'visits' AND k.row = v.id AND k.col = '*')") == 0);
        CHECK(scalar(db,
                     "SELECT count(*) FROM crr_clock k WHERE k.tbl = 'visits' AND NOT EXISTS "
                     "(SELECT 1 FROM visits v WHERE v.id = k.row)") == 0);
        CHECK(scalar(db,
                     "SELECT count(*) FROM crr_clock k WHERE NOT EXISTS "
                     "(SELECT 1 FROM crr_log l WHERE l.hlc = k.hlc)") == 0);
        CHECK(scalar(db,
                     "SELECT count(*) FROM visits v WHERE NOT EXISTS "
                     "(SELECT 1 FROM visit_visitors p WHERE p.visit_id = v.id)") == 0);
        CHECK(scalar(db, "SELECT count(*) FROM visit_search") == visits);
        store::VisitQuery q;
        q.text = "断电";
        const int64_t found = (*s)->count_visits(q).value();
        q.text = "改";
        CHECK(found + (*s)->count_visits(q).value() == visits);
    }
    std::filesystem::remove_all(dir);
}
