// Sync benchmarks (targets and figures in docs/performance.md), printing figures; not a pass/fail test.
//   bench_sync updown [N]          N changes up from one tablet and down to another, over HTTP on
//                                  127.0.0.1 through a liaison-central process (target < 2 s for 10k)
//   bench_sync visits [N] [ROUNDS]  N realistic visits up and down, protocol 1 and 2 side by side,
//                                  with the bytes per visit of every table and index (dbstat);
//                                  BENCH_PG=1 runs the server on PostgreSQL (its database size)
//   bench_sync load [DEVICES] [SECONDS] [CLIENT_THREADS] [RATE]
//                                  small syncs (push 3 changes + pull) of many devices at once
//                                  (target > 2,000 syncs/s on 2 cores). Without RATE every
//                                  connection syncs back to back (closed loop: latency is then
//                                  connections / throughput). With RATE (syncs/s, all connections
//                                  together) each connection syncs on a fixed schedule and
//                                  latency counts from the scheduled start, so a late answer
//                                  also delays the syncs queued behind it (open loop).
// Server options after "--" go to liaison-central (e.g. -- --synchronous normal --threads 8).
// Environment for load: BENCH_PG=1 runs it on PostgreSQL (a throwaway cluster made by
// scripts/pg-cluster.sh, fsync on, in /tmp/liaison-bench-pg) instead of a SQLite file;
// BENCH_PROCESSES=N starts N liaison-central processes on the one database, the client
// connections spread over them. Server CPU then counts every process and PostgreSQL's.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/store/store.h"
#include "platform/platform.h"
#include "sync/client/curl_transport.h"
#include "client/sync/store_host.h"
#include "sync/core/wire.h"
#include "../support/central_process.h"

