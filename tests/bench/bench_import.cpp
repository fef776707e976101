// Bulk import benchmark (docs/performance.md, Bulk import): `liaison visit import` of N realistic
// visits, in a child process whose peak RSS is read from wait4, next to a plain SQLite INSERT
// loop over the same file in the same run. Prints figures; not a pass/fail test.
//   bench_import [ROWS] [--dir DIR]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "client/cli/cli.h"
#include "sync/replica/sqlite.h"
#include "tests/bench/bench_util.h"
#include "tests/support/visits_csv.h"

using namespace liaison;
using bench::Clock;
using bench::ms_since;

namespace {

constexpr const char* kUser = "王芳";
constexpr const char* kPin = "582913";

int liaison_cli(const std::string& dir, std::vector<std::string> words, const std::string& stdin_text = "") {
    std::ostringstream out, err;
    std::istringstream in(stdin_text);
    cli::Context ctx{dir, out, err};
    ctx.in = &in;
    ctx.user = kUser;
    ctx.pin = std::string(kPin);
    const int code = cli::run(ctx, words);
    if (code != 0) std::cerr << "liaison " << words[0] << ": " << err.str();
    return code;
}

struct ChildRun {
    bool ok = false;
    double ms = 0;
    double peak_mb = 0;  // the child's ru_maxrss
};

// Runs `work` in a child process; its time and peak resident set.
ChildRun in_child(const std::function<int()>& work) {
    std::fflush(nullptr);
    const auto t0 = Clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(work());
    int status = 0;
    rusage ru{};
    ::wait4(pid, &status, 0, &ru);
    return ChildRun{WIFEXITED(status) && WEXITSTATUS(status) == 0, ms_since(t0),
                    static_cast<double>(ru.ru_maxrss) / 1024};
}

// The baseline: the file's rows into one plain table, one prepared INSERT in one transaction.
int plain_insert_loop(const std::string& csv, const std::string& path) {
    auto db = db::Db::open(path);
    if (!db) return 1;
    if (!(*db)->exec("CREATE TABLE visits(received_at TEXT, visitor TEXT, phone TEXT, people INTEGER, "
                     "category TEXT, subject TEXT, content TEXT, deputies TEXT)"))
        return 1;
    auto tx = db::Tx::begin(**db);
    if (!tx) return 1;
    auto& ins = (*db)->cached("INSERT INTO visits VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
        std::stringstream fields(line);
        std::string f;
        for (int c = 1; std::getline(fields, f, ','); ++c) ins.bind(c, f);
        if (!ins.step()) return 1;
        ins.reset();
    }
    return tx->commit() ? 0 : 1;
}

void print(const char* what, size_t rows, const ChildRun& r) {
    std::printf("%-34s %8.0f ms  %9.0f rows/s  peak RSS %6.1f MB%s\n", what, r.ms, rows / (r.ms / 1000), r.peak_mb,
                r.ok ? "" : "  (FAILED)");
}

}  // namespace

int main(int argc, char** argv) {
    size_t rows = 100000;
    std::string dir = std::filesystem::temp_directory_path() / "liaison-bench-import";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--dir" && i + 1 < argc)
            dir = argv[++i];
        else
            rows = std::stoul(a);
    }
    ::setenv("LIAISON_TEST_FAST_KDF", "1", 1);  // the sign-in before the import is not measured
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string csv = dir + "/visits.csv", store_dir = dir + "/tablet";
    if (!testing_support::VisitsCsv().write(csv, rows)) return 1;
    if (liaison_cli(store_dir, {"init", "--station", "东湖街道代表联络站", "--admin", kUser, "--pin-stdin"},
                    std::string(kPin) + "\n") != 0)
        return 1;
    for (const auto& d : testing_support::csv_deputies())
        if (liaison_cli(store_dir, {"deputy", "add", "--name", d}) != 0) return 1;
    std::printf("bulk import of %zu visits (%.1f MB of CSV), each in a child process:\n", rows,
                static_cast<double>(std::filesystem::file_size(csv)) / 1e6);
    const auto base = in_child([&] { return plain_insert_loop(csv, dir + "/plain.db"); });
    print("  plain SQLite INSERT loop", rows, base);
    const auto run = in_child([&] { return liaison_cli(store_dir, {"visit", "import", csv}); });
    print("  liaison visit import", rows, run);
    std::printf("  import/plain time %.1fx (targets: >= 50000 rows/s, < 100 MB for 100k rows)\n", run.ms / base.ms);
    std::printf("  store on disk after the import: %.1f MB\n",
                static_cast<double>(std::filesystem::file_size(store_dir + "/liaison.db")) / 1e6);
    std::filesystem::remove_all(dir);
    return run.ok && base.ok ? 0 : 1;
}
