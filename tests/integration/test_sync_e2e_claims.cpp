// A hostile tablet against a real liaison-central (docs/domain.md): hand-made pushes with a
// station-A device's token that claim station B's records, break the domain's field rules or
// are built to cost the server time. Each is refused and nothing of it is stored.
#include <doctest/doctest.h>

#include <chrono>

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

constexpr const char* kAdmin = "claims-test-admin-token";

struct Hostile {
    std::filesystem::path dir = sim::temp_dir("claims");
    std::string db = pg_test::central_db(dir);
    std::string station_a, station_b, token, device;
    std::unique_ptr<e2e::CentralProcess> central;
    std::unique_ptr<sync::CurlTransport> transport;
    CliDir tablet;

    Hostile() {
        int code = 0;
        station_a = e2e::last_line(e2e::run_central(db, {"station", "add", "东城联络站"}, &code));
        REQUIRE(code == 0);
        station_b = e2e::last_line(e2e::run_central(db, {"station", "add", "西城代表之家"}, &code));
        REQUIRE(code == 0);
        const std::string enrol_code = e2e::last_line(e2e::run_central(db, {"enrol-code", station_a}, &code));
        REQUIRE(code == 0);
        central = std::make_unique<e2e::CentralProcess>(db, std::vector<std::string>{"--admin-token", kAdmin});
        auto r = tablet.run({"enrol", "--server", central->url(), "--code", enrol_code});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        auto st = store::Store::open((tablet.dir / "liaison.db").string(), testing_support::keyed(tablet));
        REQUIRE(st.ok());
        token = *(*st)->token();
        device = (*st)->device()->device_id;
        sync::CurlOptions o;
        o.base_url = central->url();
        transport = std::make_unique<sync::CurlTransport>(o);
    }
    ~Hostile() {
        central.reset();
        std::filesystem::remove_all(dir);
    }

