// Failover on PostgreSQL (docs/server.md, "Failover runs"): two liaison-central processes on one
// database. A process killed (SIGKILL) in the middle of a push: the tablet's retry goes to the
// other process and the server ends with every change once. PostgreSQL itself stopped and
// started again in the middle of a load of pushes: the processes answer 503 meanwhile and
// reconnect after, the tablets retry, and every acknowledged change is on the server. Run only
// against test clusters (ctest test_pg_failover, fixture pg); the restart gets a cluster of its
// own, so the other tests' cluster keeps running.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <thread>

#include <nlohmann/json.hpp>

#include "../support/pg_test_db.h"
#include "client/store/store.h"
#include "client/sync/store_host.h"
#include "platform/platform.h"
#include "server_process.h"
#include "sim_device.h"
#include "sync/client/curl_transport.h"
#include "sync/client/session.h"
#include "sync/core/row.h"
#include "sync/core/wire.h"

using namespace liaison;
using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

int64_t ms_since(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// scripts/pg-cluster.sh VERB DIR; its last line of output, and its exit code in *code.
std::string cluster(const std::string& verb, const std::string& dir, int* code) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        ::close(fds[1]);  // else PostgreSQL, started by the script, would hold the pipe open
        std::vector<std::string> all = {LIAISON_PG_CLUSTER_SCRIPT, verb, dir};
        std::vector<char*> argv;
        argv.reserve(all.size() + 1);
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    std::string out;
    char buf[1024];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return e2e::last_line(out);
}

// A throwaway cluster of this test alone, stopped and removed at the end.
struct OwnCluster {
    std::string dir = "/tmp/liaison-pgfo-" + std::to_string(::getpid());
    std::string url;
    OwnCluster() {
        int code = 0;
        const std::string admin = cluster("start", dir, &code);
        REQUIRE_MESSAGE(code == 0, "the test's own PostgreSQL cluster did not start");
        pg_test::Conn c(admin);
        REQUIRE(c.ok());
        std::string err;
        c.rows("CREATE DATABASE failover", &err);
        REQUIRE_MESSAGE(err.empty(), err);
        url = "postgresql://liaison@/failover?host=" + dir + "/sock";
    }
    ~OwnCluster() {
        int code = 0;
        cluster("stop", dir, &code);
    }
    void verb(const std::string& v) {
        int code = 0;
        cluster(v, dir, &code);
        REQUIRE_MESSAGE(code == 0, "pg-cluster.sh " << v << " failed");
    }
};

sync::CurlOptions curl_to(const std::string& url) {
    sync::CurlOptions o;
    o.base_url = url;
    return o;
}

std::string add_station(const std::string& db, const std::string& name) {
    int code = 0;
    std::string id = e2e::last_line(e2e::run_central(db, {"station", "add", name}, &code));
    REQUIRE(code == 0);
    return id;
}

// A tablet's store, enrolled to `station` through `url`.
std::unique_ptr<store::Store> enrolled(const std::filesystem::path& file, const std::string& db, const std::string& url,
                                       const std::string& station) {
    store::OpenOptions o;
    o.create = true;
    auto st = store::Store::open(file.string(), o);
    REQUIRE(st.ok());
    int code = 0;
    const std::string enrol_code = e2e::last_line(e2e::run_central(db, {"enrol-code", station}, &code));
    REQUIRE(code == 0);
    sync::CurlTransport t(curl_to(url));
    REQUIRE(sync::enrol(**st, t, url, enrol_code).ok());
    st->reset();
    auto again = store::Store::open(file.string(), o);
    REQUIRE(again.ok());
    return std::move(*again);
}

void add_visits(store::Store& st, int n, const std::string& tag) {
    std::vector<store::Visit> visits;
    for (int i = 0; i < n; ++i) {
        store::Visit v;
        v.subject = tag + " 来访 " + std::to_string(i);
        v.content = "反映的问题 " + std::to_string(i);
        v.category = "urban";
        v.received_at = "2025-03-01 09:30";
        v.visitors.push_back(store::Visitor{"", "", "访客" + std::to_string(i), "13800138000", "", ""});
        visits.push_back(v);
    }
    REQUIRE(st.add_visits(visits).ok());
}

// One push round through `url` without retries of its own: the caller is the retry.
Result<sync::RoundReport> push_via(store::Store& st, const std::string& url) {
    sync::SyncConfig cfg;
    cfg.token = *st.token();
    cfg.station_id = st.station_id();
    cfg.push_batch = 300;
    cfg.pull_page = 300;
    cfg.retry.attempts = 1;
    sync::CurlTransport t(curl_to(url));
    sync::SyncSession session(st.replica(), t, cfg);
    return session.push();
}

