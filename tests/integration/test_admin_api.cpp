// The admin API through Service::handle on a temporary SQLite store: each route answers only its
// own method (docs/server.md).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "base/text_encoding.h"
#include "sim_device.h"
#include "sync/server/import.h"

using namespace liaison;
using sync::HttpRequest;

namespace {

struct Admin {
    std::filesystem::path dir = sim::temp_dir("admin");
    sim::Central central{pg_test::central_db(dir)};
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

TEST_CASE("admin: a station named in the path is found when the name is percent-encoded, as clients send it") {
    Admin a;
    a.central.add_station("东城联络站");
    // curl, browsers and every HTTP library send the UTF-8 name percent-encoded.
    auto code = a.call("POST", "/v1/admin/stations/%E4%B8%9C%E5%9F%8E%E8%81%94%E7%BB%9C%E7%AB%99/enrol-codes");
    CHECK_MESSAGE(code.status == 201, code.body);
    CHECK(a.call("POST", "/v1/admin/stations/%E8%A5%BF%E5%9F%8E/enrol-codes").status == 404);
}

TEST_CASE("reference-data import reads a GBK file as the tablet's import does; mis-encoded UTF-8 is refused") {
    Admin a;
    auto gbk = text::utf8_to_gb18030("name\n城管局\n教育局\n");
    REQUIRE(gbk.ok());
    auto r = server::import_reference_csv(*a.central.storage, "departments", *gbk);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    CHECK(r->rows == 2);
    auto rows = a.central.storage->records(sync::kReferenceScope, "departments", 100, 0);
    REQUIRE(rows.ok());
    std::vector<std::string> names;
    for (const auto& row : *rows) names.push_back(row["name"].get<std::string>());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"城管局", "教育局"});
    auto doubled = server::import_reference_csv(*a.central.storage, "departments", "name\nåŸŽç®¡å±€\n");
    REQUIRE_FALSE(doubled.ok());
    CHECK(doubled.error().message.find("mis-encoded") != std::string::npos);
}
