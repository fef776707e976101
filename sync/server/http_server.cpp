#include "sync/server/http_server.h"

#include <atomic>

#include "sync/client/http.h"

#include <httplib.h>

namespace liaison::server {

struct HttpServer::Impl {
    Service& service;
    ListenOptions opt;
    httplib::Server svr;
    std::atomic<bool> stopping{false};
    Impl(Service& s, ListenOptions o) : service(s), opt(std::move(o)) {}
};

namespace {

void reply(const httplib::Request& req, httplib::Response& out, const sync::HttpResponse& in) {
    out.status = in.status;
    for (const auto& [k, v] : in.headers)
        if (k != "Content-Type") out.set_header(k, v);
    // We gzip large answers ourselves and leave small ones alone: httplib would deflate every
    // application/json answer, and a deflate stream costs ~300 KB of fresh memory each time,
    // which dominated the cost of a small sync. The "; charset" form is not on httplib's list
    // of types it compresses, so it never compresses twice.
    const char* type = "application/json; charset=utf-8";
    if (in.body.size() >= sync::tuning::kGzipMinBytes * 4 &&
        req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos) {
        if (auto z = sync::gzip_compress(in.body)) {
            out.set_header("Content-Encoding", "gzip");
            out.set_content(*z, type);
            return;
        }
    }
    out.set_content(in.body, type);
}

std::string error_body(const std::string& code, const std::string& message) {
    return nlohmann::json({{"error", code}, {"message", message}}).dump();
}

}  // namespace

HttpServer::HttpServer(Service& service, ListenOptions opt) : impl_(std::make_unique<Impl>(service, std::move(opt))) {
    auto& svr = impl_->svr;
    Service& svc = impl_->service;
    auto handler = [&svc](const httplib::Request& req, httplib::Response& res) {
        sync::HttpRequest r;
        r.method = req.method;
        r.target = req.target.empty() ? req.path : req.target;
        for (const auto& [k, v] : req.headers) r.headers.emplace_back(k, v);
        r.body = req.body;  // httplib has already unzipped a Content-Encoding: gzip body
        reply(req, res, svc.handle(r));
    };
    svr.Get(R"(/.*)", handler);
    svr.Post(R"(/.*)", handler);
    // httplib answers some errors itself (413 over the payload limit, 415, 400 unparsable
    // request line, 404 for other methods): give those the same JSON shape.
    svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return;
        const char* code = res.status == 413 ? "too_large" : res.status == 415 ? "encoding" : "bad_request";
        std::string msg = res.status == 413   ? "request body too large"
                          : res.status == 415 ? "unsupported content encoding (use gzip)"
                          : res.status == 404 ? "no such endpoint"
                                              : "malformed request";
        res.set_content(error_body(code, msg), "application/json");
    });
    svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content(error_body("internal", "internal server error"), "application/json");
    });
    svr.set_payload_max_length(impl_->opt.max_request_bytes);
    svr.set_keep_alive_max_count(1000);  // a tablet's sync round reuses one connection
    // A thread serves one connection while it stays open: let idle tablets go quickly.
    svr.set_keep_alive_timeout(2);
    svr.set_read_timeout(30);
    svr.set_write_timeout(30);
    svr.set_tcp_nodelay(true);
    const size_t threads = static_cast<size_t>(std::max(1, impl_->opt.threads));
    // httplib's API takes ownership of a raw pointer here and deletes it itself.
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::bind() {
    auto& o = impl_->opt;
    if (o.port == 0) {
        const int p = impl_->svr.bind_to_any_port(o.host);
        if (p <= 0) return Error{Error::Kind::Io, "cannot listen on " + o.host};
        return p;
    }
    if (!impl_->svr.bind_to_port(o.host, o.port))
        return Error{Error::Kind::Io, "cannot listen on " + o.host + ":" + std::to_string(o.port)};
    return o.port;
}

Status HttpServer::run() {
    if (!impl_->svr.listen_after_bind() && !impl_->stopping) return Error{Error::Kind::Io, "the listener stopped with an error"};
    return {};
}

void HttpServer::stop() {
    impl_->stopping = true;
    impl_->svr.stop();
}

}  // namespace liaison::server
