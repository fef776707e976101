// liaison-central --config FILE, as the packaged service starts it (docs/packaging.md): the file's
// options are used, the command line wins over them, and a bad line stops the server naming the
// file and the line.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server_process.h"
#include "sim_device.h"

namespace {

struct ConfigDir {
    std::filesystem::path dir = sim::temp_dir("central-config");
    ~ConfigDir() { std::filesystem::remove_all(dir); }
    std::string write(const std::string& text) {
        auto path = (dir / "central.conf").string();
        std::ofstream(path) << text;
        return path;
    }
    std::string read_log() {
        std::ifstream in(dir / "stderr.log");
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
};

}  // namespace

// In the SQLite run only (doctest suite "sqlite"): the command line and its config file, the same for
// either backend.
TEST_CASE("config: the file names the database; a flag on the command line wins over it" *
          doctest::test_suite("sqlite")) {
    ConfigDir c;
    const auto a = (c.dir / "a.db").string(), b = (c.dir / "b.db").string();
    const auto conf = c.write("# the service's options\nlisten = 127.0.0.1:0\ndb = " + a + "\n  threads = 2  \n");
    int code = -1;
    CHECK(central_process::run("", {"--config", conf, "init"}, &code) == "database ready\n");
    CHECK(code == 0);
    CHECK(std::filesystem::exists(a));
    e2e::run_central(b, {"--config", conf, "station", "add", "命令行联络站"}, &code);
    CHECK(code == 0);
    CHECK(e2e::run_central(b, {"station", "list"}).find("命令行联络站") != std::string::npos);
    CHECK(e2e::run_central(a, {"station", "list"}).empty());
}

TEST_CASE("config: the server listens where the file says" * doctest::test_suite("sqlite")) {
    ConfigDir c;
    const auto conf = c.write("listen = 127.0.0.1:0\ndb = " + (c.dir / "c.db").string() + "\nverbose = true\n");
    pid_t pid = -1;
    const std::string line = central_process::serve("", {"--config", conf}, &pid);
    CHECK(line.rfind("listening on 127.0.0.1:", 0) == 0);
    if (pid > 0) {
        ::kill(pid, SIGTERM);
        int status = 0;
        ::waitpid(pid, &status, 0);
        CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
}

TEST_CASE("config: an unknown key or a line without '=' stops it with the file and line" *
          doctest::test_suite("sqlite")) {
    ConfigDir c;
    for (const std::string bad : {"lisen = 127.0.0.1:8080", "threads 4", "verbose = yes", "db ="}) {
        CAPTURE(bad);
        const auto conf = c.write("# first\n" + bad + "\n");
        std::filesystem::remove(c.dir / "stderr.log");
        int code = -1;
        central_process::run("", {"--config", conf, "init"}, &code, (c.dir / "stderr.log").string());
        CHECK(code == 2);
        CHECK(c.read_log().find(conf + ":2: ") != std::string::npos);
    }
    int code = -1;
    central_process::run("", {"--config", (c.dir / "missing.conf").string(), "init"}, &code);
    CHECK(code == 2);
}

TEST_CASE("options: -h prints the usage; an unknown option is named even as the last word" *
          doctest::test_suite("sqlite")) {
    ConfigDir c;
    int code = -1;
    CHECK(central_process::run("", {"-h"}, &code).find("usage: liaison-central") == 0);
    CHECK(code == 0);
    const auto log = (c.dir / "stderr.log").string();
    central_process::run((c.dir / "d.db").string(), {"--frobnicate"}, &code, log);
    CHECK(code == 2);
    CHECK(c.read_log().find("unknown option --frobnicate") != std::string::npos);
}
