// Retention benchmark (docs/retention.md): prints figures, not a pass/fail test.
//   bench_retention [--visits N] [--saves N] [--dir DIR]
// 1. a save with secure_delete on and off (the store's default is on);
// 2. a retention run over N due visits (one visitor each) on the server and on a tablet, and the
//    run after it, when nothing is due.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "client/store/store.h"
#include "domain/retention.h"
#include "platform/platform.h"
#include "sync/server/storage.h"
#include "tests/bench/bench_util.h"

using namespace liaison;
using bench::Clock;
using bench::ms_since;
using bench::pct;

namespace {

std::unique_ptr<store::Store> fresh(const std::string& path) {
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
    store::OpenOptions o;
    o.create = true;
    auto s = store::Store::open(path, o);
    if (!s || !(*s)->init("bench", "desk")) std::exit(1);
    return std::move(*s);
}

store::Visit old_visit(int i) {
    store::Visit v;
    v.category = "urban";
    v.subject = "路灯不亮" + std::to_string(i);
    v.content = "村口路灯坏了三个月，晚上出行不便，请尽快维修。";
    v.received_at = "2020-03-05 09:30";
    v.visitors.push_back(store::Visitor{"", "", "刘䶮测" + std::to_string(i % 100), "13912345678", "", ""});
    return v;
}

void saves(const std::string& dir, int n) {
    for (bool secure : {true, false}) {
        auto s = fresh(dir + "/save.db");
        if (!secure && !s->db().exec("PRAGMA secure_delete=OFF")) std::exit(1);
        std::vector<double> lat;
        for (int i = 0; i < n; ++i) {
            auto t0 = Clock::now();
            if (!s->add_visit(old_visit(i))) std::exit(1);
            lat.push_back(ms_since(t0));
        }
        // A delete frees cells: the case secure_delete pays for.
        std::vector<double> del;
        store::VisitQuery q;
        q.limit = 500;
        auto rows = s->find_visits(q);
        if (!rows) std::exit(1);
        for (size_t i = 0; i < rows->size() && i < 500; ++i) {
            auto t0 = Clock::now();
            if (!s->delete_visit((*rows)[i].id)) std::exit(1);
            del.push_back(ms_since(t0));
        }
        std::printf("secure_delete=%s: save p50 %.3f ms p99 %.3f ms (%d); delete p50 %.3f ms p99 %.3f ms (%zu)\n",
                    secure ? "ON " : "OFF", pct(lat, 0.5), pct(lat, 0.99), n, pct(del, 0.5), pct(del, 0.99),
                    del.size());
    }
}

void on_tablet(const std::string& dir, int n) {
    auto s = fresh(dir + "/tablet.db");
    const int batch = 5000;
    for (int done = 0; done < n; done += batch) {
        std::vector<store::Visit> vs;
        for (int i = done; i < std::min(n, done + batch); ++i) vs.push_back(old_visit(i));
        if (!s->add_visits(std::move(vs))) std::exit(1);
    }
    auto p = s->replica().pending(10'000'000);
    std::vector<int64_t> seqs;
    for (const auto& e : *p) seqs.push_back(e.seq);
    if (!s->replica().mark_pushed(seqs)) std::exit(1);
    {
        auto tx = db::Tx::begin(s->db());
        if (!tx || !s->replica().write("centre_settings", "retention_months", "*", {{"value", 24}}) || !tx->commit())
            std::exit(1);
    }
    for (int round = 0; round < 2; ++round) {
        auto t0 = Clock::now();
        auto r = s->run_retention();
        if (!r) std::exit(1);
        std::printf("tablet run %d over %d due visits: %.0f ms, %lld visitors masked, %lld values\n", round + 1, n,
                    ms_since(t0), static_cast<long long>(r->stats.visitors), static_cast<long long>(r->stats.values));
    }
    auto t0 = Clock::now();
    if (!s->retention_after_sync(100)) std::exit(1);
    std::printf("tablet: after a pull with nothing relevant (today's run done): %.3f ms\n", ms_since(t0));
}

void on_server(const std::string& dir, int n) {
    const std::string path = dir + "/central.db";
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
    auto st = server::open_sqlite_storage(path);
    if (!st) std::exit(1);
    auto& s = **st;
    const std::string station = platform::new_id();
    if (!s.write_as_centre({{"stations", station, "*", {{"name", "bench"}}, false}}, "centre")) std::exit(1);
    const int batch = 2000;
    for (int done = 0; done < n; done += batch) {
        std::vector<server::CentreWrite> ws;
        for (int i = done; i < std::min(n, done + batch); ++i) {
            const std::string v = platform::new_id();
            ws.push_back({"visits",
                          v,
                          station,
                          {{"station_id", station}, {"received_at", "2020-03-05 09:30"}, {"people", 1}},
                          false});
            ws.push_back({"visit_visitors",
                          platform::new_id(),
                          station,
                          {{"visit_id", v}, {"name", "刘䶮测"}, {"phone", "13912345678"}},
                          false});
        }
        if (!s.write_as_centre(ws, "bench")) std::exit(1);
    }
    if (!s.write_as_centre(
            {{domain::retention::kSettingsTable, domain::retention::kPeriodRow, "*", {{"value", 24}}, false}},
            "centre"))
        std::exit(1);
    for (int round = 0; round < 2; ++round) {
        auto t0 = Clock::now();
        auto r = s.run_retention(platform::wall_ms());
        if (!r) {
            std::fprintf(stderr, "%s\n", r.error().message.c_str());
            std::exit(1);
        }
        std::printf(
            "server run %d over %d due visits: %.0f ms, %lld visitors masked, %lld fields written, %lld values\n",
            round + 1, n, ms_since(t0), static_cast<long long>(r->visitors), static_cast<long long>(r->masked),
            static_cast<long long>(r->values));
    }
}

int run(const bench::Options& opt) {
    const int visits = opt.number("--visits", 20000), n_save = opt.number("--saves", 2000);
    const std::string dir = opt.dir("liaison-bench-retention");
    std::printf("Liaison retention benchmark (%d due visits, %d saves)\n", visits, n_save);
    saves(dir, n_save);
    on_server(dir, visits);
    on_tablet(dir, visits);
    std::filesystem::remove_all(dir);
    return 0;
}
}  // namespace

int main(int argc, char** argv) { return bench::guarded_main("bench_retention", run, argc, argv); }
