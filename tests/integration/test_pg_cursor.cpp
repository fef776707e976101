// The pull cursor stays commit-ordered with writers on several processes (docs/server.md, "The
// pull cursor on PostgreSQL"): two liaison-central processes on one PostgreSQL database, devices
// of two stations pushing through both at once while the centre adds reference rows, and
// pullers on both processes pulling small pages all the while. A puller that ever saw seq N+1
// before seq N committed would have moved its cursor past N for good: at the end, each puller
// must hold every change of its feed exactly once. Run only against the test cluster (ctest
// test_pg_cursor, fixture pg).
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "../support/pg_test_db.h"
#include "platform/platform.h"
#include "server_process.h"
#include "sync/client/curl_transport.h"
#include "sync/core/wire.h"

using namespace liaison;
using nlohmann::json;

namespace {

constexpr const char* kAdmin = "cursor-test-admin-token";
constexpr int kPushersPerStation = 4;
constexpr int kPushes = 50;   // per pusher
constexpr int kBatch = 5;     // visits per push, one change each
constexpr int kPullPage = 7;  // small pages: many cursor moves

struct Device {
    std::string id, station, token;
};

sync::HttpResponse send(const std::string& url, const std::string& method, const std::string& target,
                        const std::string& token, const std::string& body = "") {
    sync::CurlOptions o;
    o.base_url = url;
    sync::CurlTransport t(o);
    sync::HttpRequest r;
    r.method = method;
    r.target = target;
    r.headers = {{sync::kProtocolHeader, "1"}, {"Content-Type", "application/json"}};
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
    r.body = body;
    auto res = t.send(r);
    return res.ok() ? *res : sync::HttpResponse{};
}

Device enrol(const std::string& db, const std::string& url, const std::string& station, const std::string& id) {
    int code = 0;
    const std::string enrol_code = e2e::last_line(e2e::run_central(db, {"enrol-code", station}, &code));
    REQUIRE(code == 0);
    auto res = send(url, "POST", "/v1/enrol", "", json({{"code", enrol_code}, {"device_id", id}}).dump());
    REQUIRE_MESSAGE(res.status == 200, res.body);
    return Device{id, station, json::parse(res.body)["token"]};
}

// One push of kBatch new visits, stamped now by this device.
json batch(const Device& d, int push, uint32_t& counter) {
    json changes = json::array();
    for (int k = 0; k < kBatch; ++k) {
        sync::FieldChange c;
        c.hlc = sync::Hlc{platform::wall_ms(), ++counter, d.id};
        c.table = "visits";
        c.row = d.id + "-" + std::to_string(push) + "-" + std::to_string(k);
        c.column = "subject";
        c.value = json("来访 " + std::to_string(push)).dump();
        c.scope = d.station;
        changes.push_back(sync::change_to_json(c));
    }
    return json{{"protocol", 1}, {"changes", changes}};
}

// A puller's view of its feed: every change id it received, in order, and the cursors it saw.
struct Feed {
    std::vector<std::string> ids;
    int64_t cursor = 0;
    bool went_back = false;
    int pages = 0;
};

// One page; false when the feed had nothing more.
bool pull_page(const std::string& url, const Device& d, Feed& f) {
    auto res =
        send(url, "GET", "/v1/pull?after=" + std::to_string(f.cursor) + "&limit=" + std::to_string(kPullPage), d.token);
    if (res.status != 200) return false;
    auto j = json::parse(res.body);
    for (const auto& c : j["changes"]) f.ids.push_back(c["id"]);
    const int64_t next = std::stoll(j["cursor"].get<std::string>());
    f.went_back = f.went_back || next < f.cursor;
    f.cursor = next;
    ++f.pages;
    return j["more"].get<bool>() || !j["changes"].empty();
}

}  // namespace

