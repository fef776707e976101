// Store benchmark: prints figures next to the targets of docs/performance.md. Not a pass/fail test.
//   bench_store [--visits N] [--saves N] [--dir DIR] [--modes normal|full|normal,full]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tests/bench/bench_util.h"
#include "tests/bench/ledger_text.h"
#include "client/store/store.h"
#include "platform/platform.h"

using namespace liaison;
using bench::Clock;
using bench::ms_since;
using bench::pct;
using bench::TextGen;

namespace {

store::Visit make_visit(TextGen& g, int i) {
    store::Visit v;
    static const char* cats[] = {"urban", "rural", "education", "health", "welfare", "transport", "environment"};
    v.category = cats[i % 7];
    v.subject = g.phrase(3);
    v.content = g.phrase(25);
    char at[20];
    std::snprintf(at, sizeof at, "2025-%02d-%02d %02d:%02d", 1 + i % 12, 1 + i % 28, 8 + i % 10, i % 60);
    v.received_at = at;
    v.people = 1 + i % 4;
    v.route = "answered";
    v.visitors.push_back(store::Visitor{"", "", g.name(), "13800138000", "", ""});
    return v;
}

std::unique_ptr<store::Store> open_fresh(const std::string& path, bool full) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    store::OpenOptions o;
    o.create = true;
    o.synchronous_full = full;
    auto s = store::Store::open(path, o);
    if (!s) {
        std::fprintf(stderr, "open: %s\n", s.error().message.c_str());
        std::exit(1);
    }
    (void)(*s)->init("基准测试联络站", "bench");
    return std::move(*s);
}

// The reference baseline of docs/performance.md: raw SQLite, one visit row plus six clock rows per transaction.
std::vector<double> raw_baseline(const std::string& path, bool full, int n) {
    std::filesystem::remove(path);
    db::Db::Options o;
    o.synchronous_full = full;
    auto db = db::Db::open(path, o);
    (void)(*db)->exec(
        "CREATE TABLE visits(id TEXT PRIMARY KEY, a, b, c, d, e, f);"
        "CREATE TABLE clock(tbl TEXT, row TEXT, col TEXT, hlc TEXT, PRIMARY KEY(tbl,row,col)) WITHOUT ROWID;");
    std::vector<double> lat;
    TextGen g;
    for (int i = 0; i < n; ++i) {
        const std::string id = platform::new_id();
        const std::string subj = g.phrase(3), content = g.phrase(25);
        auto t0 = Clock::now();
        (void)(*db)->exec("BEGIN");
        auto& ins = (*db)->cached("INSERT INTO visits VALUES(?, ?, ?, ?, ?, ?, ?)");
        (void)ins.bind(1, id)
            .bind(2, subj)
            .bind(3, content)
            .bind(4, "urban")
            .bind(5, 2)
            .bind(6, "x")
            .bind(7, "y")
            .run();
        for (int c = 0; c < 6; ++c) {
            auto& ck = (*db)->cached("INSERT INTO clock VALUES('visits', ?, ?, ?)");
            (void)ck.bind(1, id).bind(2, "c" + std::to_string(c)).bind(3, "001700000000000-00000000-dev").run();
        }
        (void)(*db)->exec("COMMIT");
        lat.push_back(ms_since(t0));
    }
    return lat;
}

// The target's own baseline: raw SQLite writing the rows one save writes (the visit, its visitor,
// a clock and a change-log row per field, the search row) into the same schema and indexes,
// with prepared statements and nothing else: the store's overhead is the rest.
std::vector<double> same_rows_baseline(const std::string& path, bool full, int n) {
    auto s = open_fresh(path, full);
    db::Db& db = s->db();
    const std::string station = s->station_id();
    TextGen g;
    std::vector<double> lat;
    int64_t tick = 0;
    for (int i = 0; i < n; ++i) {
        const store::Visit v = make_visit(g, i);
        const std::string id = platform::new_id(), pid = platform::new_id();
        auto t0 = Clock::now();
        (void)db.exec("BEGIN");
        auto& vis = db.cached(
            "INSERT INTO visits(id, station_id, received_at, channel, people, category, subject, "
            "content, route, created_at) VALUES(?, ?, ?, 'station', ?, ?, ?, ?, ?, ?)");
        (void)vis.bind(1, id)
            .bind(2, station)
            .bind(3, v.received_at)
            .bind(4, v.people)
            .bind(5, v.category)
            .bind(6, v.subject)
            .bind(7, v.content)
            .bind(8, v.route)
            .bind(9, v.received_at)
            .run();
        auto& who = db.cached("INSERT INTO visit_visitors(id, visit_id, name, phone) VALUES(?, ?, ?, ?)");
        (void)who.bind(1, pid).bind(2, id).bind(3, v.visitors[0].name).bind(4, v.visitors[0].phone).run();
        auto fields = [&](const char* table, const std::string& row,
                          const std::vector<std::pair<const char*, std::string>>& cols) {
            for (const auto& [col, value] : cols) {
                char hlc[64];
                std::snprintf(hlc, sizeof hlc, "001760000000000-%08lld-bench", static_cast<long long>(++tick));
                auto& ck = db.cached("INSERT INTO crr_clock(tbl, row, col, hlc) VALUES(?, ?, ?, ?)");
                (void)ck.bind(1, table).bind(2, row).bind(3, col).bind(4, hlc).run();
                auto& log = db.cached(
                    "INSERT INTO crr_log(hlc, tbl, row, col, value, scope, local) VALUES(?, ?, ?, ?, ?, ?, 1)");
                (void)log.bind(1, hlc).bind(2, table).bind(3, row).bind(4, col).bind(5, value).bind(6, station).run();
            }
        };
        fields("visits", id,
               {{"station_id", station},
                {"received_at", v.received_at},
                {"channel", "station"},
                {"people", std::to_string(v.people)},
                {"category", v.category},
                {"subject", v.subject},
                {"created_at", v.received_at},
                {"content", v.content},
                {"route", v.route}});
        fields("visit_visitors", pid, {{"visit_id", id}, {"name", v.visitors[0].name}, {"phone", v.visitors[0].phone}});
        auto& fts = db.cached(
            "INSERT INTO visit_search(rowid, subject, content, names) "
            "VALUES((SELECT rowid FROM visits WHERE id = ?), ?, ?, ?)");
        (void)fts.bind(1, id)
            .bind(2, store::search_text(v.subject))
            .bind(3, store::search_text(v.content))
            .bind(4, store::search_text(v.visitors[0].name))
            .run();
        (void)db.exec("COMMIT");
        lat.push_back(ms_since(t0));
    }
    return lat;
}

}  // namespace

