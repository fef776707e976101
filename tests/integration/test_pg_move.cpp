// A SQLite county moved to PostgreSQL (docs/server.md, "Moving a county to PostgreSQL"): two
// enrolled tablets that synced with a SQLite server sync on with the PostgreSQL server that
// `liaison-central migrate` filled, without enrolling again, their cursors valid. Run only
// against the test cluster (ctest test_pg_move, fixture pg).
#include <doctest/doctest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "../support/pg_test_db.h"
#include "../unit/cli_fixture.h"
#include "server_process.h"
#include "sim_device.h"

using namespace liaison;
using nlohmann::json;
using testing_support::CliDir;

namespace {

void cli_ok(const CliDir& t, std::vector<std::string> words) {
    auto r = t.run(std::move(words));
    REQUIRE_MESSAGE(r.code == 0, r.err);
}

std::set<std::string> subjects(const CliDir& t) {
    auto r = t.run({"visit", "list", "--json"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    std::set<std::string> out;
    for (const auto& v : json::parse(r.out)) out.insert(v["subject"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("a SQLite server moved to PostgreSQL: its tablets sync on without enrolling again") {
    REQUIRE_MESSAGE(pg_test::enabled(), "LIAISON_TEST_PG_HOST names no test cluster (run through ctest)");
    auto dir = sim::temp_dir("move");
    const std::string sqlite = (dir / "central.db").string(), pg = pg_test::fresh_db();
    REQUIRE(!pg.empty());
    int code = 0;
    const std::string station = e2e::last_line(e2e::run_central(sqlite, {"station", "add", "东城联络站"}, &code));
    REQUIRE(code == 0);
    auto code_for = [&] { return e2e::last_line(e2e::run_central(sqlite, {"enrol-code", station})); };
    std::string port;
    CliDir t1, t2;
    {
        e2e::CentralProcess central(sqlite);
        port = central.url().substr(central.url().rfind(':') + 1);
        cli_ok(t1, {"enrol", "--server", central.url(), "--code", code_for()});
        cli_ok(t2, {"enrol", "--server", central.url(), "--code", code_for()});
        cli_ok(t1, {"visit", "add", "--visitor", "王五", "--category", "教育", "--subject", "路灯不亮"});
        cli_ok(t2, {"visit", "add", "--visitor", "李四", "--category", "教育", "--subject", "学校门口拥堵"});
        for (auto* t : {&t1, &t2, &t1}) cli_ok(*t, {"sync"});
    }
    const auto before = sim::server_rows(sqlite, "SELECT count(*), max(seq) FROM crr_log").at(0);

    auto moved = e2e::run_central("", {"migrate", "--from", sqlite, "--to", pg}, &code);
    REQUIRE_MESSAGE(code == 0, moved);
    CHECK(moved.find("moved " + before[0] + " changes, 2 devices") != std::string::npos);
    // Into a database that holds changes: refused.
    e2e::run_central("", {"migrate", "--from", sqlite, "--to", pg}, &code);
    CHECK(code != 0);
    CHECK(sim::server_rows(pg, "SELECT count(*), max(seq) FROM crr_log").at(0) == before);
    CHECK(sim::server_dump_scope(pg, station) == sim::server_dump_scope(sqlite, station));
    // The recovery keys the tablets escrowed at enrolment moved with their devices.
    const std::string escrowed = "SELECT id, recovery_key FROM srv_devices WHERE recovery_key <> '' ORDER BY id";
    CHECK(sim::server_rows(sqlite, escrowed).size() == 2);
    CHECK(sim::server_rows(pg, escrowed) == sim::server_rows(sqlite, escrowed));

    // The same address, now PostgreSQL behind it: the tablets keep their tokens and cursors.
    e2e::CentralProcess central(pg, {"--listen", "127.0.0.1:" + port});
    cli_ok(t1, {"visit", "add", "--visitor", "赵六", "--category", "教育", "--subject", "迁移之后"});
    for (auto* t : {&t1, &t2}) cli_ok(*t, {"sync"});
    const std::set<std::string> all = {"路灯不亮", "学校门口拥堵", "迁移之后"};
    CHECK(subjects(t1) == all);
    CHECK(subjects(t2) == all);
    // t2 pulled after the moved seqs only: the new visit's changes, nothing again.
    const auto after = sim::server_rows(pg, "SELECT count(*) FROM crr_log WHERE seq > " + before[1]).at(0);
    CHECK(std::stoll(after[0]) > 0);
    auto status = t2.run({"sync", "--status", "--json"});
    CHECK(json::parse(status.out)["last_error"] == "");
    std::filesystem::remove_all(dir);
}
