// liaison queue ..., in process.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli_fixture.h"

using nlohmann::json;
using testing_support::CliDir;
using testing_support::pending;
using testing_support::station;

TEST_CASE("queue add, list, call, serve, leave through the command line") {
    CliDir d = station();
    REQUIRE(d.run({"deputy", "add", "--name", "陈明"}).code == 0);
    auto a1 = d.run({"queue", "add", "--visitor", "王小明", "--phone", "13800138000", "--topic", "村口路灯不亮",
                     "--people", "2", "--category", "城乡建设", "--deputy", "陈明"});
    REQUIRE_MESSAGE(a1.code == 0, a1.err);
    CHECK(a1.out.find("A001") != std::string::npos);
    const std::string id1 = a1.last_line();
    CHECK(id1.size() == 36);
    auto a2 = d.run({"queue", "add", "--visitor", "李四", "--phone", "010-12345678", "--topic", "小区停车难"});
    REQUIRE(a2.code == 0);
    CHECK(a2.out.find("A002") != std::string::npos);
    CHECK(a2.out.find("1 waiting ahead") != std::string::npos);
    const std::string id2 = a2.last_line();

    // The plain listing masks names and shows no phone numbers; --json has everything for staff.
    auto list = d.run({"queue", "list"});
    REQUIRE(list.code == 0);
    CHECK(list.out.find("王*明") != std::string::npos);
    CHECK(list.out.find("王小明") == std::string::npos);
    CHECK(list.out.find("13800138000") == std::string::npos);
    CHECK(list.out.find("2 tickets, 2 waiting") != std::string::npos);
    auto js = d.run({"queue", "list", "--json"});
    REQUIRE(js.code == 0);
    auto arr = json::parse(js.out);
    REQUIRE(arr.size() == 2);
    CHECK(arr[0]["number"] == "A001");
    CHECK(arr[0]["visitor"] == "王小明");
    CHECK(arr[0]["phone"] == "13800138000");
    CHECK(arr[0]["people"] == 2);
    CHECK(arr[0]["category"] == "urban");
    CHECK(arr[1]["waiting_ahead"] == 1);

    auto next = d.run({"queue", "call", "--next"});
    REQUIRE(next.code == 0);
    CHECK(next.last_line() == id1);
    CHECK(next.out.find("A001") != std::string::npos);

    // Refused transitions: exit 2, one line, nothing written.
    const int64_t before = pending(d);
    auto again = d.run({"queue", "call", id1});
    CHECK(again.code == 2);
    CHECK(again.err.find("already been called") != std::string::npos);
    auto early = d.run({"queue", "serve", "A002", "--visit", "whatever"});
    CHECK(early.code == 2);
    CHECK(early.err.find("call it before serving") != std::string::npos);
    CHECK(pending(d) == before);

    auto v = d.run({"visit", "add", "--visitor", "王小明", "--category", "城乡建设", "--subject", "村口路灯不亮",
                    "--channel", "reception_day"});
    REQUIRE(v.code == 0);
    const std::string vid = v.last_line();
    auto served = d.run({"queue", "serve", id1, "--visit", vid});
    REQUIRE_MESSAGE(served.code == 0, served.err);
    auto shown = json::parse(d.run({"queue", "list", "--json"}).out);
    CHECK(shown[0]["status"] == "served");
    CHECK(shown[0]["visit_id"] == vid);

    // A ticket may be named by its shown number too.
    auto left = d.run({"queue", "leave", "a2"});
    REQUIRE(left.code == 0);
    CHECK(left.last_line() == id2);
    auto nobody = d.run({"queue", "call", "--next"});
    CHECK(nobody.code == 2);
    CHECK(nobody.err.find("nobody is waiting") != std::string::npos);
}

TEST_CASE("queue add refuses bad input with one clear line and writes nothing") {
    CliDir d = station();
    const int64_t before = pending(d);
    auto bad_phone = d.run({"queue", "add", "--visitor", "王小明", "--phone", "12345", "--topic", "路灯"});
    CHECK(bad_phone.code == 2);
    CHECK(bad_phone.err.rfind("liaison: phone number must be an 11-digit mobile number", 0) == 0);
    CHECK(std::count(bad_phone.err.begin(), bad_phone.err.end(), '\n') == 1);
    CHECK(d.run({"queue", "add", "--visitor", "王小明", "--topic", "路灯"}).code == 2);  // no --phone
    CHECK(d.run({"queue", "add", "--visitor", "", "--phone", "13800138000", "--topic", "路灯"}).code == 2);
    CHECK(
        d.run({"queue", "add", "--visitor", "王", "--phone", "13800138000", "--topic", "路灯", "--people", "0"}).code ==
        2);
    CHECK(d.run({"queue", "add", "--visitor", "王", "--phone", "13800138000", "--topic", "路灯", "--deputy", "无名"})
              .code == 2);
    CHECK(d.run({"queue", "list", "--date", "2026-13-01"}).code == 2);
    CHECK(d.run({"queue", "call"}).code == 2);
    CHECK(d.run({"queue", "frobnicate"}).code == 2);
    CHECK(pending(d) == before);
}

TEST_CASE("queue series; no kiosk-pin verb") {
    CliDir d = station();
    auto s = d.run({"queue", "series"});
    REQUIRE(s.code == 0);
    CHECK(s.out.find("this tablet issues A") != std::string::npos);
    CHECK(d.run({"queue", "series", "O"}).code == 2);
    REQUIRE(d.run({"queue", "series", "K"}).code == 0);
    auto t = d.run({"queue", "add", "--visitor", "王小明", "--phone", "13800138000", "--topic", "路灯"});
    REQUIRE(t.code == 0);
    CHECK(t.out.find("K001") != std::string::npos);

    // No kiosk PIN any more: an administrator's sign-in leaves the kiosk (docs/security.md).
    CHECK(d.run({"kiosk-pin", "set", "482916"}).code == 2);
}
