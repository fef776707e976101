// Web console benchmark: prints figures, not pass/fail (docs/performance.md, "Web console").
//   bench_console [--stations N] [--visits-per-station N] [--cases-per-station N] [--dir DIR]
// Fills a central database with N stations (default 20) of visits (5,000 each) and cases (1,000
// each, spread over the statuses and 8 departments), then times the console's API through
// Service::handle (server time, no network): the case list's first page with each filter, the
// department's inbox, the overview for a year and the monthly report. The baseline in the same
// run is the admin API's plain read of 50 case rows of one station.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/bench/bench_util.h"
#include "platform/platform.h"
#include "sync/server/console.h"
#include "sync/server/console_accounts.h"
#include "sync/server/service.h"
#include "sync/server/storage.h"

using namespace liaison;
using namespace liaison::server;
using bench::Clock;
using bench::ms_since;
using bench::pct;

namespace {

const char* const kStatuses[] = {"registered", "assigned", "in_progress", "replied", "resolved", "answered", "rated"};
const char* const kCategories[] = {"urban", "rural", "education", "health", "welfare", "transport", "other"};
const char* const kSubjects[] = {"老旧小区加装电梯", "小区停车位不足", "路灯损坏未修",     "农村道路硬化",
                                 "学校周边交通安全", "医保异地报销",   "养老服务中心助餐", "公交线路调整"};

void die(const std::string& what) {
    std::fprintf(stderr, "bench_console: %s\n", what.c_str());
    std::exit(1);
}

template <class T>
T need(Result<T> r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.error().message);
    return std::move(*r);
}

struct Fill {
    int stations = 20, visits = 5000, cases = 1000;
};

std::vector<std::string> fill(Storage& s, const Fill& f) {
    std::mt19937 rng(7);
    std::vector<std::string> depts, stations;
    std::vector<CentreWrite> w;
    for (int d = 0; d < 8; ++d) {
        depts.push_back(platform::new_id());
        w.push_back(
            {"departments", depts.back(), sync::kReferenceScope, {{"name", "部门" + std::to_string(d)}}, false});
    }
    need(s.write_as_centre(w, "bench"), "departments");
    for (int k = 0; k < f.stations; ++k) {
        StationRecord st{"", "联络站" + std::to_string(k), "", k < f.stations / 2 ? "东区" : "西区", "", ""};
        stations.push_back(need(add_station(s, st), "station"));
        const std::string& sid = stations.back();
        w.clear();
        for (int v = 0; v < f.visits; ++v) {
            const std::string day = "2026-" + std::string(v % 12 < 9 ? "0" : "") + std::to_string(v % 12 + 1) + "-1" +
                                    std::to_string(v % 9);
            w.push_back({"visits",
                         platform::new_id(),
                         sid,
                         {{"station_id", sid},
                          {"received_at", day + " 10:00"},
                          {"people", 1 + v % 3},
                          {"category", kCategories[v % 7]},
                          {"subject", kSubjects[rng() % 8]},
                          {"content", std::string(kSubjects[rng() % 8]) + "，请尽快协调解决，群众反映强烈。"},
                          {"route", "answered"},
                          {"channel", "station"}},
                         false});
            if (w.size() == 2000) {
                need(s.write_as_centre(w, "bench"), "visits");
                w.clear();
            }
        }
        for (int c = 0; c < f.cases; ++c) {
            const char* status = kStatuses[c % 7];
            const std::string created = "2026-" + std::string(c % 12 < 9 ? "0" : "") + std::to_string(c % 12 + 1) +
                                        "-0" + std::to_string(1 + c % 9) + " 11:00";
            std::vector<std::pair<std::string, sync::Value>> fields = {
                {"station_id", sid},
                {"title", kSubjects[rng() % 8]},
                {"content", "群众反映的问题，请承办单位按期答复。"},
                {"category", kCategories[c % 7]},
                {"status", status},
                {"created_at", created}};
            if (c % 7 != 0) {
                fields.emplace_back("department_id", depts[rng() % 8]);
                fields.emplace_back("deadline",
                                    "2026-" + std::string(c % 12 < 9 ? "0" : "") + std::to_string(c % 12 + 1) + "-28");
            }
            if (c % 7 >= 6) fields.emplace_back("satisfaction", c % 2 ? "satisfied" : "basically");
            w.push_back({"cases", platform::new_id(), sid, fields, false});
        }
        need(s.write_as_centre(w, "bench"), "cases");
    }
    return depts;
}

struct Client {
    Service& svc;
    std::string cookie;

    sync::HttpResponse get(const std::string& target) {
        sync::HttpRequest r;
        r.method = "GET";
        r.target = target;
        r.headers = {{"Cookie", cookie}};
        return svc.handle(r);
    }
    void login(const std::string& user, const std::string& pw) {
        sync::HttpRequest r;
        r.method = "POST";
        r.target = "/console/api/login";
        r.body = nlohmann::json{{"user", user}, {"password", pw}}.dump();
        auto res = svc.handle(r);
        if (res.status != 200) die("login " + std::to_string(res.status));
        const std::string sc = res.header("Set-Cookie");
        cookie = sc.substr(0, sc.find(';'));
    }
};

