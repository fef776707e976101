// Encryption at rest: the same work on a plaintext and on an encrypted store, side by side in one
// run (docs/performance.md, docs/security.md). Not a pass/fail test.
//   bench_crypt [--visits N] [--saves N] [--dir DIR]
// A save is the rows one visit's save writes (the visit, its visitor, a clock and a change-log row
// per field, the search row: 27 rows + FTS) in one transaction, synchronous=NORMAL; the two
// stores take turns, so drift of the machine hits both alike.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "domain/schema.h"
#include "domain/search.h"
#include "platform/platform.h"
#include "sync/replica/replica.h"
#include "sync/replica/sqlite.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/ledger_text.h"

using namespace liaison;
using bench::Clock;
using bench::ms_since;
using bench::pct;

namespace {

[[noreturn]] void die(const std::string& what, const Error& e) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(), e.message.c_str());
    std::exit(1);
}

void must(const Status& st, const std::string& what) {
    if (!st) die(what, st.error());
}

struct Side {
    const char* name;
    std::string path;
    std::shared_ptr<const db::StoreKey> key;
    std::unique_ptr<db::Db> db;
    int64_t tick = 0;
};

std::unique_ptr<db::Db> open_side(const Side& s) {
    db::Db::Options o;
    o.key = s.key;
    auto d = db::Db::open(s.path, o);
    if (!d) die("open " + s.path, d.error());
    return std::move(*d);
}

void fresh(Side& s) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(s.path + suffix);
    s.db = open_side(s);
    must(sync::Replica::install(*s.db), "install replica");
    must(domain::install_schema(*s.db), "install schema");
}

struct Visit {
    std::string id, received_at, category, subject, content, name;
    int people;
};

Visit make_visit(bench::TextGen& g, int i) {
    static const char* cats[] = {"urban", "rural", "education", "health", "welfare", "transport", "environment"};
    char at[20];
    std::snprintf(at, sizeof at, "2025-%02d-%02d %02d:%02d", 1 + i % 12, 1 + i % 28, 8 + i % 10, i % 60);
    return {platform::new_id(), at, cats[i % 7], g.phrase(3), g.phrase(25), g.name(), 1 + i % 4};
}

// The visit, its visitor and the search row; with `log` also the clock and change-log rows.
void write_visit(Side& s, const Visit& v, bool log) {
    db::Db& db = *s.db;
    const std::string pid = platform::new_id();
    auto& vis = db.cached(
        "INSERT INTO visits(id, station_id, received_at, channel, people, category, subject, content, route, "
        "created_at) VALUES(?, 'st', ?, 'station', ?, ?, ?, ?, 'answered', ?)");
    must(vis.bind(1, v.id)
             .bind(2, v.received_at)
             .bind(3, v.people)
             .bind(4, v.category)
             .bind(5, v.subject)
             .bind(6, v.content)
             .bind(7, v.received_at)
             .run(),
         "visit");
    auto& who = db.cached("INSERT INTO visit_visitors(id, visit_id, name, phone) VALUES(?, ?, ?, '13800138000')");
    must(who.bind(1, pid).bind(2, v.id).bind(3, v.name).run(), "visitor");
    if (log) {
        auto field = [&](const char* table, const std::string& row, const char* col, const std::string& value) {
            char hlc[64];
            std::snprintf(hlc, sizeof hlc, "001760000000000-%08lld-bench", static_cast<long long>(++s.tick));
            auto& ck = db.cached("INSERT INTO crr_clock(tbl, row, col, hlc) VALUES(?, ?, ?, ?)");
            must(ck.bind(1, table).bind(2, row).bind(3, col).bind(4, hlc).run(), "clock");
            auto& lg = db.cached(
                "INSERT INTO crr_log(hlc, tbl, row, col, value, scope, local) VALUES(?, ?, ?, ?, ?, 'st', 1)");
            must(lg.bind(1, hlc).bind(2, table).bind(3, row).bind(4, col).bind(5, value).run(), "log");
        };
        for (const auto& [col, value] :
             std::vector<std::pair<const char*, std::string>>{{"station_id", "st"},
                                                              {"received_at", v.received_at},
                                                              {"channel", "station"},
                                                              {"people", std::to_string(v.people)},
                                                              {"category", v.category},
                                                              {"subject", v.subject},
                                                              {"created_at", v.received_at},
                                                              {"content", v.content},
                                                              {"route", "answered"}})
            field("visits", v.id, col, value);
        field("visit_visitors", pid, "visit_id", v.id);
        field("visit_visitors", pid, "name", v.name);
        field("visit_visitors", pid, "phone", "13800138000");
    }
    auto& fts = db.cached(
        "INSERT INTO visit_search(rowid, subject, content, names) VALUES((SELECT rowid FROM visits WHERE id = ?), ?, "
        "?, ?)");
    must(fts.bind(1, v.id)
             .bind(2, domain::search_text(v.subject))
             .bind(3, domain::search_text(v.content))
             .bind(4, domain::search_text(v.name))
             .run(),
         "search row");
}

