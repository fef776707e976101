// The store's safety against the centre: a disk that fills during a pull, `liaison recover`
// against a real liaison-central, and the central backup.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "../support/db_scalar.h"
#include "../unit/cli_fixture.h"
#include "server_process.h"
#include "sim_device.h"
#include "sync/replica/backup.h"

using namespace liaison;
using nlohmann::json;
using testing_support::CliDir;
using testing_support::scalar;

namespace {

std::string pull_cursor(db::Db& db) {
    auto c = sync::sync_state::get(db, "pull_cursor", "0");
    REQUIRE(c.ok());
    return *c;
}

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Scrambles the header of the visits table's root page (as a failing flash card might), so the
// store is damaged while its outbox stays readable for recover's report.
void damage(const std::filesystem::path& store) {
    int64_t root = 0, page = 0;
    {
        db::Db::Options ro;
        ro.read_only = true;
        ro.key = testing_support::store_key(store.parent_path());
        auto d = db::Db::open(store.string(), ro);
        REQUIRE(d.ok());
        root = scalar(**d, "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = 'visits'");
        page = scalar(**d, "PRAGMA page_size");
    }
    std::string bytes = read_all(store);
    const size_t at = static_cast<size_t>((root - 1) * page);
    for (size_t i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>(bytes[at + i] ^ 0xA5);
    std::ofstream(store, std::ios::binary | std::ios::trunc) << bytes;
}

std::string add_visit(const CliDir& t, const std::string& subject) {
    auto r = t.run({"visit", "add", "--visitor", "王五", "--category", "教育", "--subject", subject});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return r.last_line();
}

std::set<std::string> subjects(const CliDir& t) {
    auto r = t.run({"visit", "list", "--json"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    std::set<std::string> out;
    for (const auto& v : json::parse(r.out)) out.insert(v["subject"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("a round whose outcome cannot be written fails instead of reporting a stale success") {
    auto dir = sim::temp_dir("status-unwritable");
    sim::Central c(pg_test::central_db(dir));
    const std::string station = c.add_station("东湖联络站");
    sync::LoopbackTransport t([&](const sync::HttpRequest& r) { return c.handle(r); });
    sim::Tablet tablet((dir / "a.db").string(), "DA", 0);
    sim::enrol(c, t, tablet, station);
    REQUIRE(tablet.sync(t).ok());

    // Only the last write of the round fails, as a card that fails mid-round would.
    REQUIRE(tablet.db
                ->exec("CREATE TEMP TRIGGER fail_success BEFORE INSERT ON main.sync_state "
                       "WHEN NEW.key = 'last_success_ms' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
                .ok());
    auto r = tablet.sync(t);
    CHECK_FALSE(r.ok());
    REQUIRE(tablet.db->exec("DROP TRIGGER temp.fail_success").ok());
    auto again = tablet.sync(t);
    REQUIRE_MESSAGE(again.ok(), again.error().message);
    auto last = sync::sync_state::get(*tablet.db, "last_success_ms", "");
    REQUIRE(last.ok());
    CHECK_FALSE(last->empty());
    tablet.rep.reset();
    tablet.db.reset();
    std::filesystem::remove_all(dir);
}

TEST_CASE("a tablet low on disk space pulls in smaller pages and says 'disk full' when even one change does not fit") {
    auto dir = sim::temp_dir("diskfull");
    sim::Central c(pg_test::central_db(dir));
    const std::string station = c.add_station("东湖联络站");
    sync::LoopbackTransport t([&](const sync::HttpRequest& r) { return c.handle(r); });
    sim::Tablet writer((dir / "a.db").string(), "DA", 0), reader((dir / "b.db").string(), "DB", 0);
    sim::enrol(c, t, writer, station);
    sim::enrol(c, t, reader, station);
    const std::string text(1000, 'x');
    for (int i = 0; i < 300; ++i)
        REQUIRE(writer.write("visits", "v" + std::to_string(i),
                             {{"station_id", station}, {"subject", "路灯 " + std::to_string(i)}, {"content", text}}));
    REQUIRE(writer.sync(t).ok());

    // Room for part of the feed only.
    const int64_t pages = scalar(*reader.db, "PRAGMA page_count");
    REQUIRE(reader.db->exec("PRAGMA max_page_count = " + std::to_string(pages + 120)).ok());
    auto full = reader.sync(t);
    REQUIRE(!full.ok());
    CHECK(full.error().kind == Error::Kind::Full);
    CHECK(full.error().message.find("disk full") == 0);
    CHECK(pull_cursor(*reader.db) != "0");  // the pages that fitted are kept
    const int64_t kept = scalar(*reader.db, "SELECT count(*) FROM visits");
    CHECK(kept > 0);
    CHECK(kept < 300);

    // Space freed: the next round finishes where the last one stopped.
    REQUIRE(reader.db->exec("PRAGMA max_page_count = 1000000").ok());
    auto done = reader.sync(t);
    REQUIRE_MESSAGE(done.ok(), done.error().message);
    CHECK(scalar(*reader.db, "SELECT count(*) FROM visits") == 300);
    reader.rep.reset();
    writer.rep.reset();
    reader.db.reset();
    writer.db.reset();
    std::filesystem::remove_all(dir);
}

TEST_CASE(
    "recover rebuilds a damaged tablet store from the centre, its own visits included, and lists what was never sent") {
    auto dir = sim::temp_dir("recover");
    const std::string db = pg_test::central_db(dir);
    int code = 0;
    const std::string station = e2e::last_line(e2e::run_central(db, {"station", "add", "东城联络站"}, &code));
    REQUIRE(code == 0);
    auto code_for = [&] { return e2e::last_line(e2e::run_central(db, {"enrol-code", station})); };
    e2e::CentralProcess central(db);
    CliDir t1, t2;
    REQUIRE(t1.run({"enrol", "--server", central.url(), "--code", code_for()}).code == 0);
    REQUIRE(t2.run({"enrol", "--server", central.url(), "--code", code_for()}).code == 0);
    add_visit(t1, "路灯不亮");
    add_visit(t1, "垃圾清运");
    add_visit(t2, "学校门口拥堵");
    REQUIRE(t2.run({"sync"}).code == 0);
    REQUIRE(t1.run({"sync"}).code == 0);
    add_visit(t1, "没来得及同步");

    damage(t1.dir / "liaison.db");
    auto refused = t1.run({"sync"});
    CHECK(refused.code == 1);
    CHECK(refused.err.find("damaged") != std::string::npos);

    auto r = t1.run({"recover"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    INFO(r.out);
    CHECK(r.out.find("recovered") != std::string::npos);
    CHECK(r.out.find("never sent") != std::string::npos);
    CHECK(r.out.find("visits (new record)") != std::string::npos);
    CHECK(subjects(t1) == std::set<std::string>{"路灯不亮", "垃圾清运", "学校门口拥堵"});
    CHECK(t1.run({"check"}).code == 0);

    // The rebuilt store is the same device: it syncs on with its old token.
    add_visit(t1, "恢复之后");
    REQUIRE(t1.run({"sync"}).code == 0);
    REQUIRE(t2.run({"sync"}).code == 0);
    CHECK(subjects(t2).count("恢复之后") == 1);
    std::filesystem::remove_all(dir);
}

// SQLite only: PostgreSQL is backed up with its own tools (docs/server.md).
TEST_CASE("liaison-central backup writes a sound copy while the server runs" * doctest::test_suite("sqlite")) {
    auto dir = sim::temp_dir("central-backup");
    const std::string db = (dir / "central.db").string(), copy = (dir / "copy.db").string();
    int code = 0;
    e2e::run_central(db, {"station", "add", "西城联络站"}, &code);
    REQUIRE(code == 0);
    e2e::CentralProcess central(db);
    auto out = e2e::run_central(db, {"backup", copy}, &code);
    REQUIRE_MESSAGE(code == 0, out);
    CHECK(db::check_file(copy).ok());
    auto list = e2e::run_central(copy, {"station", "list"}, &code);
    CHECK(code == 0);
    CHECK(list.find("西城联络站") != std::string::npos);
    std::filesystem::remove_all(dir);
}
