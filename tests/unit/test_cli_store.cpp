// The store file itself: damage is noticed, an empty file is not rebuilt, backups, restore, and
// the exit-status rule (0 ok, 2 bad input, 1 any other failure).
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_fixture.h"
#include "client/store/store.h"
#include "sync/replica/backup.h"

using nlohmann::json;
using testing_support::CliDir;
using testing_support::CliRun;

namespace {

CliDir station_with_visits(int n) {
    CliDir d;
    REQUIRE(d.run({"init", "--station", "东湖街道代表联络站"}).code == 0);
    for (int i = 0; i < n; ++i)
        REQUIRE(d.run({"visit", "add", "--visitor", "王五", "--category", "教育", "--subject",
                       "学校门口拥堵 " + std::to_string(i), "--content", std::string(300, 'x')})
                    .code == 0);
    return d;
}

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_all(const std::filesystem::path& p, const std::string& bytes) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
}

// The store's page size (its header is encrypted: asked through SQLite).
size_t page_size_of(const CliDir& d) {
    auto s = testing_support::open_store_of(d);
    auto st = s->db().prepare("PRAGMA page_size");
    REQUIRE(st.ok());
    REQUIRE(st->step().ok());
    return static_cast<size_t>(st->i64(0));
}

// A copy of the store with the header of one b-tree page scrambled (the last page: a leaf of
// some table or index).
std::string flipped(const std::string& db, size_t page) {
    std::string bytes = db;
    REQUIRE(bytes.size() >= 4 * page);
    const size_t at = bytes.size() - page;
    for (size_t i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>(bytes[at + i] ^ 0xA5);
    return bytes;
}

std::string joined(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) s += w + " ";
    return s;
}

void one_line_error(const CliRun& r, int code) {
    CHECK(r.code == code);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("liaison: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

int64_t visit_count(const CliDir& d, const std::string& path) {
    auto s = testing_support::open_store_of(d.dir, path);
    liaison::store::VisitQuery q;
    q.limit = 1000000;
    auto n = s->count_visits(q);
    REQUIRE(n);
    return *n;
}

}  // namespace

TEST_CASE("a bit-flipped store is refused by every verb with one line that says how to recover") {
    CliDir good = station_with_visits(40);
    CliDir bad;
    const std::string damaged = flipped(read_all(good.dir / "liaison.db"), page_size_of(good));
    write_all(bad.dir / "liaison.db", damaged);
    write_all(bad.dir / "keyring.json", read_all(good.dir / "keyring.json"));
    for (const auto& words : std::vector<std::vector<std::string>>{
             {"visit", "add", "--visitor", "甲", "--category", "教育", "--subject", "s"},
             {"sync"},
             {"visit", "list"},
             {"check"}}) {
        CAPTURE(joined(words));
        auto r = bad.run(words);
        one_line_error(r, 1);
        CHECK(r.err.find("damaged") != std::string::npos);
        CHECK(r.err.find("liaison recover") != std::string::npos);
    }
    CHECK(read_all(bad.dir / "liaison.db") == damaged);
    CHECK(good.run({"check"}).code == 0);
}

TEST_CASE("an empty liaison.db is not silently made a new store by a read-only verb") {
    CliDir d;
    write_all(d.dir / "liaison.db", "");
    for (const auto& words :
         std::vector<std::vector<std::string>>{{"visit", "list"}, {"changes"}, {"sync", "--status"}}) {
        CAPTURE(joined(words));
        auto r = d.run(words);
        one_line_error(r, 1);
        CHECK(r.err.find("empty") != std::string::npos);
    }
    CHECK(std::filesystem::file_size(d.dir / "liaison.db") == 0);
}

TEST_CASE("backup while another connection writes: the copy is sound and holds the rows") {
    CliDir d = station_with_visits(5);
    auto writer = testing_support::open_store_of(d);
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::thread t([&] {
        while (!stop) {
            liaison::store::Visit v;
            v.category = "education";
            v.subject = "并发写入";
            v.visitors.push_back({});
            v.visitors.back().name = "甲";
            if (writer->add_visit(v)) ++written;
        }
    });
    while (written < 20) std::this_thread::yield();
    const std::string copy = (d.dir / "copy.db").string();
    auto r = d.run({"backup", copy});
    stop = true;
    t.join();
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(liaison::db::check_file(copy, testing_support::store_key(d)));
    CHECK(!std::filesystem::exists(copy + "-wal"));
    CHECK(visit_count(d, copy) >= 5 + 20);
}

TEST_CASE("restore sets a store up from a backup and keeps the one it replaces") {
    CliDir d = station_with_visits(3);
    const std::string copy = (d.dir / "copy.db").string();
    REQUIRE(d.run({"backup", copy}).code == 0);
    REQUIRE(d.run({"visit", "add", "--visitor", "乙", "--category", "教育", "--subject", "备份之后"}).code == 0);

    auto refused = d.run({"restore", copy});
    one_line_error(refused, 2);
    CHECK(json::parse(d.run({"visit", "list", "--json"}).out).size() == 4);

    auto r = d.run({"restore", copy, "--force"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(json::parse(d.run({"visit", "list", "--json"}).out).size() == 3);
    bool kept = false;
    for (const auto& e : std::filesystem::directory_iterator(d.dir))
        if (e.path().filename().string().rfind("liaison.db.before-restore", 0) == 0) kept = true;
    CHECK(kept);

    CliDir fresh;
    REQUIRE(fresh.run({"restore", copy}).code == 0);
    CHECK(json::parse(fresh.run({"visit", "list", "--json"}).out).size() == 3);

    CliDir other;
    one_line_error(other.run({"restore", (d.dir / "nope.db").string()}), 2);
    one_line_error(other.run({"restore", other.file("junk.db", "not a database at all, just text")}), 2);
    CHECK(!std::filesystem::exists(other.dir / "liaison.db"));
}

TEST_CASE("exit status: bad numbers are bad input (2), store trouble is a failure (1)") {
    CliDir d = station_with_visits(1);
    for (const auto& words : std::vector<std::vector<std::string>>{
             {"visit", "list", "--limit", "-1"},
             {"visit", "list", "--limit", "10abc"},
             {"visit", "list", "--offset", "-5"},
             {"changes", "--limit", "-1"},
             {"changes", "--limit", "x"},
             {"visit", "add", "--visitor", "甲", "--category", "教育", "--subject", "s", "--people", "1-2"},
             {"visit", "add", "--visitor", "甲", "--category", "教育", "--subject", "s", "--people", "-"}}) {
        CAPTURE(joined(words));
        one_line_error(d.run(words), 2);
    }
    CliDir none;
    one_line_error(none.run({"sync", "--status"}), 1);
    one_line_error(none.run({"visit", "list"}), 1);
}
