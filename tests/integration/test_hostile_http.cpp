// Hostile clients against a real liaison-central process on 127.0.0.1, over raw sockets: a gzip
// bomb, slow and oversized headers, bad Content-Length, a second server on a busy port, enrolment
// guessing, a full disk and pushes stuck behind a locked database. Bounds here are loose (the machine is shared);
// latency figures are measured by bench_http (docs/performance.md).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "platform/platform.h"
#include "sync/net/http.h"
#include "sync/core/wire.h"
#include "../support/central_process.h"
#include "../support/raw_http.h"
#include "sim_device.h"

namespace {

using namespace raw_http;

// A liaison-central child with its stdout on a pipe and its stderr (the log) in a file.
struct Central {
    std::filesystem::path dir = sim::temp_dir("hostile");
    std::string db = (dir / "central.db").string();
    std::string log = (dir / "central.log").string();
    pid_t pid = -1;
    int out = -1;
    int port = 0;

    ~Central() {
        stop();
        std::filesystem::remove_all(dir);
    }
    // Starts `liaison-central --db DB ARGS...`; returns its first stdout line (empty if none in 10 s).
    std::string start(const std::vector<std::string>& args, const std::string& db_path = "") {
        const auto child = central_process::spawn(db_path.empty() ? db : db_path, args, log);
        REQUIRE(child.pid >= 0);
        pid = child.pid;
        out = child.out;
        std::string line = central_process::first_line(out);
        if (line.rfind("listening on 127.0.0.1:", 0) == 0) port = std::stoi(line.substr(line.rfind(':') + 1));
        return line;
    }
    void serve(std::vector<std::string> extra = {}) {
        extra.insert(extra.begin(), {"--listen", "127.0.0.1:0"});
        const std::string line = start(extra);
        REQUIRE_MESSAGE(port > 0, line);
    }
    // Waits up to `seconds` for the child to exit; its exit code, or -1 if it is still running.
    int wait_exit(double seconds) {
        const auto t0 = Clock::now();
        while (seconds_since(t0) < seconds) {
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return -1;
    }
    void stop() {
        if (out >= 0) ::close(out);
        out = -1;
        if (pid <= 0) return;
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid = -1;
    }
    long peak_rss_mb() const { return raw_http::proc_mb(pid); }
    std::string log_text() const {
        std::ifstream in(log);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    std::string admin(const std::vector<std::string>& args) {
        int code = 0;
        std::string out_text = central_process::run(db, args, &code);
        REQUIRE(code == 0);
        while (!out_text.empty() && out_text.back() == '\n') out_text.pop_back();
        return out_text.substr(out_text.rfind('\n') + 1);
    }
};

}  // namespace

TEST_CASE("a gzip bomb is never inflated by the listener") {
    Central c;
    c.serve();
    const std::string bomb = gzip_zeros(512);  // half a GB of zeros in ~0.5 MB
    REQUIRE(!bomb.empty());
    const std::string req =
        "GET /v1/ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Encoding: gzip\r\n"
        "Content-Length: " +
        std::to_string(bomb.size()) + "\r\n\r\n" + bomb;
    Answer a = ask(c.port, req, 10000);
    CHECK(a.status != 0);
    CHECK(a.seconds < 5);
    // The service's own bounded gunzip answers a bomb on a route that reads its body.
    Answer e = ask(c.port, post("/v1/enrol", bomb, "Content-Encoding: gzip\r\n"), 10000);
    CHECK(e.status == 413);
    const long rss = c.peak_rss_mb();
    if (kRssBoundsHold) CHECK_MESSAGE(rss < 200, "peak RSS " << rss << " MB");
}

TEST_CASE("slow clients holding many connections do not stop a ping") {
    Central c;
    c.serve();
    std::vector<int> slow;
    for (int i = 0; i < 1000; ++i) {
        const int fd = dial(c.port);
        if (fd < 0) break;
        send_all(fd, "GET /v1/ping HTTP/1.1\r\nHost: t\r\nX-Slow: 1\r\n");  // never finished
        slow.push_back(fd);
    }
    CHECK(slow.size() == 1000);
    for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < slow.size(); i += 7) send_all(slow[i], "X-More: 1\r\n");  // trickle
        Answer a = ask(c.port, kPing, 4000);
        CHECK(a.status == 200);
        CHECK(a.seconds < 3);
    }
    if (kRssBoundsHold) CHECK(c.peak_rss_mb() < 300);
    for (int fd : slow) ::close(fd);
}

