#include "sync/server/http_server.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <netdb.h>
#include <optional>
#include <deque>
#include <thread>
#include <vector>
#include <sys/resource.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

#include <microhttpd.h>
#include <nlohmann/json.hpp>

#include "sync/net/http.h"

namespace liaison::server {
namespace {

// One request as it arrives: created when its request line is read, freed when it ends however
// it ends (MHD_OPTION_NOTIFY_COMPLETED).
struct Exchange {
    std::string target;  // path and query as sent
    std::string body;
    size_t reserved = 0;  // bytes of this body counted in Impl::body_bytes
    bool headers_seen = false;
    bool answered = false;                     // an early answer (413, 415, 503) is queued; ignore the rest
    bool submitted = false;                    // handed to the request pool; the connection is suspended
    std::optional<sync::HttpResponse> answer;  // set by a pool thread just before it resumes
};

// A listening socket, closed unless handed over to MHD.
struct Socket {
    int fd = -1;
    Socket() = default;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket() {
        if (fd >= 0) ::close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};

std::string error_body(const std::string& code, const std::string& message) {
    return nlohmann::json({{"error", code}, {"message", message}}).dump();
}

sync::HttpResponse json_error(int status, const std::string& code, const std::string& message) {
    sync::HttpResponse r;
    r.status = status;
    r.body = error_body(code, message);
    return r;
}

std::string peer_of(MHD_Connection* conn) {
    const MHD_ConnectionInfo* info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr) return "";
    char text[INET6_ADDRSTRLEN] = {0};
    const sockaddr* a = info->client_addr;
    if (a->sa_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a)->sin_addr, text, sizeof text);
    else if (a->sa_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr, text, sizeof text);
    return text;
}

std::string header(MHD_Connection* conn, const char* name) {
    const char* v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
    return v ? v : "";
}

MHD_Result collect_header(void* cls, MHD_ValueKind, const char* key, const char* value) {
    static_cast<sync::Headers*>(cls)->emplace_back(key, value ? value : "");
    return MHD_YES;
}

bool accepts_gzip(const sync::Headers& headers) {
    for (const auto& [k, v] : headers)
        if (strcasecmp(k.c_str(), MHD_HTTP_HEADER_ACCEPT_ENCODING) == 0 && v.find("gzip") != std::string::npos)
            return true;
    return false;
}

// Large answers are gzipped when the client accepts it, small ones are sent as they are:
// compressing a small answer costs more than it saves. Runs on a pool thread, not the listener's.
void compress_if_worth_it(sync::HttpResponse& r, bool client_accepts_gzip) {
    if (!client_accepts_gzip || r.body.size() < sync::tuning::kGzipMinBytes * 4) return;
    auto z = sync::gzip_compress(r.body);
    if (!z) return;
    r.body = std::move(*z);
    r.headers.emplace_back(MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
}

// Queues `in` as the answer, as it is. JSON unless the handler named another type (the console's
// page, its exports); JSON is always sent as UTF-8.
MHD_Result send(MHD_Connection* conn, const sync::HttpResponse& in) {
    MHD_Response* r =
        MHD_create_response_from_buffer(in.body.size(), const_cast<char*>(in.body.data()), MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    std::string type = "application/json; charset=utf-8";
    for (const auto& [k, v] : in.headers) {
        if (k != "Content-Type")
            MHD_add_response_header(r, k.c_str(), v.c_str());
        else if (v != "application/json")
            type = v;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type.c_str());
    const MHD_Result ok = MHD_queue_response(conn, static_cast<unsigned>(in.status), r);
    MHD_destroy_response(r);
    return ok;
}

// The listener's own limits, checked on the headers before any body is read.
std::optional<sync::HttpResponse> screen_headers(MHD_Connection* conn, size_t max_body) {
    const std::string enc = header(conn, MHD_HTTP_HEADER_CONTENT_ENCODING);
    if (!enc.empty() && enc != "gzip" && enc != "identity")
        return json_error(415, "encoding", "unsupported content encoding (use gzip)");
    const std::string len = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!len.empty()) {
        char* end = nullptr;
        errno = 0;
        const unsigned long long n = std::strtoull(len.c_str(), &end, 10);
        if (errno || *end || len[0] == '-') return json_error(400, "bad_request", "malformed Content-Length");
        if (n > max_body)
            return json_error(413, "too_large", "request body over " + std::to_string(max_body) + " bytes");
    }
    return std::nullopt;
}

sync::HttpResponse busy() {
    auto r = json_error(503, "busy", "the server is busy; try again");
    r.headers.emplace_back("Retry-After", "2");
    return r;
}

// A request ready for Service::handle, with the suspended connection to resume when answered.
struct Job {
    MHD_Connection* conn = nullptr;
    Exchange* exchange = nullptr;
    sync::HttpRequest request;
};

// Threads that run Service::handle. The listener threads only read and write sockets: a request
// that is complete is queued here and its connection suspended, so a handler waiting for the
// group commit never stalls the other connections a listener thread serves, and every waiting
// push can join the next commit. Reads and writes have a pool each, so writers stuck on a slow
// disk or a locked database never hold up pulls and pings (docs/server.md).
class RequestPool {
public:
    RequestPool(Service& service, int threads) : service_(service) {
        for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
    }
    RequestPool(const RequestPool&) = delete;
    RequestPool& operator=(const RequestPool&) = delete;
    ~RequestPool() { close(); }

    // False once closed: the caller answers the request itself.
    bool submit(Job job) {
        {
            std::lock_guard<std::mutex> lk(mu_);
            if (closed_) return false;
            queue_.push_back(std::move(job));
        }
        cv_.notify_one();
        return true;
    }

    // Answers what is queued, then stops the threads.
    void close() {
        {
            std::lock_guard<std::mutex> lk(mu_);
            closed_ = true;
        }
        cv_.notify_all();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }

private:
    void work() {
        for (;;) {
            Job job;
            {
                std::unique_lock<std::mutex> lk(mu_);
                cv_.wait(lk, [this] { return closed_ || !queue_.empty(); });
                if (queue_.empty()) return;
                job = std::move(queue_.front());
                queue_.pop_front();
            }
            const bool gzip_ok = accepts_gzip(job.request.headers);
            sync::HttpResponse answer = service_.handle(job.request);
            compress_if_worth_it(answer, gzip_ok);
            job.exchange->answer = std::move(answer);
            MHD_resume_connection(job.conn);
        }
    }

    Service& service_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Job> queue_;
    bool closed_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace

struct HttpServer::Impl {
    Service& service;
    ListenOptions opt;
    Socket listener;
    MHD_Daemon* daemon = nullptr;
    std::atomic<size_t> body_bytes{0};  // bodies being received, all connections together
    std::mutex mu;
    std::condition_variable cv;
    bool stopping = false;

    RequestPool reads;   // GET: pulls, pings, admin reads
    RequestPool writes;  // everything else

    Impl(Service& s, ListenOptions o)
        : service(s), opt(std::move(o)), reads(s, std::max(1, opt.threads)), writes(s, std::max(1, opt.threads)) {}
    ~Impl() {
        // Queued requests are answered and their connections resumed before the daemon stops.
        reads.close();
        writes.close();
        if (daemon) MHD_stop_daemon(daemon);
    }

    static void* on_request_line(void*, const char* uri, MHD_Connection*) {
        auto* ex = new Exchange;
        ex->target = uri ? uri : "";
        return ex;
    }

    static void on_completed(void* cls, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
        auto* self = static_cast<Impl*>(cls);
        auto* ex = static_cast<Exchange*>(*state);
        if (!ex) return;
        self->body_bytes -= ex->reserved;
        delete ex;
        *state = nullptr;
    }

    // MHD calls this once the headers are in, once per piece of body, and once at the end.
    static MHD_Result on_request(void* cls, MHD_Connection* conn, const char*, const char* method, const char*,
                                 const char* data, size_t* size, void** state) {
        auto* self = static_cast<Impl*>(cls);
        auto* ex = static_cast<Exchange*>(*state);
        if (!ex) return MHD_NO;
        if (ex->answer) return send(conn, *ex->answer);  // resumed by the pool
        if (ex->answered || ex->submitted) {
            *size = 0;
            return MHD_YES;
        }
        if (!ex->headers_seen) {
            ex->headers_seen = true;
            if (auto early = screen_headers(conn, self->opt.max_request_bytes))
                return self->answer_early(conn, *ex, *early);
            return MHD_YES;
        }
        if (*size) return self->take_body(conn, *ex, data, size);
        sync::HttpRequest r;
        r.method = method;
        r.target = std::move(ex->target);
        MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &r.headers);
        r.body = std::move(ex->body);  // still compressed if it was: Service unzips it with a bound
        r.peer = peer_of(conn);
        return self->hand_over(conn, *ex, std::move(r));
    }

    MHD_Result hand_over(MHD_Connection* conn, Exchange& ex, sync::HttpRequest r) {
        ex.submitted = true;
        MHD_suspend_connection(conn);
        RequestPool& pool = r.method == "GET" || r.method == "HEAD" ? reads : writes;
        if (pool.submit(Job{conn, &ex, std::move(r)})) return MHD_YES;
        ex.answer = busy();  // stopping: answer here
        MHD_resume_connection(conn);
        return MHD_YES;
    }

    MHD_Result answer_early(MHD_Connection* conn, Exchange& ex, const sync::HttpResponse& res) {
        ex.answered = true;
        return send(conn, res);
    }

    MHD_Result take_body(MHD_Connection* conn, Exchange& ex, const char* data, size_t* size) {
        const size_t n = *size;
        *size = 0;
        if (ex.body.size() + n > opt.max_request_bytes)
            return answer_early(
                conn, ex,
                json_error(413, "too_large", "request body over " + std::to_string(opt.max_request_bytes) + " bytes"));
        // All bodies in flight share one budget, so many slow uploads cannot exhaust memory.
        if (body_bytes.fetch_add(n) + n > opt.max_body_bytes_in_flight) {
            body_bytes -= n;
            return answer_early(conn, ex, busy());
        }
        ex.reserved += n;
        ex.body.append(data, n);
        return MHD_YES;
    }
};

HttpServer::HttpServer(Service& service, ListenOptions opt) : impl_(std::make_unique<Impl>(service, std::move(opt))) {}

HttpServer::~HttpServer() = default;

namespace {

// Enough descriptors for the connection limit: the default soft limit is often 1024.
void raise_fd_limit(rlim_t wanted) {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= wanted) return;
    lim.rlim_cur = std::min(wanted, lim.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &lim);
}

// A bound, listening, non-blocking socket on host:port. No SO_REUSEPORT: a port another process
// listens on is refused instead of being shared with it.
Result<int> listen_on(const std::string& host, int port, Socket& out) {
    const std::string where = host + ":" + std::to_string(port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string name = host.size() > 2 && host.front() == '[' ? host.substr(1, host.size() - 2) : host;
    if (const int rc =
            ::getaddrinfo(name.empty() ? nullptr : name.c_str(), std::to_string(port).c_str(), &hints, &found))
        return Error{Error::Kind::Invalid, "cannot listen on " + where + ": " + ::gai_strerror(rc)};
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(found, ::freeaddrinfo);
    out.fd = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, found->ai_protocol);
    if (out.fd < 0) return Error{Error::Kind::Io, "cannot listen on " + where + ": " + std::strerror(errno)};
    const int one = 1;
    // Lets a restarted server take its port back while old connections linger in TIME_WAIT; on
    // Linux it does not let two processes listen on one port.
    ::setsockopt(out.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(out.fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(out.fd, 1024) != 0) {
        const int e = errno;
        if (e == EADDRINUSE)
            return Error{Error::Kind::Conflict, "cannot listen on " + where +
                                                    ": the port is already in use (another server is running there)"};
        return Error{Error::Kind::Io, "cannot listen on " + where + ": " + std::strerror(e)};
    }
    sockaddr_storage bound{};
    socklen_t len = sizeof bound;
    if (::getsockname(out.fd, reinterpret_cast<sockaddr*>(&bound), &len) != 0)
        return Error{Error::Kind::Io, "cannot listen on " + where + ": " + std::strerror(errno)};
    return bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

}  // namespace

Result<int> HttpServer::bind() {
    auto& o = impl_->opt;
    auto port = listen_on(o.host, o.port, impl_->listener);
    if (!port) return port.error();
    raise_fd_limit(static_cast<rlim_t>(o.max_connections) + 64);
    const unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
    impl_->daemon = MHD_start_daemon(
        flags, 0, nullptr, nullptr, &Impl::on_request, impl_.get(), MHD_OPTION_LISTEN_SOCKET, impl_->listener.fd,
        MHD_OPTION_THREAD_POOL_SIZE, static_cast<unsigned>(kListenerThreads), MHD_OPTION_CONNECTION_LIMIT,
        static_cast<unsigned>(o.max_connections), MHD_OPTION_CONNECTION_MEMORY_LIMIT, o.max_header_bytes,
        MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(o.idle_timeout_s), MHD_OPTION_URI_LOG_CALLBACK,
        &Impl::on_request_line, nullptr, MHD_OPTION_NOTIFY_COMPLETED, &Impl::on_completed, impl_.get(), MHD_OPTION_END);
    if (!impl_->daemon) return Error{Error::Kind::Io, "cannot start the HTTP listener on " + o.host};
    impl_->listener.release();  // MHD closes it when it stops
    return *port;
}

Status HttpServer::run() {
    if (!impl_->daemon) return Error{Error::Kind::Io, "the listener is not bound"};
    std::unique_lock<std::mutex> lk(impl_->mu);
    impl_->cv.wait(lk, [this] { return impl_->stopping; });
    return {};
}

void HttpServer::stop() {
    std::lock_guard<std::mutex> lk(impl_->mu);
    impl_->stopping = true;
    impl_->cv.notify_all();
}

}  // namespace liaison::server