// Both sides count field changes. PostgreSQL logs a pushed row change spelled out, one log row
// per field (docs/replication.md, "Row changes"), while a tablet's outbox holds it whole; the
// field change is the one unit both spellings share, and the finest: a field lost or doubled
// on the way shows, where counting rows would not see it.
int64_t server_count(const std::string& db, const std::string& station) {
    return pg_test::count(db, "SELECT count(*) FROM crr_log WHERE scope = '" + station + "'");
}

// The field changes the tablet's outbox stands for (its unsent changes spelled out).
int64_t pending_fields(store::Store& st) {
    auto outbox = st.replica().pending(std::numeric_limits<size_t>::max());
    REQUIRE(outbox.ok());
    int64_t n = 0;
    for (const auto& e : *outbox) {
        auto fields = sync::expand_change(e.change);
        REQUIRE(fields.ok());
        n += static_cast<int64_t>(fields->size());
    }
    return n;
}

// True once the database has a transaction that wrote and has not committed (a push's).
bool push_in_flight(pg_test::Conn& c) {
    auto r = c.rows(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL "
        "AND pid <> pg_backend_pid()");
    return !r.empty() && r[0][0] != "0";
}

}  // namespace

TEST_CASE("a process killed mid-push: the retry through the other process loses and doubles nothing") {
    REQUIRE_MESSAGE(pg_test::enabled(), "LIAISON_TEST_PG_HOST names no test cluster (run through ctest)");
    const std::string db = pg_test::fresh_db();
    REQUIRE_MESSAGE(!db.empty(), "the test cluster of PostgreSQL cannot be reached");
    const auto dir = sim::temp_dir("pgkill");
    const std::string station = add_station(db, "东城联络站");
    auto one = std::make_unique<e2e::CentralProcess>(db);
    e2e::CentralProcess two(db);
    auto a = enrolled(dir / "a.db", db, one->url(), station);
    auto b = enrolled(dir / "b.db", db, two.url(), station);
    const int64_t b_claim = pending_fields(*b);  // b's ticket letter claim goes up first
    REQUIRE(push_via(*b, two.url()).ok());
    add_visits(*a, 300, "批量");
    const int64_t changes = pending_fields(*a);
    CHECK(changes > 2500);

    // The killer waits for the first batch to commit, then for the next one's transaction to
    // have written, and kills the process that holds it.
    std::atomic<bool> done{false}, killed_in_tx{false};
    std::thread killer([&] {
        pg_test::Conn c(db);
        while (!done && server_count(db, station) <= b_claim) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const auto until = Clock::now() + std::chrono::seconds(5);
        while (!done && !push_in_flight(c) && Clock::now() < until) {
        }
        killed_in_tx = !done && push_in_flight(c);
        if (!done) one->kill9();
    });
    auto first = push_via(*a, one->url());
    done = true;
    killer.join();
    REQUIRE_FALSE(first.ok());  // the push was cut off
    const int64_t acked_before = changes - pending_fields(*a);
    const int64_t on_server_at_kill = server_count(db, station) - b_claim;

    const auto retry_at = Clock::now();
    auto retry = push_via(*a, two.url());  // the load balancer sends the retry elsewhere
    REQUIRE_MESSAGE(retry.ok(), (retry.ok() ? "" : retry.error().message));
    const int64_t retry_ms = ms_since(retry_at);
    CHECK(*a->pending_changes() == 0);
    REQUIRE(push_via(*a, two.url()).ok());

    // Nothing lost, nothing doubled: every change once on the server, and b, pulling through
    // the surviving process, holds what a holds.
    CHECK(server_count(db, station) == changes + b_claim);
    for (store::Store* st : {a.get(), b.get()}) {
        sync::SyncConfig cfg;
        cfg.token = *st->token();
        cfg.station_id = st->station_id();
        sync::CurlTransport t(curl_to(two.url()));
        sync::SyncSession session(st->replica(), t, cfg);
        REQUIRE(session.pull().ok());
    }
    CHECK(sim::dump_scope(b->db(), station) == sim::dump_scope(a->db(), station));
    CHECK(sim::server_dump_scope(db, station) == sim::dump_scope(a->db(), station));
    const std::string when = killed_in_tx ? "inside a push transaction" : "between batches";
    MESSAGE("kill -9 " << when << ": " << acked_before << " of " << changes << " field changes of a acknowledged, "
                       << on_server_at_kill << " on the server; the retry through the other process took "
                       << retry->pushed << " changes (" << retry->push_duplicates << " already there) in " << retry_ms
                       << " ms; on the server after: " << changes + b_claim);
    a.reset();
    b.reset();
    std::filesystem::remove_all(dir);
}

