// The recovery key escrowed at the centre at enrolment (docs/security.md, "Keys and people"):
// a tablet enrolled through the `liaison` command line against a real liaison-central process
// forgets every PIN, the centre's administrator reads the key with `liaison-central
// recovery-key`, and `liaison unlock` opens the store with it. In the _pg run the centre is on
// PostgreSQL.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../unit/cli_fixture.h"
#include "client/sync/store_host.h"
#include "e2e_setup.h"
#include "server_process.h"
#include "sim_device.h"

using namespace liaison;
using nlohmann::json;
using testing_support::CliDir;
using testing_support::CliRun;
using testing_support::signed_in_as;

namespace {

// The centre of the test, and its administrator's view of the escrowed keys.
struct Centre : e2e::Setup {
    std::string enrol_code() { return code_for(station); }
    // liaison-central recovery-key DEVICE: its exit code, its last line on stdout and its stderr.
    struct Answer {
        int code = 0;
        std::string key, err;
    };
    Answer recovery_key(const std::string& device) {
        const auto log = (dir / "recovery-key.err").string();
        std::filesystem::remove(log);
        Answer a;
        a.key = e2e::last_line(central_process::run(db, {"recovery-key", device}, &a.code, log));
        std::ifstream in(log);
        std::stringstream text;
        text << in.rdbuf();
        a.err = text.str();
        return a;
    }
};

// What follows `prefix` on the line of `out` that starts with it ("" when none does), up to the
// first blank.
std::string after(const std::string& out, const std::string& prefix) {
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind(prefix, 0) == 0)
            return line.substr(prefix.size(), line.find(' ', prefix.size()) - prefix.size());
    return "";
}

// The device id the enrol output names for the centre's recovery-key command.
std::string escrowed_device(const CliRun& r) {
    const std::string device = after(r.out, "recovery key escrowed at the centre (liaison-central recovery-key ");
    REQUIRE_MESSAGE(!device.empty(), r.out);
    return device.substr(0, device.find(')'));
}

CliRun unlock(const CliDir& t, const std::string& key, const std::string& admin, const std::string& new_pin) {
    return t.run({"unlock", "--recovery-key", key, "--admin", admin, "--pin-stdin"}, signed_in_as("", std::nullopt),
                 new_pin + "\n");
}

}  // namespace

TEST_CASE("a tablet enrolled anew escrows its recovery key; with the centre's copy every PIN can be forgotten") {
    Centre c;
    e2e::CentralProcess central(c.db);
    CliDir t;
    auto e = t.run({"enrol", "--server", central.url(), "--code", c.enrol_code(), "--admin", "李娜", "--pin-stdin"},
                   signed_in_as("", std::nullopt), "246810\n");
    REQUIRE_MESSAGE(e.code == 0, e.err);
    CHECK(e.last_line() == c.station);
    const std::string printed = after(e.out, "recovery key ");
    CHECK(printed.size() == 39);
    const std::string device = escrowed_device(e);
    auto v = t.run({"visit", "add", "--visitor", "王五", "--category", "教育", "--subject", "入网后的记录"},
                   signed_in_as("李娜", "246810"));
    REQUIRE_MESSAGE(v.code == 0, v.err);

    // Every PIN forgotten: the centre's administrator reads the key, the station unlocks with it.
    auto held = c.recovery_key(device);
    REQUIRE_MESSAGE(held.code == 0, held.err);
    CHECK(held.key == printed);
    CHECK(t.run({"visit", "list", "--json"}, signed_in_as("李娜", "000000")).code == 2);
    auto u = unlock(t, held.key, "李娜", "135790");
    REQUIRE_MESSAGE(u.code == 0, u.err);
    auto list = t.run({"visit", "list", "--json"}, signed_in_as("李娜", "135790"));
    REQUIRE_MESSAGE(list.code == 0, list.err);
    CHECK(list.out.find("入网后的记录") != std::string::npos);
    CHECK(t.run({"visit", "list", "--json"}, signed_in_as("李娜", "246810")).code == 2);
}