TEST_CASE("an endless header section is refused early") {
    Central c;
    c.serve();
    const int fd = dial(c.port);
    REQUIRE(fd >= 0);
    send_all(fd, "GET /v1/ping HTTP/1.1\r\nHost: t\r\n");
    const std::string header = "X-Pad: " + std::string(8 * 1024 - 9, 'a') + "\r\n";
    int sent = 0;
    while (sent < 20000 && send_all(fd, header)) ++sent;
    Answer a;
    if (sent == 20000 && send_all(fd, "\r\n")) a = read_answer(fd, Clock::now());
    ::close(fd);
    CHECK_MESSAGE(sent < 20000, "the server read " << sent << " headers of 8 KB");
    CHECK(a.status != 200);
    if (kRssBoundsHold) CHECK(c.peak_rss_mb() < 100);
}

TEST_CASE("a negative or overflowing Content-Length is answered 400 at once") {
    Central c;
    c.serve();
    for (const std::string len : {"-1", "18446744073709551617", "12abc"}) {
        CAPTURE(len);
        Answer a = ask(c.port,
                       std::string("POST /v1/enrol HTTP/1.1\r\nHost: t\r\nLiaison-Protocol: 1\r\n"
                                   "Content-Length: ") +
                           len + "\r\n\r\n{}",
                       5000);
        // libmicrohttpd itself answers a length past 2^64 with 413, the others reach our check.
        CHECK((a.status == 400 || (a.status == 413 && len.size() > 19)));
        CHECK(a.seconds < 2);
    }
    // A body announced over the limit is refused before it is sent.
    Answer big = ask(c.port,
                     "POST /v1/enrol HTTP/1.1\r\nHost: t\r\nLiaison-Protocol: 1\r\n"
                     "Content-Length: 999999999\r\n\r\n",
                     5000);
    CHECK(big.status == 413);
    CHECK(big.body.find("\"too_large\"") != std::string::npos);
}

TEST_CASE("a second server on a busy port refuses to start") {
    Central first;
    first.serve();
    Central second;
    const std::string line =
        second.start({"--listen", "127.0.0.1:" + std::to_string(first.port)}, (second.dir / "other.db").string());
    const int code = second.wait_exit(5);
    CHECK(code > 0);
    CHECK(line.find("listening") == std::string::npos);
    std::string log = second.log_text();
    while (!log.empty() && log.back() == '\n') log.pop_back();
    CHECK_MESSAGE(log.find('\n') == std::string::npos, log);
    CHECK_MESSAGE(log.find(std::to_string(first.port)) != std::string::npos, log);
    // The first server still answers.
    CHECK(ask(first.port, kPing).status == 200);
}

TEST_CASE("enrolment guessing from one address is throttled") {
    Central c;
    c.serve();
    int tries = 0, throttled_at = 0;
    Answer last;
    for (; tries < 40 && !throttled_at; ++tries) {
        last = ask(c.port, post("/v1/enrol",
                                R"({"code":"ABCD-EFGH-)" + std::to_string(1000 + tries) + R"(","device_id":"dev1"})"));
        if (last.status == 429) throttled_at = tries + 1;
    }
    REQUIRE_MESSAGE(throttled_at > 0, "no 429 after 40 guesses; last status " << last.status);
    CHECK(throttled_at <= 20);
    CHECK(std::atoi(last.header("Retry-After").c_str()) > 0);
    CHECK(last.body.find("\"throttled\"") != std::string::npos);
    CHECK(c.log_text().find("127.0.0.1") != std::string::npos);
    // Other routes are not throttled.
    CHECK(ask(c.port, kPing).status == 200);
}