namespace {

// A tablet pushing small rounds through both processes in turn until told to stop, counting
// what the server acknowledged (its outbox shrinking, in field changes) and its failed rounds.
struct Pusher {
    std::unique_ptr<store::Store> st;
    int64_t acked = 0, failed = 0, ok_after_up = 0;
    Clock::time_point first_ok_after_up{};
};

void push_loop(Pusher& p, const std::string (&urls)[2], const std::atomic<int>& phase, int idx) {
    for (int n = 0;; ++n) {
        const int ph = phase;  // 0: before the stop, 1: PostgreSQL down, 2: up again
        if (ph == 2 && p.ok_after_up >= 3) return;
        add_visits(*p.st, 5, "负载" + std::to_string(idx));
        for (;;) {
            const int64_t before = pending_fields(*p.st);
            auto r = push_via(*p.st, urls[(idx + n) % 2]);
            p.acked += before - pending_fields(*p.st);
            if (r.ok()) break;
            ++p.failed;
            ++n;  // the retry goes to the other process
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (phase == 2 && p.ok_after_up++ == 0) p.first_ok_after_up = Clock::now();
    }
}

}  // namespace

TEST_CASE("PostgreSQL stopped and started mid-load: processes reconnect, nothing acknowledged is lost") {
    REQUIRE_MESSAGE(pg_test::enabled(), "LIAISON_TEST_PG_HOST names no test cluster (run through ctest)");
    OwnCluster pg;
    const auto dir = sim::temp_dir("pgrestart");
    const std::string station = add_station(pg.url, "西城代表之家");
    e2e::CentralProcess one(pg.url), two(pg.url);
    const std::string urls[2] = {one.url(), two.url()};
    constexpr int kTablets = 4;
    std::vector<Pusher> pushers(kTablets);
    for (int i = 0; i < kTablets; ++i)
        pushers[i].st = enrolled(dir / ("t" + std::to_string(i) + ".db"), pg.url, urls[i % 2], station);

    std::atomic<int> phase{0};
    std::vector<std::thread> threads;
    threads.reserve(kTablets);
    for (int i = 0; i < kTablets; ++i) threads.emplace_back([&, i] { push_loop(pushers[i], urls, phase, i); });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const auto down_at = Clock::now();
    pg.verb("down");
    phase = 1;
    // Meanwhile each process answers with a clear error, and a retry is worth it.
    for (const auto& url : urls) {
        sync::CurlTransport t(curl_to(url));
        sync::HttpRequest r;
        r.method = "GET";
        r.target = "/v1/pull?after=0";
        r.headers = {{sync::kProtocolHeader, "1"}, {"Authorization", "Bearer " + *pushers[0].st->token()}};
        auto res = t.send(r);
        REQUIRE(res.ok());
        CHECK(res->status == 503);
        CHECK(json::parse(res->body)["error"] == "unavailable");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    pg.verb("up");
    const auto up_at = Clock::now();
    const int64_t down_ms = std::chrono::duration_cast<std::chrono::milliseconds>(up_at - down_at).count();
    phase = 2;
    for (auto& t : threads) t.join();

    int64_t acked = 0, failed = 0, recover_ms = 0;
    for (auto& p : pushers) {
        CHECK(*p.st->pending_changes() == 0);
        acked += p.acked;
        failed += p.failed;
        recover_ms = std::max<int64_t>(
            recover_ms, std::chrono::duration_cast<std::chrono::milliseconds>(p.first_ok_after_up - up_at).count());
    }
    const int64_t on_server = server_count(pg.url, station);
    CHECK(on_server == acked);
    CHECK(failed > 0);
    MESSAGE("PostgreSQL down for " << down_ms << " ms under " << kTablets << " tablets on 2 processes: " << acked
                                   << " field changes acknowledged, " << on_server << " on the server, " << failed
                                   << " failed rounds retried; every tablet through again within " << recover_ms
                                   << " ms of the start");
    for (auto& p : pushers) p.st.reset();
    std::filesystem::remove_all(dir);
}