using namespace liaison;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double secs(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// CPU seconds (user + system) a process has used so far: the machine is shared, so besides the
// wall-clock rate the benchmark reports CPU per sync, which other load does not distort much.
double cpu_seconds(pid_t pid) {
    FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
    if (!f) return 0;
    char buf[2048];
    const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    const char* p = std::strrchr(buf, ')');
    if (!p) return 0;
    unsigned long utime = 0, stime = 0;
    // fields after the command: state(3) ... utime(14) stime(15)
    std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime);
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// An admin command's last line (an id, an enrolment code).
std::string run_central(const std::string& db, const std::vector<std::string>& args) {
    int code = 0;
    std::string out = central_process::run(db, args, &code);
    if (code != 0) std::exit(1);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
}

// CPU seconds of a process and of its children, living (PostgreSQL's backends are the
// postmaster's children) and reaped (cutime, cstime).
double tree_cpu_seconds(pid_t root) {
    double total = 0;
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
        const std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        FILE* f = std::fopen((e.path() / "stat").c_str(), "r");
        if (!f) continue;
        char buf[2048];
        const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
        std::fclose(f);
        buf[n] = 0;
        const char* p = std::strrchr(buf, ')');
        if (!p) continue;
        int ppid = 0;
        unsigned long ut = 0, st = 0;
        long cut = 0, cst = 0;
        std::sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld", &ppid, &ut, &st, &cut, &cst);
        const pid_t pid = std::stoi(name);
        if (pid == root) total += static_cast<double>(ut + st) + static_cast<double>(cut + cst);
        if (ppid == root) total += static_cast<double>(ut + st);
    }
    return total / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// BENCH_PG=1: a throwaway PostgreSQL cluster for the run, stopped at the end.
struct PgCluster {
    std::string dir = "/tmp/liaison-bench-pg", url;
    pid_t postmaster = -1;
    PgCluster() {
        const std::string script = std::string(LIAISON_SOURCE_DIR) + "/scripts/pg-cluster.sh";
        if (std::system(("PG_CLUSTER_FSYNC=on " + script + " start " + dir + " >/dev/null").c_str()) != 0 ||
            std::system(("psql -q 'postgresql://liaison@/postgres?host=" + dir + "/sock' -c 'CREATE DATABASE bench'")
                            .c_str()) != 0) {
            std::cerr << "the PostgreSQL cluster did not start\n";
            std::exit(1);
        }
        url = "postgresql://liaison@/bench?host=" + dir + "/sock";
        FILE* f = std::fopen((dir + "/data/postmaster.pid").c_str(), "r");
        if (f) {
            if (std::fscanf(f, "%d", &postmaster) != 1) postmaster = -1;
            std::fclose(f);
        }
    }
    ~PgCluster() {
        const std::string script = std::string(LIAISON_SOURCE_DIR) + "/scripts/pg-cluster.sh";
        if (std::system((script + " stop " + dir).c_str()) != 0) std::cerr << "the cluster did not stop\n";
    }
};

struct Server {
    pid_t pid = -1;
    std::string url;
    Server(const std::string& db, const std::vector<std::string>& extra) {
        const std::string line = central_process::serve(db, extra, &pid);
        if (line.rfind("listening on ", 0) != 0) {
            std::cerr << "liaison-central did not start: " << line << "\n";
            std::exit(1);
        }
        url = "http://" + line.substr(std::string("listening on ").size());
    }
    ~Server() {
        ::kill(pid, SIGTERM);
        ::waitpid(pid, nullptr, 0);
    }
};

sync::CurlOptions curl_to(const std::string& url) {
    sync::CurlOptions o;
    o.base_url = url;
    return o;
}

std::unique_ptr<store::Store> open_store(const std::string& path) {
    store::OpenOptions o;
    o.create = true;
    auto s = store::Store::open(path, o);
    if (!s) {
        std::cerr << s.error().message << "\n";
        std::exit(1);
    }
    return std::move(*s);
}

std::unique_ptr<store::Store> enrolled(const std::string& path, const std::string& url, const std::string& code) {
    auto s = open_store(path);
    sync::CurlTransport t(curl_to(url));
    auto r = sync::enrol(*s, t, url, code);
    if (!r) {
        std::cerr << "enrol: " << r.error().message << "\n";
        std::exit(1);
    }
    s.reset();
    return open_store(path);
}

int updown(size_t n, const std::vector<std::string>& server_args) {
    auto dir = std::filesystem::temp_directory_path() / ("liaison-bench-sync-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const char* env_pg = std::getenv("BENCH_PG");
    auto pg = env_pg && std::string(env_pg) == "1" ? std::make_unique<PgCluster>() : nullptr;
    const std::string db = pg ? pg->url : (dir / "central.db").string();
    const std::string station = run_central(db, {"station", "add", "东城联络站"});
    Server server(db, server_args);
    auto a = enrolled((dir / "a.db").string(), server.url, run_central(db, {"enrol-code", station}));
    auto b = enrolled((dir / "b.db").string(), server.url, run_central(db, {"enrol-code", station}));
    // Visits of ~11 field changes each (visit row + one visitor), until n changes are pending.
    std::vector<store::Visit> vs;
    const size_t per = 11;
    for (size_t i = 0; i < n / per + 1; ++i) {
        store::Visit v;
        v.subject = "小区路灯不亮 " + std::to_string(i);
        v.content = "居民反映小区东门路灯已经坏了两个星期，晚上出行不便。" + std::to_string(i);
        v.category = "urban";
        v.received_at = "2025-03-01 09:30";
        v.visitors.push_back(store::Visitor{"", "", "李四", "13800138000", "", ""});
        vs.push_back(v);
    }
    if (!a->add_visits(vs)) return 1;
    const int64_t changes = *a->pending_changes();
    auto session_for = [&](store::Store& s, sync::Transport& t) {
        sync::SyncConfig cfg;
        cfg.token = *s.token();
        cfg.station_id = s.station_id();
        return sync::SyncSession(s.replica(), t, cfg);
    };
    sync::CurlTransport ta(curl_to(server.url)), tb(curl_to(server.url));
    auto sa = session_for(*a, ta);
    auto sb = session_for(*b, tb);
    const double c0 = cpu_seconds(::getpid()), s0 = cpu_seconds(server.pid);
    const auto t0 = Clock::now();
    auto up = sa.push();
    const auto t1 = Clock::now();
    auto down = sb.pull();
    const auto t2 = Clock::now();
    const double c1 = cpu_seconds(::getpid()), s1 = cpu_seconds(server.pid);
    if (!up || !down) {
        std::cerr << "sync failed: " << (!up ? up.error().message : down.error().message) << "\n";
        return 1;
    }
    std::printf("updown: %lld changes (%zu visits)\n", static_cast<long long>(changes), vs.size());
    std::printf("  push  %6.3f s  (%zu requests, %.0f changes/s)\n", secs(t0, t1), up->requests,
                changes / secs(t0, t1));
    std::printf("  pull  %6.3f s  (%zu requests, %.0f changes/s, %zu merged)\n", secs(t1, t2), down->requests,
                down->pulled / secs(t1, t2), down->pulled);
    std::printf("  end to end %.3f s (target < 2 s for 10k up + 10k down)\n", secs(t0, t2));
    std::printf("  CPU used: tablets %.3f s, server %.3f s (on a shared machine the wall time can exceed their sum)\n",
                c1 - c0, s1 - s0);
    a.reset();
    b.reset();
    std::filesystem::remove_all(dir);
    return 0;
}

// Bytes of each table and index (dbstat) of an SQLite database, after a checkpoint.
std::map<std::string, int64_t> bytes_by_object(db::Db& db) {
    std::map<std::string, int64_t> out;
    if (!db.exec("PRAGMA wal_checkpoint(TRUNCATE)")) return out;
    auto st = db.prepare("SELECT name, sum(pgsize) FROM dbstat GROUP BY name");
    if (!st) return out;
    (void)st->for_each_row([&](const db::Stmt& q) { out[q.text(0)] = q.i64(1); });
    return out;
}

int64_t total(const std::map<std::string, int64_t>& m) {
    int64_t t = 0;
    for (const auto& kv : m) t += kv.second;
    return t;
}

// The size of a PostgreSQL database on disk (pg_database_size, tables, indexes and TOAST), or 0.
int64_t pg_database_bytes(const std::string& url) {
    FILE* f = ::popen(("psql -At '" + url + "' -c 'SELECT pg_database_size(current_database())'").c_str(), "r");
    if (!f) return 0;
    long long n = 0;
    if (std::fscanf(f, "%lld", &n) != 1) n = 0;
    ::pclose(f);
    return n;
}

// One round of `bench_sync visits`: realistic visits up from tablet A and down to a fresh
// tablet B through a fresh server, speaking `protocol`.
struct VisitsRound {
    double up = 0, down = 0, server_cpu = 0;
    int64_t records = 0;
    size_t push_requests = 0;
    std::map<std::string, int64_t> server, sender, receiver;  // bytes per table and index
};

store::Visit realistic_visit(size_t i, std::mt19937_64& rng) {
    static const char* const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
    static const char* const given[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇"};
    static const char* const topics[] = {"小区东门路灯已经坏了两个星期", "学校门口早晚高峰交通拥堵严重",
                                         "老旧小区加装电梯的费用分摊", "菜市场周边占道经营影响通行"};
    store::Visit v;
    std::string name = surnames[rng() % 10];
    for (size_t k = 0, n = 1 + rng() % 2; k < n; ++k) name += given[rng() % 10];
    v.subject = std::string(topics[rng() % 4]) + std::to_string(i % 100000);  // ~20 characters
    v.content.clear();
    while (v.content.size() < 300) v.content += topics[rng() % 4];  // ~100 characters
    v.category = "urban";
    v.received_at = "2025-03-01 09:30";
    v.visitors.push_back(store::Visitor{"", "", name, "1380013" + std::to_string(1000 + rng() % 9000), "", ""});
    return v;
}

bool visits_round(size_t n, int protocol, const std::vector<std::string>& server_args, VisitsRound& out) {
    auto dir = std::filesystem::temp_directory_path() /
               ("liaison-bench-visits-" + std::to_string(::getpid()) + "-" + std::to_string(protocol));
    std::filesystem::create_directories(dir);
    const char* env_pg = std::getenv("BENCH_PG");
    auto pg = env_pg && std::string(env_pg) == "1" ? std::make_unique<PgCluster>() : nullptr;
    const std::string db = pg ? pg->url : (dir / "central.db").string();
    const std::string station = run_central(db, {"station", "add", "东城联络站"});
    auto server = std::make_unique<Server>(db, server_args);
    auto a = enrolled((dir / "a.db").string(), server->url, run_central(db, {"enrol-code", station}));
    auto b = enrolled((dir / "b.db").string(), server->url, run_central(db, {"enrol-code", station}));
    std::mt19937_64 rng(42);
    std::vector<store::Visit> vs;
    for (size_t i = 0; i < n; ++i) vs.push_back(realistic_visit(i, rng));
    if (!a->add_visits(vs)) return false;
    out.records = *a->pending_changes();
    auto session_for = [&](store::Store& s, sync::Transport& t) {
        sync::SyncConfig cfg;
        cfg.token = *s.token();
        cfg.station_id = s.station_id();
        cfg.protocol = protocol;
        return sync::SyncSession(s.replica(), t, cfg);
    };
    sync::CurlTransport ta(curl_to(server->url)), tb(curl_to(server->url));
    auto sa = session_for(*a, ta);
    auto sb = session_for(*b, tb);
    const int64_t pg_bytes0 = pg ? pg_database_bytes(pg->url) : 0;  // an empty database is ~7 MB
    auto server_cpu_now = [&] { return cpu_seconds(server->pid) + (pg ? tree_cpu_seconds(pg->postmaster) : 0); };
    const double s0 = server_cpu_now();
    const auto t0 = Clock::now();
    auto up = sa.push();
    const auto t1 = Clock::now();
    auto down = sb.pull();
    const auto t2 = Clock::now();
    out.server_cpu = server_cpu_now() - s0;
    if (!up || !down) {
        std::cerr << "sync failed: " << (!up ? up.error().message : down.error().message) << "\n";
        return false;
    }
    out.up = secs(t0, t1);
    out.down = secs(t1, t2);
    out.push_requests = up->requests;
    out.sender = bytes_by_object(a->db());
    out.receiver = bytes_by_object(b->db());
    server.reset();
    if (pg)
        out.server["(PostgreSQL database growth)"] = pg_database_bytes(pg->url) - pg_bytes0;
    else if (auto sdb = db::Db::open(db))
        out.server = bytes_by_object(**sdb);
    a.reset();
    b.reset();
    std::filesystem::remove_all(dir);
    return true;
}

void print_bytes(const char* what, const std::map<std::string, int64_t>& v1, const std::map<std::string, int64_t>& v2,
                 size_t n) {
    std::printf("  %s, bytes per visit (protocol 1 | protocol 2):\n", what);
    std::map<std::string, int64_t> names;
    for (const auto& kv : v1) names[kv.first] += kv.second;
    for (const auto& kv : v2) names[kv.first] += kv.second;
    for (const auto& [name, both] : names) {
        const double a = v1.count(name) ? static_cast<double>(v1.at(name)) / n : 0;
        const double b = v2.count(name) ? static_cast<double>(v2.at(name)) / n : 0;
        if (a >= 20 || b >= 20) std::printf("    %-28s %8.0f | %8.0f\n", name.c_str(), a, b);
    }
    std::printf("    %-28s %8.0f | %8.0f  (%.1f MB | %.1f MB per 10k visits)\n", "total",
                static_cast<double>(total(v1)) / n, static_cast<double>(total(v2)) / n,
                static_cast<double>(total(v1)) / n * 10000 / 1e6, static_cast<double>(total(v2)) / n * 10000 / 1e6);
}

// Realistic visits up and down, protocol 1 (a field change per field, as before row changes:
// stored so on the server and on the receiving tablet) and protocol 2 (a row change per new
// row) alternately in one run.
int visits(size_t n, int rounds, const std::vector<std::string>& server_args) {
    std::vector<VisitsRound> r1, r2;
    for (int i = 0; i < rounds; ++i) {
        for (int protocol : {1, 2}) {
            VisitsRound r;
            if (!visits_round(n, protocol, server_args, r)) return 1;
            (protocol == 1 ? r1 : r2).push_back(r);
        }
    }
    std::printf("visits: %zu realistic visits (one visitor each), %d round(s), protocol 1 | protocol 2\n", n, rounds);
    for (int i = 0; i < rounds; ++i)
        std::printf(
            "  round %d: records %lld | %lld; up %.3f | %.3f s in %zu | %zu requests; down to a fresh tablet "
            "%.3f | %.3f s; server CPU %.3f | %.3f s\n",
            i + 1, static_cast<long long>(r1[i].records), static_cast<long long>(r2[i].records), r1[i].up, r2[i].up,
            r1[i].push_requests, r2[i].push_requests, r1[i].down, r2[i].down, r1[i].server_cpu, r2[i].server_cpu);
    print_bytes("server", r1.back().server, r2.back().server, n);
    print_bytes("receiving tablet", r1.back().receiver, r2.back().receiver, n);
    print_bytes("sending tablet", r1.back().sender, r2.back().sender, n);
    return 0;
}

struct Device {
    std::string id, token, station;
    int64_t cursor = 0;
    uint32_t counter = 0;
    std::string row;
};

// A small sync: three field changes of one visit, then the pull of what is new. The changes
// pulled, or -1 when either request failed.
long small_sync(sync::CurlTransport& tr, Device& d) {
    std::vector<sync::FieldChange> cs;
    cs.reserve(3);
    for (const char* col : {"subject", "content", "people"}) {
        sync::FieldChange c;
        c.hlc = sync::Hlc{platform::wall_ms(), d.counter++, d.id};
        c.table = "visits";
        c.row = d.row;
        c.column = col;
        c.value = std::string(col) == "people" ? "2" : "\"路灯 " + std::to_string(d.counter) + "\"";
        c.scope = d.station;
        cs.push_back(std::move(c));
    }
    sync::HttpRequest push;
    push.method = "POST";
    push.target = "/v1/push";
    push.headers = {
        {sync::kProtocolHeader, "1"}, {"Authorization", "Bearer " + d.token}, {"Content-Type", "application/json"}};
    push.body = sync::encode_changes(cs);
    auto r1 = tr.send(push);
    sync::HttpRequest pull;
    pull.target = "/v1/pull?after=" + std::to_string(d.cursor) + "&limit=500";
    pull.headers = {{sync::kProtocolHeader, "1"}, {"Authorization", "Bearer " + d.token}};
    auto r2 = tr.send(pull);
    if (!r1 || !r2 || r1->status != 200 || r2->status != 200) return -1;
    auto j = json::parse(r2->body);
    d.cursor = std::stoll(j["cursor"].get<std::string>());
    return static_cast<long>(j["changes"].size());
}

// Enrols every device through the admin API and /v1/enrol; false (with a line on stderr) on
// the first failure.
bool enrol_all(const std::string& url, const std::string& admin, const std::vector<std::string>& station_ids,
               std::vector<Device>& devs) {
    sync::CurlTransport t(curl_to(url));
    for (size_t i = 0; i < devs.size(); ++i) {
        auto& d = devs[i];
        d.id = "bench" + std::to_string(i);
        d.station = station_ids[i % station_ids.size()];
        sync::HttpRequest req;
        req.method = "POST";
        req.target = "/v1/admin/stations/" + d.station + "/enrol-codes";
        req.headers = {{"Authorization", "Bearer " + admin}};
        auto code = t.send(req);
        if (!code || code->status != 201) {
            std::cerr << "enrol-code: " << (code ? code->body : code.error().message) << "\n";
            return false;
        }
        req.target = "/v1/enrol";
        req.headers = {{sync::kProtocolHeader, "1"}};
        req.body = json({{"code", json::parse(code->body)["code"]}, {"device_id", d.id}}).dump();
        auto e = t.send(req);
        if (!e || e->status != 200) {
            std::cerr << "enrol: " << (e ? e->body : e.error().message) << "\n";
            return false;
        }
        d.token = json::parse(e->body)["token"];
        d.row = platform::new_id();
    }
    return true;
}

std::vector<std::string> add_stations(const std::string& db, int n) {
    std::vector<std::string> ids;
    ids.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) ids.push_back(run_central(db, {"station", "add", "站" + std::to_string(i)}));
    return ids;
}

int load(int devices, double seconds, int threads, double rate, const std::vector<std::string>& server_args) {
    auto dir = std::filesystem::temp_directory_path() / ("liaison-bench-load-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const char* env_pg = std::getenv("BENCH_PG");
    const char* env_procs = std::getenv("BENCH_PROCESSES");
    auto pg = env_pg && std::string(env_pg) == "1" ? std::make_unique<PgCluster>() : nullptr;
    const int processes = std::max(1, env_procs ? std::atoi(env_procs) : 1);
    const std::string db = pg ? pg->url : (dir / "central.db").string();
    const int stations = std::max(1, devices / 10);
    const auto station_ids = add_stations(db, stations);
    const std::string admin = run_central(db, {"admin-token"});
    std::vector<std::unique_ptr<Server>> servers;
    servers.reserve(static_cast<size_t>(processes));
    for (int i = 0; i < processes; ++i) servers.push_back(std::make_unique<Server>(db, server_args));
    auto server_cpu_now = [&] {
        double total = pg ? tree_cpu_seconds(pg->postmaster) : 0;
        for (const auto& sv : servers) total += cpu_seconds(sv->pid);
        return total;
    };
    std::vector<Device> devs(static_cast<size_t>(devices));
    if (!enrol_all(servers[0]->url, admin, station_ids, devs)) return 1;
    std::atomic<bool> stop{false};
    std::atomic<long> syncs{0}, failures{0}, pulled{0};
    std::vector<std::thread> pool;
    pool.reserve(static_cast<size_t>(threads));
    std::vector<std::vector<double>> lat(static_cast<size_t>(threads));
    for (int w = 0; w < threads; ++w) {
        pool.emplace_back([&, w] {
            sync::CurlTransport tr(curl_to(servers[static_cast<size_t>(w) % servers.size()]->url));
            size_t k = static_cast<size_t>(w);
            // Open loop: this connection's syncs start every `period`, staggered across connections.
            const auto period = std::chrono::duration_cast<Clock::duration>(
                std::chrono::duration<double>(rate > 0 ? threads / rate : 0.0));
            auto due = Clock::now() + period * w / std::max(1, threads);
            while (!stop) {
                auto& d = devs[k];
                k = (k + static_cast<size_t>(threads)) % devs.size();
                if (rate > 0) std::this_thread::sleep_until(due);
                const auto s0 = rate > 0 ? due : Clock::now();
                due += period;
                const long got = small_sync(tr, d);
                if (got < 0) {
                    ++failures;
                    continue;
                }
                pulled += got;
                ++syncs;
                lat[static_cast<size_t>(w)].push_back(secs(s0, Clock::now()) * 1000);
            }
        });
    }
    const auto t0 = Clock::now();
    const double server_cpu0 = server_cpu_now(), client_cpu0 = cpu_seconds(::getpid());
    const long syncs0 = syncs.load();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double server_cpu = server_cpu_now() - server_cpu0, client_cpu = cpu_seconds(::getpid()) - client_cpu0;
    const long measured = syncs.load() - syncs0;
    stop = true;
    for (auto& th : pool) th.join();
    const double el = secs(t0, Clock::now());
    std::vector<double> all;
    for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) { return all.empty() ? 0.0 : all[static_cast<size_t>(p * (all.size() - 1))]; };
    std::printf("load on %s, %d liaison-central process%s\n", pg ? "PostgreSQL (fsync on)" : "SQLite", processes,
                processes > 1 ? "es" : "");
    std::printf("load: %d devices in %d stations, %d client connections, %.1f s, %s\n", devices, stations, threads, el,
                rate > 0 ? ("open loop at " + std::to_string(static_cast<int>(rate)) + " syncs/s").c_str()
                         : "closed loop (back to back)");
    std::printf("  %ld small syncs (push 3 changes + pull), %.0f syncs/s, %ld failed, %ld changes pulled\n",
                syncs.load(), syncs / el, failures.load(), pulled.load());
    std::printf("  latency per sync: p50 %.2f ms, p99 %.2f ms\n", pct(0.5), pct(0.99));
    const double per = server_cpu / std::max(1L, measured);
    std::printf("  server CPU%s %.3f ms per sync (%.2f cores busy), load generator %.3f ms per sync\n",
                pg ? " (processes + PostgreSQL)" : "", per * 1000, server_cpu / el,
                client_cpu / std::max(1L, measured) * 1000);
    std::printf("  server capacity on 2 dedicated cores: %.0f syncs/s (target > 2,000)\n", 2.0 / per);
    std::filesystem::remove_all(dir);
    return 0;
}

}  // namespace

int run(int argc, char** argv) {
    std::vector<std::string> args, server_args;
    bool server_part = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--" && !server_part)
            server_part = true;
        else
            (server_part ? server_args : args).push_back(a);
    }
    if (args.empty() || args[0] == "updown") {
        return updown(args.size() > 1 ? std::stoul(args[1]) : 10000, server_args);
    }
    if (args[0] == "visits")
        return visits(args.size() > 1 ? std::stoul(args[1]) : 10000, args.size() > 2 ? std::stoi(args[2]) : 1,
                      server_args);
    if (args[0] == "load") {
        return load(args.size() > 1 ? std::stoi(args[1]) : 200, args.size() > 2 ? std::stod(args[2]) : 5.0,
                    args.size() > 3 ? std::stoi(args[3]) : 16, args.size() > 4 ? std::stod(args[4]) : 0.0, server_args);
    }
    std::cerr << "usage: bench_sync updown [N] | visits [N] [ROUNDS] | load [DEVICES] [SECONDS] [CLIENT_THREADS] "
                 "[RATE] [-- server options]\n";
    return 2;
}

// Nothing here is meant to throw (a bad number on the command line would): one line, status 2.
int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "bench_sync: " << e.what() << "\n";
        return 2;
    }
}
