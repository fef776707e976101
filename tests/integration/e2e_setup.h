// The central server's database for an end-to-end test, with one station: a SQLite file in a
// temporary folder, or a fresh PostgreSQL database in the _pg run (tests/support/pg_test_db.h).
#pragma once
#include <filesystem>
#include <string>

#include <doctest/doctest.h>

#include "server_process.h"
#include "sim_device.h"

namespace e2e {

struct Setup {
    std::filesystem::path dir = sim::temp_dir("e2e");
    std::string db = pg_test::central_db(dir);  // SQLite, or PostgreSQL in the _pg run
    std::string station;
    explicit Setup(const std::string& name = "东城联络站") {
        REQUIRE_MESSAGE(!db.empty(), "the test cluster of PostgreSQL cannot be reached");
        int code = 0;
        station = last_line(run_central(db, {"station", "add", name}, &code));
        REQUIRE(code == 0);
    }
    ~Setup() { std::filesystem::remove_all(dir); }
    Setup(const Setup&) = delete;
    Setup& operator=(const Setup&) = delete;
    std::string code_for(const std::string& st) {
        int code = 0;
        auto out = run_central(db, {"enrol-code", st}, &code);
        REQUIRE(code == 0);
        return last_line(out);
    }
};

}  // namespace e2e