TEST_CASE("a store set up with init escrows a new recovery key at enrolment; the one init printed stops working") {
    Centre c;
    e2e::CentralProcess central(c.db);
    CliDir t;
    auto init = t.run({"init", "--station", "临时站"});
    REQUIRE_MESSAGE(init.code == 0, init.err);
    const std::string from_init = after(init.out, "recovery key ");
    REQUIRE(from_init.size() == 39);
    auto e = t.run({"enrol", "--server", central.url(), "--code", c.enrol_code()});
    REQUIRE_MESSAGE(e.code == 0, e.err);
    const std::string renewed = after(e.out, "new recovery key ");
    CHECK(renewed.size() == 39);
    CHECK(renewed != from_init);
    auto held = c.recovery_key(escrowed_device(e));
    REQUIRE_MESSAGE(held.code == 0, held.err);
    CHECK(held.key == renewed);
    CHECK(unlock(t, from_init, testing_support::kAdmin, "112233").code != 0);
    auto u = unlock(t, held.key, testing_support::kAdmin, "112233");
    REQUIRE_MESSAGE(u.code == 0, u.err);
    CHECK(t.run({"visit", "list"}, signed_in_as(testing_support::kAdmin, "112233")).code == 0);

    // Enrolled again (a new token): the key is renewed and escrowed again, replacing the centre's.
    auto again = t.run({"enrol", "--server", central.url(), "--code", c.enrol_code()},
                       signed_in_as(testing_support::kAdmin, "112233"));
    REQUIRE_MESSAGE(again.code == 0, again.err);
    CHECK(c.recovery_key(escrowed_device(again)).key == after(again.out, "new recovery key "));
}

TEST_CASE("recovery-key refuses in one line an unknown device and a device enrolled without escrow") {
    Centre c;
    auto unknown = c.recovery_key("d0nosuchdevice");
    CHECK(unknown.code != 0);
    CHECK(unknown.err == "liaison-central: no device d0nosuchdevice\n");

    // A tablet of an older version sends no key: enrolment works, the centre holds none.
    sim::Central in_process(c.db);
    sync::LoopbackTransport net([&](const sync::HttpRequest& r) { return in_process.handle(r); });
    sim::Tablet old_tablet((c.dir / "old.db").string(), "d0oldtablet", 0);
    sim::enrol(in_process, net, old_tablet, c.station);
    auto none = c.recovery_key("d0oldtablet");
    CHECK(none.code != 0);
    CHECK(none.err == "liaison-central: device d0oldtablet was enrolled without escrowing its recovery key\n");
}

TEST_CASE("an older server that ignores the recovery key enrols the tablet and the tablet says nothing was escrowed") {
    Centre c;
    sim::Central in_process(c.db);
    // The older server: it never reads the field and never answers recovery_key_escrowed.
    sync::LoopbackTransport old_server([&](const sync::HttpRequest& r) {
        auto req = r;
        auto body = json::parse(req.body);
        CHECK(body.contains("recovery_key"));
        body.erase("recovery_key");
        req.body = body.dump();
        auto res = in_process.handle(req);
        auto answer = json::parse(res.body);
        answer.erase("recovery_key_escrowed");
        res.body = answer.dump();
        return res;
    });
    store::OpenOptions create;
    create.create = true;
    auto s = store::Store::open((c.dir / "tablet.db").string(), create);
    REQUIRE(s.ok());
    auto code = server::issue_enrol_code(*in_process.storage, c.station);
    REQUIRE(code.ok());
    auto r = sync::enrol(**s, old_server, "http://old.example", *code, {}, "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789");
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    CHECK(r->station_id == c.station);
    CHECK_FALSE(r->recovery_escrowed);
    CHECK(c.recovery_key(r->device_id).code != 0);
}

TEST_CASE("a malformed recovery key is refused with 400 and spends no enrolment code") {
    Centre c;
    sim::Central in_process(c.db);
    auto code = server::issue_enrol_code(*in_process.storage, c.station);
    REQUIRE(code.ok());
    auto ask = [&](const json& key) {
        sync::HttpRequest req;
        req.method = "POST";
        req.target = "/v1/enrol";
        req.headers = {{sync::kProtocolHeader, "1"}};
        req.body = json({{"code", *code}, {"device_id", "d0escrow"}, {"recovery_key", key}}).dump();
        return in_process.handle(req);
    };
    CHECK(ask(12345).status == 400);
    CHECK(ask("7K2M 7K2M; DROP").status == 400);
    CHECK(ask(std::string(65, 'A')).status == 400);
    auto ok = ask("7K2M-7K2M-7K2M-7K2M-7K2M-7K2M-7K2M-7K2M");
    REQUIRE(ok.status == 200);
    CHECK(json::parse(ok.body)["recovery_key_escrowed"] == true);
    CHECK(c.recovery_key("d0escrow").key == "7K2M-7K2M-7K2M-7K2M-7K2M-7K2M-7K2M-7K2M");
}
