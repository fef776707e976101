// A central server for the server-side fuzz targets: SQLite storage in a fresh temporary folder,
// one station ("st1") and one device ("dev1") enrolled through the protocol, so its token opens
// push and pull. The folder is removed when the fixture goes.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "sync/server/service.h"
#include "sync/server/storage.h"

namespace liaison::fuzz {

inline constexpr const char* kStation = "st1";
inline constexpr const char* kDevice = "dev1";

class Central {
public:
    Central() : dir_(make_dir()) {
        auto s = server::open_sqlite_storage((dir_ / "central.db").string());
        if (!s) die("open_sqlite_storage", s.error().message);
        storage_ = std::move(*s);
        service_ = std::make_unique<server::Service>(*storage_, server::ServiceOptions{});
        server::StationRecord st;
        st.id = kStation;
        st.name = "东城联络站";
        if (auto id = server::add_station(*storage_, st); !id) die("add_station", id.error().message);
        enrol();
    }
    ~Central() {
        service_.reset();
        storage_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    Central(const Central&) = delete;
    Central& operator=(const Central&) = delete;

    server::Storage& storage() { return *storage_; }
    server::Service& service() { return *service_; }
    const std::string& token() const { return token_; }

private:
    [[noreturn]] static void die(const char* what, const std::string& why) {
        std::fprintf(stderr, "fuzz fixture: %s failed: %s\n", what, why.c_str());
        std::abort();
    }

    static std::filesystem::path make_dir() {
        static int serial = 0;
        const auto d = std::filesystem::temp_directory_path() /
                       ("liaison-fuzz-" + std::to_string(::getpid()) + "-" + std::to_string(++serial));
        std::filesystem::create_directories(d);
        return d;
    }

    void enrol() {
        auto code = server::issue_enrol_code(*storage_, kStation);
        if (!code) die("issue_enrol_code", code.error().message);
        sync::HttpRequest req;
        req.method = "POST";
        req.target = "/v1/enrol";
        req.headers = {{sync::kProtocolHeader, "1"}};
        req.body = nlohmann::json({{"code", *code}, {"device_id", kDevice}}).dump();
        const auto res = service_->handle(req);
        if (res.status != 200) die("enrol", res.body);
        token_ = nlohmann::json::parse(res.body).at("token").get<std::string>();
    }

    std::filesystem::path dir_;
    std::unique_ptr<server::Storage> storage_;
    std::unique_ptr<server::Service> service_;
    std::string token_;
};

// The fixture for the next input: a fresh one every `kInputsPerCentre` inputs, so the database
// stays small and a long run keeps its speed.
inline Central& central_for_next_input() {
    constexpr int kInputsPerCentre = 500;
    static std::unique_ptr<Central> c;
    static int used = 0;
    if (!c || ++used >= kInputsPerCentre) {
        c.reset();
        c = std::make_unique<Central>();
        used = 0;
    }
    return *c;
}

}  // namespace liaison::fuzz
