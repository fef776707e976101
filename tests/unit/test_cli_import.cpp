// A large `liaison visit import` streams: its peak memory stays bounded whatever the file's size,
// and a process killed mid-import leaves the store as it was (docs/performance.md, Bulk import).
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "cli_fixture.h"
#include "tests/support/visits_csv.h"

using testing_support::CliDir;
using testing_support::pending;
using testing_support::station;

namespace {

CliDir station_with_deputies() {
    CliDir d = station();
    for (const auto& name : testing_support::csv_deputies())
        REQUIRE(d.run({"deputy", "add", "--name", name}).code == 0);
    return d;
}

int64_t visit_count(const CliDir& d) {
    auto s = testing_support::open_store_of(d);
    auto n = s->count_visits({});
    REQUIRE(n.ok());
    return *n;
}

// Starts `liaison visit import FILE` in a child process.
pid_t import_in_child(const CliDir& d, const std::string& file) {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(d.run({"visit", "import", file}).code);
    REQUIRE(pid > 0);
    return pid;
}

// AddressSanitizer's shadow memory and its quarantine of freed blocks (256 MB) make a process's
// peak RSS say nothing of the import's own memory: the bound is checked in the plain build.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRssMeasuresTheImport = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kRssMeasuresTheImport = false;
#else
constexpr bool kRssMeasuresTheImport = true;
#endif
#else
constexpr bool kRssMeasuresTheImport = true;
#endif

}  // namespace

// 6,000 visits with 2,500-character notes make a 50 MB file in a few seconds of import (100,000
// plain ones take about a minute): a reader that held the file, its decoded text, its records or
// its visits would pass 150 MB; a streamed import stays near 40 MB.
TEST_CASE("importing a 50 MB file stays under 150 MB of peak memory (measured in a child process)") {
    CliDir d = station_with_deputies();
    const std::string file = (d.dir / "big.csv").string();
    const int64_t rows = 6000;
    REQUIRE(testing_support::VisitsCsv(2500).write(file, rows));
    REQUIRE(std::filesystem::file_size(file) > (45u << 20));
    const pid_t pid = import_in_child(d, file);
    int status = 0;
    rusage ru{};
    REQUIRE(::wait4(pid, &status, 0, &ru) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    const double peak_mb = static_cast<double>(ru.ru_maxrss) / 1024;  // kilobytes on Linux
    MESSAGE("peak RSS of the import: " << peak_mb << " MB for a " << std::filesystem::file_size(file) / 1000000
                                       << " MB file");
    if (kRssMeasuresTheImport) CHECK(peak_mb < 150);
    CHECK(visit_count(d) == rows);
}

TEST_CASE("a process killed mid-import leaves the store as it was") {
    CliDir d = station_with_deputies();
    REQUIRE(d.run({"visit", "add", "--visitor", "甲", "--category", "教育", "--subject", "之前的来访"}).code == 0);
    const int64_t before = pending(d);
    const std::string file = (d.dir / "big.csv").string();
    REQUIRE(testing_support::VisitsCsv().write(file, 20000));
    const pid_t pid = import_in_child(d, file);
    // Killed once the import has written a good part of its transaction to the WAL.
    const auto wal = d.dir / "liaison.db-wal";
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::error_code ec;
    while (std::filesystem::file_size(wal, ec) < (8u << 20) && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFSIGNALED(status));  // it was still importing
    CHECK(d.run({"check"}).code == 0);
    CHECK(visit_count(d) == 1);
    CHECK(pending(d) == before);
}