TEST_CASE("two processes, concurrent pushes: no puller ever skips a change") {
    REQUIRE_MESSAGE(pg_test::enabled(), "LIAISON_TEST_PG_HOST names no test cluster (run through ctest)");
    const std::string db = pg_test::fresh_db();
    REQUIRE_MESSAGE(!db.empty(), "the test cluster of PostgreSQL cannot be reached");
    int code = 0;
    const std::string stations[] = {e2e::last_line(e2e::run_central(db, {"station", "add", "东城联络站"}, &code)),
                                    e2e::last_line(e2e::run_central(db, {"station", "add", "西城代表之家"}, &code))};
    REQUIRE(code == 0);
    e2e::CentralProcess one(db, {"--admin-token", kAdmin, "--threads", "8"});
    e2e::CentralProcess two(db, {"--admin-token", kAdmin, "--threads", "8"});
    const std::string urls[] = {one.url(), two.url()};

    std::vector<Device> pushers, pullers;
    for (int s = 0; s < 2; ++s) {
        for (int i = 0; i < kPushersPerStation; ++i)
            pushers.push_back(enrol(db, urls[i % 2], stations[s], "dpush" + std::to_string(s) + std::to_string(i)));
        for (int i = 0; i < 2; ++i)
            pullers.push_back(enrol(db, urls[i % 2], stations[s], "dpull" + std::to_string(s) + std::to_string(i)));
    }

    std::atomic<int> pushing{static_cast<int>(pushers.size()) + 1};
    std::atomic<int> failed_pushes{0};
    std::vector<std::thread> threads;
    for (size_t i = 0; i < pushers.size(); ++i)
        threads.emplace_back([&, i] {
            uint32_t counter = 0;
            for (int n = 0; n < kPushes; ++n) {
                // Each push to the other process than the one before.
                auto res =
                    send(urls[(i + n) % 2], "POST", "/v1/push", pushers[i].token, batch(pushers[i], n, counter).dump());
                if (res.status != 200 || json::parse(res.body)["accepted"] != kBatch) ++failed_pushes;
            }
            --pushing;
        });
    // The centre writes reference rows (scope *) meanwhile: every feed has two scopes.
    threads.emplace_back([&] {
        for (int n = 0; n < 30; ++n) {
            auto res = send(urls[n % 2], "POST", "/v1/admin/stations", kAdmin,
                            json({{"name", "新站 " + std::to_string(n)}}).dump());
            if (res.status != 201) ++failed_pushes;
        }
        --pushing;
    });
    std::vector<Feed> feeds(pullers.size());
    for (size_t i = 0; i < pullers.size(); ++i)
        threads.emplace_back([&, i] {
            for (int n = 0; pushing > 0; ++n) pull_page(urls[(i + n) % 2], pullers[i], feeds[i]);
            while (pull_page(urls[i % 2], pullers[i], feeds[i])) {
            }
        });
    for (auto& t : threads) t.join();
    CHECK(failed_pushes == 0);

    pg_test::Conn server(db);
    int64_t pages = 0;
    for (size_t i = 0; i < pullers.size(); ++i) {
        CAPTURE(pullers[i].id);
        std::set<std::string> expected;
        for (const auto& r : server.rows("SELECT hlc FROM crr_log WHERE scope IN ('" + pullers[i].station + "', '*')"))
            expected.insert(r[0]);
        const std::set<std::string> seen(feeds[i].ids.begin(), feeds[i].ids.end());
        size_t skipped = 0;
        for (const auto& id : expected) skipped += seen.count(id) == 0 ? 1 : 0;
        CHECK(feeds[i].ids.size() == seen.size());  // nothing twice
        CHECK(skipped == 0);
        CHECK(seen.size() == expected.size());
        CHECK_FALSE(feeds[i].went_back);
        pages += feeds[i].pages;
    }
    const int64_t total = pg_test::count(db, "SELECT count(*) FROM crr_log");
    CHECK(total == static_cast<int64_t>(pushers.size()) * kPushes * kBatch + 2 * 5 + 30 * 5);
    MESSAGE(total << " changes pushed through two processes; " << pages << " pages pulled meanwhile");
}