TEST_CASE("a full disk is answered 503 with Retry-After and logged with its cause") {
    Central c;
    c.admin({"station", "add", "东城联络站"});
    c.serve({"--admin-token", "secret-token", "--max-db-mb", "2"});
    Answer a;
    const std::string pad(100 * 1000, 'x');
    for (int i = 0; i < 60 && a.status != 503; ++i) {
        const std::string body = R"({"writes":[{"table":"stations","row":"s)" + std::to_string(i) +
                                 R"(","scope":"*","fields":{"name":"n","address":")" + pad + R"("}}]})";
        a = ask(c.port, post("/v1/admin/changes", body, "Authorization: Bearer secret-token\r\n"));
        if (a.status != 200 && a.status != 503) break;
    }
    REQUIRE_MESSAGE(a.status == 503, a.head << "\n" << a.body);
    CHECK(std::atoi(a.header("Retry-After").c_str()) > 0);
    CHECK(a.body.find("\"full\"") != std::string::npos);
    CHECK(c.log_text().find("disk is full") != std::string::npos);
    CHECK(ask(c.port, kPing).status == 200);  // reads still work
}

namespace {

// A device enrolled over HTTP: its token, for pushes and pulls on raw sockets.
std::string enrol_over_http(const Central& central, const std::string& station, const std::string& device_id) {
    const int port = central.port;
    Answer code = ask(
        port, post("/v1/admin/stations/" + station + "/enrol-codes", "{}", "Authorization: Bearer secret-token\r\n"));
    REQUIRE_MESSAGE(code.status == 201, code.body << "\nserver log:\n" << central.log_text());
    const auto c = nlohmann::json::parse(code.body)["code"].get<std::string>();
    Answer e = ask(port, post("/v1/enrol", nlohmann::json({{"code", c}, {"device_id", device_id}}).dump(),
                              std::string(liaison::sync::kProtocolHeader) + ": 1\r\n"));
    REQUIRE_MESSAGE(e.status == 200, e.body << "\nserver log:\n" << central.log_text());
    return nlohmann::json::parse(e.body)["token"].get<std::string>();
}

std::string push_request(const std::string& token, const std::string& station, const std::string& device_id, int n) {
    liaison::sync::FieldChange ch;
    ch.hlc = liaison::sync::Hlc{liaison::platform::wall_ms(), static_cast<uint32_t>(n), device_id};
    ch.table = "visits";
    ch.row = "row-" + std::to_string(n);
    ch.column = "subject";
    ch.value = "\"路灯\"";
    ch.scope = station;
    return post("/v1/push", liaison::sync::encode_changes({ch}),
                "Authorization: Bearer " + token + "\r\n" + liaison::sync::kProtocolHeader + ": 1\r\n");
}

}  // namespace

TEST_CASE("pushes waiting for a locked database do not hold up pulls and pings") {
    Central c;
    const std::string station = c.admin({"station", "add", "东城联络站"});
    c.serve({"--admin-token", "secret-token"});
    const std::string token = enrol_over_http(c, station, "dev1");
    // Another process (a backup tool, an operator's sqlite3 shell) holds the write lock.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(c.db.c_str(), &raw) == SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> holder(raw, sqlite3_close);
    sqlite3_busy_timeout(raw, 10000);  // the server's own start-up writes (the retention timer) may be under way
    REQUIRE(sqlite3_exec(raw, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    // More waiting pushes than the server has threads of any kind.
    std::vector<std::thread> pushes;
    pushes.reserve(40);
    std::atomic<int> pushed{0};
    for (int i = 0; i < 40; ++i)
        pushes.emplace_back([&, i] {
            if (ask(c.port, push_request(token, station, "dev1", i), 30000).status == 200) ++pushed;
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const std::string auth = "Authorization: Bearer " + token + "\r\n" + liaison::sync::kProtocolHeader + ": 1\r\n";
    for (int round = 0; round < 3; ++round) {
        Answer ping = ask(c.port, kPing, 3000);
        CHECK(ping.status == 200);
        CHECK(ping.seconds < 1.5);
        Answer pull =
            ask(c.port, "GET /v1/pull?after=0 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" + auth + "\r\n", 3000);
        CHECK(pull.status == 200);
        CHECK(pull.seconds < 1.5);
    }
    CHECK(pushed == 0);  // still waiting for the lock
    REQUIRE(sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    for (auto& t : pushes) t.join();
    CHECK(pushed == 40);
}
