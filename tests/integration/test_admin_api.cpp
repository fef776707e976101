// The admin API through Service::handle on a temporary SQLite store: each route answers only its
// own method (docs/server.md).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "sim_device.h"

using namespace liaison;
using sync::HttpRequest;

namespace {

struct Admin {
    std::filesystem::path dir = sim::temp_dir("admin");
    sim::Central central{(dir / "central.db").string()};
    std::string token;

    Admin() {
        auto t = server::new_admin_token(*central.storage);
        REQUIRE(t.ok());
        token = *t;
    }
    ~Admin() { std::filesystem::remove_all(dir); }

    sync::HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "") {
        HttpRequest req;
        req.method = method;
        req.target = target;
        req.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
        req.body = body;
        return central.handle(req);
    }
    size_t stations() {
        auto all = central.storage->stations();
        REQUIRE(all.ok());
        return all->size();
    }
};

}  // namespace

TEST_CASE("admin: only POST adds a station; PUT and DELETE on /v1/admin/stations are refused") {
    Admin a;
    const std::string body = R"({"name": "东城联络站"})";
    CHECK(a.call("PUT", "/v1/admin/stations", body).status == 405);
    CHECK(a.call("DELETE", "/v1/admin/stations", body).status == 405);
    CHECK(a.call("PATCH", "/v1/admin/stations", body).status == 405);
    CHECK(a.stations() == 0);
    CHECK(a.call("POST", "/v1/admin/stations", body).status == 201);
    CHECK(a.stations() == 1);
}

TEST_CASE("admin: each route answers its own method, unknown paths 404, no token 401") {
    Admin a;
    CHECK(a.call("GET", "/v1/admin/stations").status == 200);
    CHECK(a.call("GET", "/v1/admin/devices").status == 200);
    CHECK(a.call("GET", "/v1/admin/stats").status == 200);
    CHECK(a.call("POST", "/v1/admin/devices").status == 405);
    CHECK(a.call("GET", "/v1/admin/changes").status == 405);
    CHECK(a.call("GET", "/v1/admin/stations/x/enrol-codes").status == 405);
    CHECK(a.call("GET", "/v1/admin/nothing").status == 404);
    CHECK(a.call("GET", "/v1/admin/stations/x/y/z").status == 404);
    const std::string st = a.central.add_station("西城代表之家");
    auto code = a.call("POST", "/v1/admin/stations/" + st + "/enrol-codes");
    CHECK(code.status == 201);
    CHECK(nlohmann::json::parse(code.body)["code"].get<std::string>().size() == 11);
    auto recs = a.call("GET", "/v1/admin/stations/" + st + "/records?table=visits&limit=10");
    CHECK(recs.status == 200);
    CHECK(a.call("GET", "/v1/admin/stations/" + st + "/records?limit=x").status == 400);
    a.token = "wrong";
    CHECK(a.call("GET", "/v1/admin/stations").status == 401);
}