void timed(Client& c, const char* what, const std::string& target, int reps = 20) {
    std::vector<double> t;
    size_t bytes = 0;
    for (int i = 0; i < reps; ++i) {
        auto t0 = Clock::now();
        auto res = c.get(target);
        t.push_back(ms_since(t0));
        if (res.status != 200) die(std::string(what) + ": status " + std::to_string(res.status));
        bytes = res.body.size();
    }
    std::printf("%-46s p50 %8.2f ms   max %8.2f ms   %7zu bytes\n", what, pct(t, 0.5), pct(t, 1.0), bytes);
}

void add_user(Storage& s, const std::string& name, const std::string& role, const std::string& dept) {
    ConsoleUser u{name,
                  "",
                  role,
                  dept,
                  role == "office" ? "*" : "",
                  need(accounts::hash_password("bench-password"), "hash"),
                  platform::wall_ms(),
                  0,
                  0,
                  0};
    if (auto st = s.console().add_user(u); !st) die(st.error().message);
}

}  // namespace

int main(int argc, char** argv) {
    Fill f;
    std::string dir = (std::filesystem::temp_directory_path() / "liaison-bench-console").string();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        const int v = std::atoi(argv[i + 1]);
        if (k == "--stations") f.stations = v;
        if (k == "--visits-per-station") f.visits = v;
        if (k == "--cases-per-station") f.cases = v;
        if (k == "--dir") dir = argv[i + 1];
    }
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto storage = need(open_sqlite_storage(dir + "/central.db"), "open");
    auto t0 = Clock::now();
    const auto depts = fill(*storage, f);
    std::printf("filled %d stations x %d visits x %d cases in %.1f s; database %.1f MB\n", f.stations, f.visits,
                f.cases, ms_since(t0) / 1000,
                static_cast<double>(std::filesystem::file_size(dir + "/central.db")) / 1e6);
    add_user(*storage, "office", "office", "");
    add_user(*storage, "dept", "department", depts[0]);
    add_user(*storage, "admin", "admin", "");
    Service svc(*storage, ServiceOptions{});
    Client office{svc, ""}, dept{svc, ""};
    office.login("office", "bench-password");
    dept.login("dept", "bench-password");
    auto token = need(new_admin_token(*storage), "admin token");
    auto stations = need(storage->stations(), "stations");

    {  // baseline: the admin API's plain read of one station's rows
        std::vector<double> t;
        for (int i = 0; i < 20; ++i) {
            sync::HttpRequest r;
            r.target = "/v1/admin/stations/" + stations[0].id + "/records?table=cases&limit=50";
            r.headers = {{"Authorization", "Bearer " + token}};
            auto t1 = Clock::now();
            auto res = svc.handle(r);
            t.push_back(ms_since(t1));
            if (res.status != 200) die("baseline");
        }
        std::printf("%-46s p50 %8.2f ms   max %8.2f ms\n", "baseline: admin API, 50 case rows of a station",
                    pct(t, 0.5), pct(t, 1.0));
    }
    timed(office, "cases, first page (all stations)", "/console/api/cases?limit=50");
    timed(office, "cases, status=in_progress", "/console/api/cases?status=in_progress&limit=50");
    timed(office, "cases, one station + status",
          "/console/api/cases?station=" + stations[stations.size() / 2].id + "&status=assigned");
    timed(office, "cases, text search q=电梯", "/console/api/cases?q=%E7%94%B5%E6%A2%AF&limit=50");
    timed(office, "cases, overdue, by deadline", "/console/api/cases?overdue=1&sort=deadline&limit=50");
    const int last = std::max(0, f.stations * f.cases - 50);
    timed(office, "cases, last page (offset total-50)", "/console/api/cases?limit=50&offset=" + std::to_string(last));
    timed(dept, "department inbox (its cases, overdue first)", "/console/api/cases?limit=50");
    timed(office, "overview, year 2026, all stations", "/console/api/overview?from=2026-01-01&to=2026-12-31", 10);
    timed(office, "overview, year 2026, one district", "/console/api/overview?district=%E4%B8%9C%E5%8C%BA", 10);
    timed(office, "monthly report 2026-03", "/console/api/report?month=2026-03", 10);
    timed(office, "export cases.csv (every case)", "/console/api/export/cases.csv", 3);
    size_t page = 0;
    for (const char* file : {"index.html", "app.js", "app.css"})
        if (const auto* cf = console_file(file)) page += cf->size;
    std::printf("console page: index.html + app.js + app.css = %zu bytes (%.1f KB), no other requests\n", page,
                static_cast<double>(page) / 1024);
    if (!std::getenv("LIAISON_BENCH_KEEP")) std::filesystem::remove_all(dir);  // =1: keep it for sqlite3
    return 0;
}
