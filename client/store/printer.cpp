// Sending a receipt's bytes to the kiosk's printer (docs/queue.md, "Printing the ticket").
#include "client/store/printer.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>

#include "client/store/store.h"

namespace liaison::store::printer {

namespace {
// A printer that is off or out of paper stops taking data: give up after this rather than hold
// the kiosk (the ticket stays on screen).
constexpr int kWriteTimeoutMs = 3000;

Error io(const std::string& where, const std::string& why) {
    return coded(Error::Kind::Io, "printer.failed", {where}, "printer " + where + ": " + why);
}

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

bool valid_queue(const std::string& q) {
    if (q.empty() || q.size() > 127) return false;
    for (const char ch : q) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                        ch == '_' || ch == '.';
        if (!ok) return false;
    }
    return true;
}

// Waits until the device takes more bytes or the deadline passes; false on timeout or error.
bool wait_writable(int fd, std::chrono::steady_clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLOUT, 0};
    return ::poll(&p, 1, static_cast<int>(left)) > 0 && (p.revents & POLLOUT);
}

Status send_to_path(const std::string& path, std::string_view bytes) {
    // A device is never created: a missing printer must not turn into a file under /dev.
    const bool device = path.rfind("/dev/", 0) == 0;
    const int flags = O_WRONLY | O_CLOEXEC | O_NONBLOCK | (device ? 0 : O_CREAT | O_TRUNC);
    const Fd fd(::open(path.c_str(), flags, 0644));
    if (fd.get() < 0) return io(path, std::strerror(errno));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWriteTimeoutMs);
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
        if (n > 0) {
            done += static_cast<size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            if (!wait_writable(fd.get(), deadline)) return io(path, "not taking data (off, or out of paper?)");
        } else {
            return io(path, n < 0 ? std::strerror(errno) : "wrote nothing");
        }
    }
    return {};
}

// `lp` exiting early would raise SIGPIPE, which ends the process: hold it on this thread while
// writing, and take a pending one before letting it through again.
class SigpipeHeld {
public:
    SigpipeHeld() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    }
    SigpipeHeld(const SigpipeHeld&) = delete;
    SigpipeHeld& operator=(const SigpipeHeld&) = delete;
    ~SigpipeHeld() {
        sigset_t pending;
        sigemptyset(&pending);
        const timespec now{0, 0};
        if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) sigtimedwait(&pipe_, nullptr, &now);
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }

private:
    sigset_t pipe_{}, old_{};
};

struct PipeCloser {
    void operator()(FILE* f) const { ::pclose(f); }
};

Status send_to_cups(const std::string& queue, std::string_view bytes) {
    const std::string where = "cups:" + queue;
    const SigpipeHeld held;
    // The queue name is checked by parse_target (letters, digits, - _ .): safe in a shell line.
    std::unique_ptr<FILE, PipeCloser> lp(::popen(("lp -s -d " + queue + " -o raw").c_str(), "w"));
    if (!lp) return io(where, std::strerror(errno));
    const bool written =
        std::fwrite(bytes.data(), 1, bytes.size(), lp.get()) == bytes.size() && std::fflush(lp.get()) == 0;
    const int status = ::pclose(lp.release());
    if (status == -1) return io(where, std::strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return io(where, "lp not found (install cups-client)");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return io(where, "lp failed (exit " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
    if (!written) return io(where, "lp did not take the receipt");
    return {};
}
}  // namespace

Result<Target> parse_target(const std::string& text) {
    if (text.empty()) return Target{};
    if (text.rfind("cups:", 0) == 0) {
        const std::string queue = text.substr(5);
        if (!valid_queue(queue))
            return invalid("printer.bad_target", {},
                           "printer: a CUPS queue name has only letters, digits, '-', '_' and '.'");
        return Target{Target::Kind::Cups, queue};
    }
    if (text.front() != '/')
        return invalid("printer.bad_target", {}, "printer: give a full path (/dev/usb/lp0) or cups:QUEUE");
    return Target{Target::Kind::Device, text};
}

Status save_target(Store& s, const std::string& text) {
    const std::string kept = text == "none" ? "" : text;
    LIAISON_TRY(parse_target(kept));
    return s.set_setting(kSetting, kept);
}

Status send(const Target& target, std::string_view bytes) {
    switch (target.kind) {
        case Target::Kind::None: return {};
        case Target::Kind::Device: return send_to_path(target.where, bytes);
        case Target::Kind::Cups: return send_to_cups(target.where, bytes);
    }
    return {};
}

}  // namespace liaison::store::printer
