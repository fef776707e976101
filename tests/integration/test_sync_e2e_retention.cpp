// Retention end to end (docs/retention.md): the canary. A voter 刘䶮测 (13912345678) synced to a
// real liaison-central, the case rated, the period passed: after `retention run` no file of the
// server's folder holds either string's bytes, nor any file of the tablet's after its next sync;
// the figures do not change; a younger visit and one with an open case keep their voters.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "../unit/cli_fixture.h"
#include "platform/platform.h"
#include "server_process.h"
#include "sim_device.h"
#include "sync/client/curl_transport.h"

using namespace liaison;
using nlohmann::json;
using testing_support::CliDir;

namespace {

// Every file under `dir` whose bytes contain `needle` (the raw files: db, -wal, -shm, anything).
std::vector<std::string> files_holding(const std::filesystem::path& dir, const std::string& needle) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (bytes.find(needle) != std::string::npos) out.push_back(e.path().filename().string());
    }
    return out;
}

std::string ok_line(const CliDir& t, std::vector<std::string> words) {
    auto r = t.run(std::move(words));
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return r.last_line();
}

std::string central_ok(const std::string& db, std::vector<std::string> words) {
    int code = 0;
    auto out = e2e::run_central(db, std::move(words), &code);
    REQUIRE_MESSAGE(code == 0, out);
    return out;
}

// The centre assigns a case (交办) to a department, as the console does.
void assign(const std::string& url, const std::string& admin, const std::string& station, const std::string& id) {
    json body = {{"author", "工委"},
                 {"writes",
                  {{{"table", "departments"}, {"row", "dep-r"}, {"scope", "*"}, {"fields", {{"name", "区住建局"}}}},
                   {{"table", "cases"},
                    {"row", id},
                    {"fields", {{"department_id", "dep-r"}, {"deadline", "2020-04-30"}, {"status", "assigned"}}}},
                   {{"table", "case_events"},
                    {"row", platform::new_id()},
                    {"scope", station},
                    {"fields", {{"case_id", id}, {"at", "2020-03-06 10:00"}, {"kind", "assigned"}}}}}}};
    sync::CurlOptions o;
    o.base_url = url;
    sync::CurlTransport ct(o);
    sync::HttpRequest r;
    r.method = "POST";
    r.target = "/v1/admin/changes";
    r.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin}};
    r.body = body.dump();
    auto a = ct.send(r);
    REQUIRE(a.ok());
    REQUIRE_MESSAGE(a->status == 200, a->body);
}

json figures(const std::string& db) {
    auto s = json::parse(central_ok(db, {"stats"}));
    return {{"figures", s["figures"]}, {"per_station", s["per_station"]}, {"visits", s["visits"]}};
}

}  // namespace

// In the SQLite run only (doctest suite "sqlite"): the retention run is not on PostgreSQL yet
// (docs/server.md, "PostgreSQL").
TEST_CASE("retention: no byte of an old voter's name or phone is left on the server or the tablet" *
          doctest::test_suite("sqlite")) {
    const auto dir = sim::temp_dir("retention");
    const std::string db = (dir / "central.db").string();
    const std::string station = e2e::last_line(central_ok(db, {"station", "add", "东城联络站"}));
    central_ok(db, {"retention", "set", "--months", "24"});
    const std::string admin = "e2e-admin-token-0123456789abcdef";
    e2e::CentralProcess central(db, {"--admin-token", admin});
    CliDir t;
    ok_line(t, {"enrol", "--server", central.url(), "--code", e2e::last_line(central_ok(db, {"enrol-code", station}))});

    const std::string canary =
        ok_line(t, {"visit", "add", "--visitor", "刘䶮测", "--phone", "13912345678", "--category", "教育", "--subject",
                    "校门口积水", "--at", "2020-03-05 09:30"});
    const std::string open = ok_line(t, {"visit", "add", "--visitor", "钱七海", "--phone", "13700002222", "--category",
                                         "教育", "--subject", "校车", "--at", "2020-03-05 10:30"});
    const std::string young = ok_line(t, {"visit", "add", "--visitor", "赵六岳", "--phone", "13800001111", "--category",
                                          "教育", "--subject", "路灯"});
    const std::string rated =
        ok_line(t, {"case", "add", "--visit", canary, "--title", "排水", "--at", "2020-03-05 10:00"});
    ok_line(t, {"case", "add", "--visit", open, "--title", "校车线路", "--at", "2020-03-05 11:00"});
    ok_line(t, {"sync"});
    assign(central.url(), admin, station, rated);
    ok_line(t, {"sync"});
    ok_line(t, {"case", "close", rated, "--result", "已疏通", "--at", "2020-03-09 16:00"});
    ok_line(t, {"case", "feedback", rated, "--note", "电话告知", "--at", "2020-03-10 09:00"});
    ok_line(t, {"case", "rate", rated, "--satisfaction", "满意", "--at", "2020-03-12 09:00"});
    ok_line(t, {"sync"});
    const json before = figures(db);
    const std::string tablet_before = t.run({"stats", "--json"}).out;
    CHECK(before["visits"] == 3);
    CHECK_FALSE(files_holding(dir, "刘䶮测").empty());  // the canary is there to be found

    // The centre's run: the period (24 months) is long past for the visits of 2020.
    const std::string run = central_ok(db, {"retention", "run"});
    CHECK(run.find("masked 1 visitors of 1 visits") != std::string::npos);
    for (const char* needle : {"刘䶮测", "13912345678"}) CHECK_MESSAGE(files_holding(dir, needle).empty(), needle);
    CHECK(figures(db) == before);
    CHECK_FALSE(files_holding(dir, "钱七海").empty());  // the open case keeps its voter
    CHECK_FALSE(files_holding(dir, "13800001111").empty());
    CHECK(central_ok(db, {"retention", "run"}).find("masked 0 visitors") != std::string::npos);  // idempotent

    // The tablet pulls the masks and scrubs its own history.
    ok_line(t, {"sync"});
    for (const char* needle : {"刘䶮测", "13912345678"}) CHECK_MESSAGE(files_holding(t.dir, needle).empty(), needle);
    auto shown = json::parse(t.run({"visit", "show", canary, "--json", "--history"}).out);
    CHECK(shown["visitors"][0]["name"] == "刘**");
    CHECK(shown["visitors"][0]["phone"] == "139****5678");
    CHECK(json::parse(t.run({"visit", "show", open, "--json"}).out)["visitors"][0]["name"] == "钱七海");
    CHECK(json::parse(t.run({"visit", "show", young, "--json"}).out)["visitors"][0]["phone"] == "13800001111");
    CHECK(t.run({"stats", "--json"}).out == tablet_before);

    // Off: nothing more happens, and says so.
    central_ok(db, {"retention", "set", "--months", "off"});
    CHECK(central_ok(db, {"retention", "run"}).find("retention is off") != std::string::npos);
    central.stop(SIGTERM);
    std::filesystem::remove_all(dir);
}
