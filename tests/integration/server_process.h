// A real liaison-central process on 127.0.0.1 and a random free port (--listen 127.0.0.1:0; the
// server prints the port it bound). Killable with SIGKILL and restartable on the same database.
#pragma once
#include <csignal>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <doctest/doctest.h>

namespace e2e {

inline std::string run_central(const std::string& db, std::vector<std::string> args, int* code = nullptr) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        std::vector<std::string> all = {LIAISON_CENTRAL_BIN, "--db", db};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (code) *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

inline std::string last_line(std::string s) {
    while (!s.empty() && s.back() == '\n') s.pop_back();
    auto p = s.rfind('\n');
    return p == std::string::npos ? s : s.substr(p + 1);
}

class CentralProcess {
public:
    CentralProcess(std::string db, std::vector<std::string> extra = {}) : db_(std::move(db)), extra_(std::move(extra)) {
        start();
    }
    ~CentralProcess() { stop(SIGTERM); }

    void start() {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::dup2(fds[1], 1);
            ::close(fds[0]);
            std::vector<std::string> all = {LIAISON_CENTRAL_BIN, "--db", db_, "--listen", "127.0.0.1:0", "--threads", "4"};
            all.insert(all.end(), extra_.begin(), extra_.end());
            std::vector<char*> argv;
            for (auto& a : all) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(fds[1]);
        std::string line;
        pollfd p{fds[0], POLLIN, 0};
        while (line.find('\n') == std::string::npos && ::poll(&p, 1, 10000) > 0) {
            char buf[256];
            const ssize_t n = ::read(fds[0], buf, sizeof buf);
            if (n <= 0) break;
            line.append(buf, static_cast<size_t>(n));
        }
        ::close(fds[0]);
        const auto colon = line.rfind(':');
        REQUIRE_MESSAGE(line.rfind("listening on 127.0.0.1:", 0) == 0, line);
        port_ = std::stoi(line.substr(colon + 1));
    }
    void stop(int sig) {
        if (pid_ <= 0) return;
        ::kill(pid_, sig);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    void kill9() { stop(SIGKILL); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    const std::string& db() const { return db_; }

private:
    std::string db_;
    std::vector<std::string> extra_;
    pid_t pid_ = -1;
    int port_ = 0;
};

}  // namespace e2e