double save(Side& s, const Visit& v) {
    const auto t0 = Clock::now();
    auto tx = db::Tx::begin(*s.db);
    if (!tx) die("begin", tx.error());
    write_visit(s, v, true);
    must(tx->commit(), "commit");
    return ms_since(t0);
}

// The visit list's first page and the hit count, as the store answers search-as-you-type
// (client/store/store.cpp: find_visits, then count_visits): the hit count from the index; above
// 2,000 hits the page walks visits in date order probing the hit set, else it looks the hits up.
int64_t hit_count(db::Db& db, const std::string& phrase) {
    auto& count = db.cached("SELECT count(*) FROM visit_search WHERE visit_search MATCH ?");
    count.bind(1, phrase);
    auto r = count.step();
    if (!r) die("count", r.error());
    return *r ? count.i64(0) : 0;
}

int64_t search(db::Db& db, const std::string& text) {
    const std::string phrase = "\"" + domain::search_text(text) + "\"";
    const bool date_order = hit_count(db, phrase) > 2000;
    auto& page = db.cached(
        std::string("SELECT v.id, v.received_at, v.category, v.subject, v.people, v.route, "
                    "(SELECT name FROM visit_visitors p WHERE p.visit_id = v.id AND p._deleted = 0 ORDER BY p.id "
                    "LIMIT 1) FROM visits v JOIN (SELECT v.rowid AS rid FROM visits v WHERE v._deleted = 0 AND ") +
        (date_order ? "+v.rowid" : "v.rowid") +
        " IN (SELECT rowid FROM visit_search WHERE visit_search MATCH ?) ORDER BY v.received_at DESC, v.id DESC "
        "LIMIT 50 OFFSET 0) page ON page.rid = v.rowid ORDER BY v.received_at DESC, v.id DESC");
    page.bind(1, phrase);
    must(page.run(), "page");
    return hit_count(db, phrase);
}

double first_page_ms(Side& s) {
    s.db.reset();
    const auto t0 = Clock::now();
    s.db = open_side(s);
    auto st = s.db->prepare(
        "SELECT id, received_at, subject FROM visits WHERE _deleted = 0 ORDER BY received_at DESC LIMIT 50");
    if (!st) die("prepare", st.error());
    must(st->run(), "first page");
    return ms_since(t0);
}

void line(const char* what, double plain, double enc) {
    std::printf("%-52s %10.3f %10.3f %+7.1f %%\n", what, plain, enc, plain > 0 ? (enc / plain - 1) * 100 : 0.0);
}

// Saves, the two stores taking turns going first.
void bench_saves(Side (&sides)[2], bench::TextGen& g, int n_save) {
    std::vector<double> lat[2];
    for (auto& s : sides) fresh(s);
    for (int i = 0; i < n_save; ++i) {
        const Visit v = make_visit(g, i);
        for (int k = 0; k < 2; ++k) {
            const int side = (i + k) % 2;
            Visit mine = v;
            mine.id = platform::new_id();
            lat[side].push_back(save(sides[side], mine));
        }
    }
    line("save a visit (27 rows + FTS), NORMAL: p50 ms", pct(lat[0], 0.5), pct(lat[1], 0.5));
    line("save a visit (27 rows + FTS), NORMAL: p99 ms", pct(lat[0], 0.99), pct(lat[1], 0.99));
}

