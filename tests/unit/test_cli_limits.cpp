// Text limits at the command line (docs/domain.md): a value over its field's maximum is bad input,
// exit 2 with one line naming the field, and nothing is written.
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "cli_fixture.h"

using nlohmann::json;
using testing_support::CliDir;
using testing_support::pending;
using testing_support::station;

namespace {
size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }
}  // namespace

TEST_CASE("visit add with a subject over 200 characters exits 2 with one line and writes nothing") {
    CliDir d = station();
    const int64_t before = pending(d);
    std::string subject;
    for (int i = 0; i < 201; ++i) subject += "灯";
    auto r = d.run({"visit", "add", "--visitor", "王五", "--category", "urban", "--subject", subject});
    CHECK(r.code == 2);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find("subject") != std::string::npos);
    CHECK(r.err.find("200") != std::string::npos);
    CHECK(pending(d) == before);
    CHECK(json::parse(d.run({"visit", "list", "--json"}).out).empty());

    subject.resize(subject.size() - 3);  // exactly 200 characters is fine
    CHECK(d.run({"visit", "add", "--visitor", "王五", "--category", "urban", "--subject", subject}).code == 0);
}

TEST_CASE("visit add with content over 10,000 characters or a 40+ character phone is refused") {
    CliDir d = station();
    auto r = d.run({"visit", "add", "--visitor", "王五", "--category", "urban", "--subject", "路灯", "--content",
                    std::string(10001, 'x')});
    CHECK(r.code == 2);
    CHECK(r.err.find("content") != std::string::npos);
    auto p = d.run({"visit", "add", "--visitor", std::string(201, 'n'), "--category", "urban", "--subject", "路灯"});
    CHECK(p.code == 2);
    CHECK(p.err.find("name") != std::string::npos);
    CHECK(json::parse(d.run({"visit", "list", "--json"}).out).empty());
}

TEST_CASE("CSV import of a 15 MB cell fails naming the line and imports nothing") {
    CliDir d = station();
    const int64_t before = pending(d);
    const std::string csv = "visitor,category,subject,content\n甲,教育,校门口拥堵,短\n乙,urban,路灯,\"" +
                            std::string(15u << 20, 'x') + "\"\n";
    auto r = d.run({"visit", "import", d.file("big.csv", csv)});
    CHECK(r.code == 2);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find("line 3") != std::string::npos);
    CHECK(r.err.find("content") != std::string::npos);
    CHECK(r.err.size() < 300);
    CHECK(pending(d) == before);
    CHECK(json::parse(d.run({"visit", "list", "--json"}).out).empty());
}
