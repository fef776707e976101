// A real liaison-central process on 127.0.0.1 and a random free port (--listen 127.0.0.1:0; the
// server prints the port it bound). Killable with SIGKILL and restartable on the same database.
#pragma once
#include <csignal>
#include <string>
#include <sys/wait.h>
#include <vector>

#include <doctest/doctest.h>

#include "../support/central_process.h"

namespace e2e {

inline std::string run_central(const std::string& db, std::vector<std::string> args, int* code = nullptr) {
    return central_process::run(db, args, code);
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
        std::vector<std::string> extra = {"--threads", "4"};
        extra.insert(extra.end(), extra_.begin(), extra_.end());
        const std::string line = central_process::serve(db_, extra, &pid_);
        REQUIRE_MESSAGE(line.rfind("listening on 127.0.0.1:", 0) == 0, line);
        port_ = std::stoi(line.substr(line.rfind(':') + 1));
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
