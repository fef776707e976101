#include "platform/platform.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <system_error>
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/ids.h"

namespace liaison::platform {

std::string default_data_dir() {
    if (const char* d = std::getenv("LIAISON_DATA"); d && *d) return d;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/liaison";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/liaison";
    return ".liaison";
}

bool ensure_dir(const std::string& path) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    return std::filesystem::is_directory(path, ec);
}

// Relative to the program, never a path fixed at build time, so a package installed under any
// prefix finds its own files: PREFIX/bin/liaison reads PREFIX/share/liaison. The build tree has
// the same shape (build/share/liaison links to the sources' assets; docs/packaging.md).
std::string assets_dir() {
    if (const char* a = std::getenv("LIAISON_ASSETS"); a && *a) return a;
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto shared = exe.parent_path().parent_path() / "share" / "liaison";
        if (std::filesystem::is_directory(shared / "i18n", ec)) return shared.string();
    }
    return "assets";
}

std::string documents_dir() {
    const char* h = std::getenv("HOME");
    if (!h || !*h) return "";
    const std::string d = std::string(h) + "/Documents";
    std::error_code ec;
    return std::filesystem::is_directory(d, ec) ? d : "";
}

std::vector<std::string> removable_folders() {
    const char* user = std::getenv("USER");
    if (!user || !*user) user = std::getenv("LOGNAME");
    std::vector<std::string> out;
    if (!user || !*user) return out;
    for (const std::string& root : {std::string("/media/") + user, std::string("/run/media/") + user}) {
        std::error_code ec;
        for (std::filesystem::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_directory(ec)) out.push_back(it->path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

Status write_file(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".part";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return coded(Error::Kind::Io, "file.write_failed", {path}, "cannot write " + path);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            return coded(Error::Kind::Io, "file.write_failed", {path}, "cannot write " + path);
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        return coded(Error::Kind::Io, "file.write_failed", {path}, "cannot write " + path + ": " + ec.message());
    }
    return {};
}

namespace {

class Fd {  // RAII for a POSIX file descriptor
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    bool close_now() {
        const int fd = fd_;
        fd_ = -1;
        return ::close(fd) == 0;
    }

private:
    int fd_;
};

bool write_all(int fd, const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

Error write_error(const std::string& path, int err) {
    return coded(err == ENOSPC || err == EDQUOT ? Error::Kind::Full : Error::Kind::Io, "file.write_failed", {path},
                 "cannot write " + path + ": " + std::strerror(err));
}

}  // namespace

Status write_private_file(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".part";
    {
        Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        if (fd.get() < 0) return write_error(path, errno);
        if (!write_all(fd.get(), bytes) || ::fsync(fd.get()) != 0 || !fd.close_now()) {
            const int err = errno;
            ::unlink(tmp.c_str());
            return write_error(path, err);
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return write_error(path, err);
    }
    const std::string dir = std::filesystem::path(path).parent_path().string();
    Fd d(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (d.get() >= 0) ::fsync(d.get());  // the rename itself survives a power cut
    return {};
}

void private_files_from_now() { ::umask(077); }

int64_t wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t monotonic_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::array<uint8_t, 10> random_bytes10() {
    // One generator per thread, seeded from the OS entropy source.
    thread_local std::mt19937_64 gen{std::random_device{}() ^ (static_cast<uint64_t>(std::random_device{}()) << 32)};
    std::array<uint8_t, 10> b{};
    const uint64_t x = gen(), y = gen();
    for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(x >> (8 * i));
    b[8] = static_cast<uint8_t>(y);
    b[9] = static_cast<uint8_t>(y >> 8);
    return b;
}

// Ids made in one process sort in the order they were made, also within one millisecond or when
// the clock steps back (RFC 9562, 6.2 method 1): the 12 bits after the time count up from a
// random start below 2048, and a full count moves on to the next millisecond. Timelines order
// events made in the same minute by their ids (docs/cases.md).
std::string new_id() {
    static std::mutex mu;
    static int64_t last_ms = 0;
    static unsigned counter = 0;
    auto r = random_bytes10();
    std::lock_guard<std::mutex> lk(mu);
    int64_t ms = wall_ms();
    if (ms > last_ms) {
        counter = (static_cast<unsigned>(r[0] & 0x07) << 8) | r[1];
    } else if (++counter > 0xfff) {
        ms = last_ms + 1;
        counter = 0;
    } else {
        ms = last_ms;
    }
    last_ms = ms;
    r[0] = static_cast<uint8_t>(counter >> 8);
    r[1] = static_cast<uint8_t>(counter & 0xff);
    return sync::make_uuid_v7(ms, r);
}

static std::tm local_tm(int64_t unix_ms) {
    const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm;
}

std::string local_date(int64_t unix_ms) {
    const std::tm tm = local_tm(unix_ms);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

int64_t local_ms(const std::string& datetime) {
    std::tm tm{};
    char rest = 0;
    if (datetime.size() != 16 || std::sscanf(datetime.c_str(), "%4d-%2d-%2d %2d:%2d%c", &tm.tm_year, &tm.tm_mon,
                                             &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &rest) != 5)
        return -1;
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    const std::time_t t = std::mktime(&tm);
    return t == static_cast<std::time_t>(-1) ? -1 : static_cast<int64_t>(t) * 1000;
}

std::string local_datetime(int64_t unix_ms) {
    const std::tm tm = local_tm(unix_ms);
    char buf[24];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

}  // namespace liaison::platform