// The same visits in both stores, imported in batches (visit, visitor, search row).
void bench_import(Side (&sides)[2], bench::TextGen& g, int from, int n_visits) {
    double import_ms[2] = {0, 0};
    const int batch = 5000;
    for (int done = from; done < n_visits; done += batch) {
        std::vector<Visit> vs;
        for (int i = done; i < std::min(n_visits, done + batch); ++i) vs.push_back(make_visit(g, i));
        for (int k = 0; k < 2; ++k) {
            const auto t0 = Clock::now();
            auto tx = db::Tx::begin(*sides[k].db);
            if (!tx) die("begin", tx.error());
            for (const auto& v : vs) write_visit(sides[k], v, false);
            must(tx->commit(), "commit");
            import_ms[k] += ms_since(t0);
        }
    }
    line("import the rest of the visits: total ms", import_ms[0], import_ms[1]);
    for (auto& s : sides) must(s.db->exec("PRAGMA wal_checkpoint(TRUNCATE)"), "checkpoint");
}

void bench_search(Side (&sides)[2]) {
    for (const char* q : {"路", "路灯", "电梯", "老旧小区"}) {
        std::vector<double> t[2];
        int64_t hits = 0;
        for (int rep = 0; rep < 50; ++rep)
            for (int k = 0; k < 2; ++k) {
                const auto t0 = Clock::now();
                hits = search(*sides[k].db, q);
                t[k].push_back(ms_since(t0));
            }
        char what[96];
        std::snprintf(what, sizeof what, "search '%s' (count + first page), %lld hits: p50 ms", q,
                      static_cast<long long>(hits));
        line(what, pct(t[0], 0.5), pct(t[1], 0.5));
    }
}

void bench_open(Side (&sides)[2]) {
    std::vector<double> open[2];
    for (int rep = 0; rep < 5; ++rep)
        for (int k = 0; k < 2; ++k) open[k].push_back(first_page_ms(sides[k]));
    line("open + first page of the visit list: p50 ms", pct(open[0], 0.5), pct(open[1], 0.5));
    // A store just opened reads every page it needs from the file: the first search pays the
    // decryption of the index pages it touches.
    double cold[2];
    for (int k = 0; k < 2; ++k) {
        sides[k].db = open_side(sides[k]);
        const auto t0 = Clock::now();
        (void)search(*sides[k].db, "路灯");
        cold[k] = ms_since(t0);
    }
    line("first search '路灯' after opening: ms", cold[0], cold[1]);
}

int run(const bench::Options& opt) {
    const int n_visits = opt.number("--visits", 100000), n_save = opt.number("--saves", 3000);
    const std::string dir = opt.dir("liaison-bench-crypt");
    auto key = db::StoreKey::random();
    if (!key) die("key", key.error());
    Side sides[2] = {{"plaintext", dir + "/plain.db", nullptr, nullptr},
                     {"encrypted", dir + "/crypt.db", std::make_shared<const db::StoreKey>(std::move(*key)), nullptr}};
    std::printf("Encryption at rest: plaintext vs AES-256-XTS store (%d saves, %d visits searched)\n", n_save,
                n_visits);
    std::printf("%-52s %10s %10s %9s\n", "", "plaintext", "encrypted", "overhead");
    bench::TextGen g;
    bench_saves(sides, g, n_save);
    bench_import(sides, g, n_save, n_visits);
    bench_search(sides);
    bench_open(sides);
    std::printf("store files: %.1f MB / %.1f MB\n",
                static_cast<double>(std::filesystem::file_size(sides[0].path)) / 1e6,
                static_cast<double>(std::filesystem::file_size(sides[1].path)) / 1e6);
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return bench::guarded_main("bench_crypt", run, argc, argv); }
