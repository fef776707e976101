// The HTTP listener under hostile clients (docs/server.md), printing figures; not a pass/fail test.
//   bench_http [SLOW_CONNECTIONS] [-- server options]
// Starts a fresh liaison-central for each part and prints:
//   ping latency p50/p99 while SLOW_CONNECTIONS (default 1,000) clients trickle headers forever;
//   the server's peak resident memory (VmHWM) through a gzip bomb (1 GB of zeros to /v1/ping),
//   the slow connections, and one request with 20,000 headers of 8 KB.
// 200 kept-alive devices syncing: bench_sync load 200 10 200 (tests/bench/sync_bench.cpp).
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include "../support/central_process.h"
#include "../support/raw_http.h"

using namespace raw_http;

namespace {

struct Server {
    std::filesystem::path dir;
    pid_t pid = -1;
    int port = 0;
    explicit Server(const std::vector<std::string>& extra) {
        dir = std::filesystem::temp_directory_path() / ("liaison-bench-http-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        const std::string line = central_process::serve((dir / "central.db").string(), extra, &pid);
        if (line.rfind("listening on ", 0) != 0) {
            std::fprintf(stderr, "liaison-central did not start: %s\n", line.c_str());
            std::exit(1);
        }
        port = std::stoi(line.substr(line.rfind(':') + 1));
    }
    ~Server() {
        ::kill(pid, SIGTERM);
        ::waitpid(pid, nullptr, 0);
        std::filesystem::remove_all(dir);
    }
    long base_mb() const { return proc_mb(pid, "VmRSS"); }
    long peak_mb() const { return proc_mb(pid); }
};

double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

void slow_clients(int n, const std::vector<std::string>& extra) {
    Server s(extra);
    const long base = s.base_mb();
    std::vector<int> slow;
    for (int i = 0; i < n; ++i) {
        const int fd = dial(s.port);
        if (fd < 0) break;
        send_all(fd, "GET /v1/ping HTTP/1.1\r\nHost: t\r\n");
        slow.push_back(fd);
    }
    std::vector<double> ms;
    int unanswered = 0;
    const auto t0 = Clock::now();
    for (int i = 0; i < 200; ++i) {
        if (i % 20 == 0)
            for (int fd : slow) send_all(fd, "X-Slow: 1\r\n");  // every slow client sends one more line
        const Answer a = ask(s.port, kPing, 10000);
        if (a.status == 200)
            ms.push_back(a.seconds * 1000);
        else
            ++unanswered;
    }
    std::printf(
        "ping with %zu slow connections held open (%.1f s): p50 %.2f ms, p99 %.2f ms, max %.2f ms, "
        "%d of 200 unanswered (target < 1 s)\n",
        slow.size(), seconds_since(t0), pct(ms, 0.5), pct(ms, 0.99), pct(ms, 1.0), unanswered);
    std::printf("  server memory: %ld MB before, peak %ld MB (target < 300 MB)\n", base, s.peak_mb());
    for (int fd : slow) ::close(fd);
}

void gzip_bomb(const std::vector<std::string>& extra) {
    Server s(extra);
    const long base = s.base_mb();
    const std::string bomb = gzip_zeros(1024);
    const Answer a = ask(s.port,
                         "GET /v1/ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Encoding: gzip\r\n"
                         "Content-Length: " +
                             std::to_string(bomb.size()) + "\r\n\r\n" + bomb,
                         120000);
    const Answer e = ask(s.port, post("/v1/enrol", bomb, "Content-Encoding: gzip\r\n"), 120000);
    std::printf(
        "gzip bomb (1 GB of zeros in %zu KB): /v1/ping %d in %.3f s, /v1/enrol %d in %.3f s; "
        "server memory %ld MB before, peak %ld MB\n",
        bomb.size() / 1024, a.status, a.seconds, e.status, e.seconds, base, s.peak_mb());
}

void many_headers(const std::vector<std::string>& extra) {
    Server s(extra);
    const long base = s.base_mb();
    const auto t0 = Clock::now();
    const int fd = dial(s.port, 30000);
    send_all(fd, "GET /v1/ping HTTP/1.1\r\nHost: t\r\n");
    const std::string header = "X-Pad: " + std::string(8 * 1024 - 9, 'a') + "\r\n";
    int sent = 0;
    while (sent < 20000 && send_all(fd, header)) ++sent;
    Answer a;
    if (sent == 20000 && send_all(fd, "\r\n")) a = read_answer(fd, t0);
    ::close(fd);
    std::printf(
        "20,000 headers of 8 KB: the server stopped reading after %d (answer %d, %.2f s); "
        "server memory %ld MB before, peak %ld MB\n",
        sent, a.status, seconds_since(t0), base, s.peak_mb());
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    int slow = 1000;
    std::vector<std::string> extra;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") {
            extra.assign(argv + i + 1, argv + argc);
            break;
        }
        slow = std::stoi(a);
    }
    slow_clients(slow, extra);
    gzip_bomb(extra);
    many_headers(extra);
    return 0;
}