int run(int argc, char** argv) {
    const bench::Options o(argc, argv);
    const int n_search = o.number("--visits", 100000), n_save = o.number("--saves", 10000);
    const std::string modes = o.text("--modes", "normal,full");
    const std::string dir = o.dir("liaison-bench");
    std::printf("Liaison store benchmark (%d saves, %d visits searched)\n", n_save, n_search);

    for (bool full : {false, true}) {
        const char* mode = full ? "FULL" : "NORMAL";
        if (modes.find(full ? "full" : "normal") == std::string::npos) continue;
        const int n = full ? std::min(n_save, 2000) : n_save;
        auto raw = raw_baseline(dir + "/raw.db", full, n);
        auto s = open_fresh(dir + "/save.db", full);
        TextGen g;
        std::vector<double> lat;
        for (int i = 0; i < n; ++i) {
            auto v = make_visit(g, i);
            auto t0 = Clock::now();
            auto id = s->add_visit(std::move(v));
            lat.push_back(ms_since(t0));
            if (!id) {
                std::fprintf(stderr, "save failed: %s\n", id.error().message.c_str());
                return 1;
            }
        }
        auto same = same_rows_baseline(dir + "/same.db", full, n);
        std::printf("save visit, synchronous=%s (%d): p50 %.3f ms  p99 %.3f ms\n", mode, n, pct(lat, 0.5),
                    pct(lat, 0.99));
        std::printf(
            "  raw SQLite, the same %s rows (27 + FTS): p50 %.3f ms  p99 %.3f ms | store/raw p50 %.2fx  p99 %.2fx "
            "(target <= 2x)\n",
            mode, pct(same, 0.5), pct(same, 0.99), pct(lat, 0.5) / pct(same, 0.5), pct(lat, 0.99) / pct(same, 0.99));
        std::printf(
            "  raw SQLite, the reference baseline (visit + 6 clock rows): p50 %.3f ms  p99 %.3f ms | store/reference "
            "p99 %.2fx\n",
            pct(raw, 0.5), pct(raw, 0.99), pct(lat, 0.99) / pct(raw, 0.99));
    }

    // Bulk import and search over n_search visits.
    auto s = open_fresh(dir + "/search.db", false);
    TextGen g;
    const int batch = 5000;
    auto t0 = Clock::now();
    for (int done = 0; done < n_search; done += batch) {
        std::vector<store::Visit> vs;
        for (int i = done; i < std::min(n_search, done + batch); ++i) vs.push_back(make_visit(g, i));
        auto r = s->add_visits(std::move(vs));
        if (!r) {
            std::fprintf(stderr, "import failed: %s\n", r.error().message.c_str());
            return 1;
        }
    }
    const double import_ms = ms_since(t0);
    std::printf("bulk import: %d visits in %.0f ms = %.0f visits/s (target >= 50000/s)\n", n_search, import_ms,
                n_search / (import_ms / 1000.0));
    for (const char* q : {"路", "路灯", "电梯", "老旧小区", "维修学校", "王李明"}) {
        std::vector<double> lat;
        int64_t hits = 0;
        for (int rep = 0; rep < 20; ++rep) {
            store::VisitQuery vq;
            vq.text = q;
            vq.limit = 50;
            auto t1 = Clock::now();
            auto rows = s->find_visits(vq);
            auto count = s->count_visits(vq);
            lat.push_back(ms_since(t1));
            if (!rows || !count) return 1;
            hits = *count;
        }
        std::printf(
            "search '%s' over %d visits (first page + count): p50 %.2f ms  max %.2f ms, %lld hits (target < 20 ms)\n",
            q, n_search, pct(lat, 0.5), pct(lat, 1.0), static_cast<long long>(hits));
    }
    std::printf("store file: %.1f MB\n", static_cast<double>(std::filesystem::file_size(dir + "/search.db")) / 1e6);
    return 0;
}

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_store: %s\n", e.what());
        return 1;
    }
}