    // One change of station A's scope, as JSON, for the test to bend.
    json change(const std::string& table, const std::string& row, const std::string& column, json value) {
        static int64_t tick = 0;
        const sync::Hlc h{platform::wall_ms(), static_cast<uint32_t>(++tick), device};
        return {{"id", h.str()},
                {"table", table},
                {"row", row},
                {"column", column},
                {"value", std::move(value)},
                {"supersedes", json::array()},
                {"scope", station_a}};
    }
    // POST /v1/push with these changes: the status and the error code ("" on success; for a
    // change refused alone, the code of the first one in the answer's `rejected`).
    std::pair<int, std::string> push(const json& changes, bool gzip = false) {
        sync::HttpRequest req;
        req.method = "POST";
        req.target = "/v1/push";
        req.headers = {
            {sync::kProtocolHeader, "1"}, {"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};
        req.body = json{{"protocol", 1}, {"changes", changes}}.dump();
        if (gzip) {
            auto z = sync::gzip_compress(req.body);
            REQUIRE(z.ok());
            req.body = std::move(*z);
            req.headers.emplace_back("Content-Encoding", "gzip");
        }
        auto r = transport->send(req);
        REQUIRE(r.ok());
        auto j = json::parse(r->body, nullptr, false);
        if (!j.is_object()) return {r->status, ""};
        if (j.contains("error")) return {r->status, j["error"].get<std::string>()};
        if (j.contains("rejected") && !j["rejected"].empty())
            return {r->status, j["rejected"][0]["code"].get<std::string>()};
        return {r->status, ""};
    }
    // The rows the centre holds for a station and table (admin API).
    size_t records(const std::string& station, const std::string& table) {
        sync::HttpRequest req;
        req.method = "GET";
        req.target = "/v1/admin/stations/" + station + "/records?table=" + table;
        req.headers = {{"Authorization", "Bearer " + std::string(kAdmin)}};
        auto r = transport->send(req);
        REQUIRE(r.ok());
        REQUIRE(r->status == 200);
        return json::parse(r->body)["records"].size();
    }
};

const std::string kRow = "0190a0b0-0000-7000-8000-00000000abcd";

}  // namespace

TEST_CASE("a station-A device cannot write a visit or ticket letters into station B") {
    Hostile h;
    auto [status, error] = h.push(
        json::array({h.change("visits", kRow, "station_id", h.station_b),
                     h.change("visits", kRow, "subject", "乙站的假来访"), h.change("visits", kRow, "people", 5)}));
    CHECK(status == 403);
    CHECK(error == "forbidden");
    // All 24 letters of B claimed by one push: refused.
    json letters = json::array();
    for (char c : std::string("ABCDEFGHJKLMNPQRSTUVWXYZ")) {
        const std::string dev = std::string("dfake") + c;
        letters.push_back(h.change("queue_devices", dev, "station_id", h.station_b));
        letters.push_back(h.change("queue_devices", dev, "series", std::string(1, c)));
    }
    CHECK(h.push(letters).first == 403);
    CHECK(h.records(h.station_b, "visits") == 0);
    CHECK(h.records(h.station_a, "visits") == 0);
    CHECK(h.records(h.station_b, "queue_devices") == 0);
    // The same records naming the device's own station are accepted.
    CHECK(h.push(json::array({h.change("visits", kRow, "station_id", h.station_a),
                              h.change("visits", kRow, "subject", "甲站的来访")}))
              .first == 200);
    CHECK(h.push(json::array({h.change("queue_devices", "dfakeZ", "station_id", h.station_a),
                              h.change("queue_devices", "dfakeZ", "series", "Z")}))
              .first == 200);
}

TEST_CASE("the server applies the domain's field rules to every pushed change") {
    Hostile h;
    auto refused = [&](const json& c) {
        // Refused alone (the rest of a push would be stored), so one bad change never blocks an outbox.
        auto [status, error] = h.push(json::array({c}));
        CHECK(status == 200);
        CHECK((error == "bad_value" || error == "bad_change"));
    };
    refused(h.change("visits", kRow, "people", 100000));
    refused(h.change("visits", kRow, "people", -1));
    refused(h.change("visits", kRow, "people", json(static_cast<uint64_t>(-1))));  // 2^64-1
    refused(h.change("visits", kRow, "people", "3"));
    refused(h.change("visits", kRow, "subject", std::string(201, 's')));
    refused(h.change("visits", kRow, "content", std::string(10001, 'c')));
    refused(h.change("visit_visitors", kRow, "phone", std::string(41, '1')));
    refused(h.change("visits", kRow, "channel", "teleport"));
    refused(h.change("visits", kRow, "received_at", "tomorrow"));
    json big_author = h.change("visits", kRow, "subject", "路灯");
    big_author["author"] = std::string(1 << 20, 'a');
    refused(big_author);
    CHECK(h.records(h.station_a, "visits") == 0);
    CHECK(h.push(json::array({h.change("visits", kRow, "people", 1000)})).first == 200);
}

TEST_CASE("a change superseding a million versions is refused fast") {
    Hostile h;
    const std::string old = sync::Hlc{1, 0, h.device}.str();
    auto superseding = [&](int n) {
        json c = h.change("visits", kRow, "subject", "路灯");
        json sup = json::array();
        for (int i = 0; i < n; ++i) sup.push_back(old);
        c["supersedes"] = std::move(sup);
        return json::array({c});
    };
    // A million entries, gzipped: small on the wire.
    // Refused whole (over the unzipped limit) or alone (its supersedes counted before parsing).
    auto [status, error] = h.push(superseding(1000000), true);
    CHECK((status == 413 || (status == 200 && error == "bad_change")));
    // The most that fits in a body the server parses: refused on the count, before any merging.
    const json most = superseding(150000);
    const auto t0 = std::chrono::steady_clock::now();
    auto [st2, err2] = h.push(most);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    MESSAGE("a push superseding 150,000 versions answered in " << ms << " ms");
    CHECK(st2 == 200);
    CHECK(err2 == "bad_change");
    // A tombstone's honest list passes.
    json ok = h.change("visits", kRow, "subject", "路灯");
    ok["supersedes"] = json::array({old});
    CHECK(h.push(json::array({ok})).first == 200);
}
