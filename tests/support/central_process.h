// Starting liaison-central as a child process for integration tests and benchmarks (no test
// framework here: callers check the results). LIAISON_CENTRAL_BIN is set by CMake.
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace central_process {

struct Child {
    pid_t pid = -1;  // -1: could not start
    int out = -1;    // the read end of its standard output
};

// liaison-central --db DB ARGS... (no --db when DB is empty), its standard output on a pipe; its
// standard error appended to stderr_log when one is named.
inline Child spawn(const std::string& db, const std::vector<std::string>& args, const std::string& stderr_log = "") {
    int fds[2];
    if (::pipe(fds) != 0) return {};
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return {};
    }
    if (pid == 0) {
        ::dup2(fds[1], 1);
        if (!stderr_log.empty()) ::dup2(::open(stderr_log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644), 2);
        ::close(fds[0]);
        std::vector<std::string> all = {LIAISON_CENTRAL_BIN};
        if (!db.empty()) all.insert(all.end(), {"--db", db});
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    return {pid, fds[0]};
}

// Runs an admin command to its end: its standard output, and its exit code in *code.
inline std::string run(const std::string& db, const std::vector<std::string>& args, int* code = nullptr,
                       const std::string& stderr_log = "") {
    Child c = spawn(db, args, stderr_log);
    if (c.pid < 0) {
        if (code) *code = -1;
        return {};
    }
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(c.out, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    ::close(c.out);
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    if (code) *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

// The first line a child prints (with its '\n'), waiting at most 10 s for it.
inline std::string first_line(int out) {
    std::string line;
    pollfd p{out, POLLIN, 0};
    while (line.find('\n') == std::string::npos && ::poll(&p, 1, 10000) > 0) {
        char buf[256];
        const ssize_t n = ::read(out, buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, static_cast<size_t>(n));
    }
    // The server prints its second line right after the first: one read may hold both.
    const auto end = line.find('\n');
    return end == std::string::npos ? line : line.substr(0, end + 1);
}

// Starts a server on 127.0.0.1 and a free port; returns its first line ("listening on
// 127.0.0.1:PORT", or whatever it printed before failing), waiting at most 10 s.
inline std::string serve(const std::string& db, std::vector<std::string> extra, pid_t* pid) {
    std::vector<std::string> args = {"--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    Child c = spawn(db, args);
    *pid = c.pid;
    if (c.pid < 0) return {};
    std::string line = first_line(c.out);
    ::close(c.out);
    while (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
}

}  // namespace central_process
