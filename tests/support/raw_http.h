// A raw-socket HTTP/1.1 client for hostile-client tests and benchmarks: it sends exactly the
// bytes it is given (partial headers, bad lengths, bombs) and reads one answer.
#pragma once
#include <arpa/inet.h>
#include <cctype>
#include <chrono>
#include <fstream>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <zlib.h>

namespace raw_http {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A connected TCP socket to 127.0.0.1:port (-1 on failure), with send and receive timeouts.
inline int dial(int port, int timeout_ms = 5000) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

inline bool send_all(int fd, const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
        const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += static_cast<size_t>(n);
    }
    return true;
}

inline std::string lower(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

struct Answer {
    int status = 0;  // 0: no answer (timeout, reset, closed)
    std::string head, body;
    double seconds = 0;

    std::string header(const std::string& name) const {
        const std::string l = lower(head);
        const auto p = l.find("\r\n" + lower(name) + ":");
        if (p == std::string::npos) return "";
        const auto start = p + name.size() + 3;
        std::string v = head.substr(start, head.find("\r\n", start) - start);
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        return v;
    }
};

// Reads one answer (head and a Content-Length body) from fd.
inline Answer read_answer(int fd, Clock::time_point t0) {
    Answer a;
    std::string buf;
    char chunk[8192];
    size_t need = std::string::npos;
    for (;;) {
        const auto end = buf.find("\r\n\r\n");
        if (end != std::string::npos && need == std::string::npos) {
            a.head = buf.substr(0, end);
            need = end + 4;
            const std::string l = lower(a.head);
            const auto cl = l.find("content-length:");
            if (cl != std::string::npos) need += std::stoul(l.substr(cl + 15));
        }
        if (need != std::string::npos && buf.size() >= need) break;
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) break;
        buf.append(chunk, static_cast<size_t>(n));
    }
    a.seconds = seconds_since(t0);
    if (a.head.rfind("HTTP/1.", 0) == 0 && a.head.size() > 12) a.status = std::atoi(a.head.c_str() + 9);
    if (need != std::string::npos && buf.size() >= need) a.body = buf.substr(a.head.size() + 4);
    return a;
}

// One request on a fresh connection.
inline Answer ask(int port, const std::string& request, int timeout_ms = 5000) {
    const auto t0 = Clock::now();
    const int fd = dial(port, timeout_ms);
    if (fd < 0) return {};
    Answer a;
    if (send_all(fd, request)) a = read_answer(fd, t0);
    ::close(fd);
    a.seconds = seconds_since(t0);
    return a;
}

inline const std::string kPing = "GET /v1/ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

inline std::string post(const std::string& target, const std::string& body, const std::string& extra_headers = "") {
    return "POST " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\nLiaison-Protocol: 1\r\n" +
           "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers +
           "\r\n" + body;
}

// `megabytes` MB of zeros, gzipped (about 1 KB per MB); empty if zlib fails.
inline std::string gzip_zeros(size_t megabytes) {
    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string in(1 << 20, '\0'), out, buf(1 << 16, '\0');
    for (size_t i = 0; i < megabytes; ++i) {
        z.next_in = reinterpret_cast<Bytef*>(in.data());
        z.avail_in = static_cast<uInt>(in.size());
        const int flush = i + 1 == megabytes ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = reinterpret_cast<Bytef*>(buf.data());
            z.avail_out = static_cast<uInt>(buf.size());
            deflate(&z, flush);
            out.append(buf.data(), buf.size() - z.avail_out);
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    return out;
}

// Peak-memory bounds hold for the plain build only: under AddressSanitizer a process's resident
// memory also holds shadow memory and the quarantine of freed blocks (256 MB by default), so the
// sanitizer build checks memory safety there and the plain build the bound (docs/fuzzing.md).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kRssBoundsHold = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kRssBoundsHold = false;
#else
inline constexpr bool kRssBoundsHold = true;
#endif
#else
inline constexpr bool kRssBoundsHold = true;
#endif

// A /proc/PID/status figure in MB ("VmHWM" = peak resident memory, "VmRSS" = now); -1 if absent.
inline long proc_mb(pid_t pid, const std::string& field = "VmHWM") {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1)) / 1024;
    return -1;
}

}  // namespace raw_http
