// Case workflow and figures benchmark: prints figures, not pass/fail.
//   bench_cases [--visits N] [--cases N] [--dir DIR]
// Fills a station with N visits (four years, three deputies each of 30) and cases raised from
// them, moved through the workflow; then times each step, the case board, the figures by
// month/category/deputy, the monthly report and the export tables.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tests/bench/bench_util.h"
#include "client/store/cases.h"
#include "client/store/stats.h"
#include "client/store/store.h"

using namespace liaison;
using namespace liaison::store;
using bench::Clock;
using bench::ms_since;
using bench::pct;

namespace {

template <class F>
void timed(const char* what, int reps, F&& f) {
    std::vector<double> t;
    for (int i = 0; i < reps; ++i) {
        auto t0 = Clock::now();
        f();
        t.push_back(ms_since(t0));
    }
    std::printf("%-44s p50 %8.2f ms   max %8.2f ms   (%d runs)\n", what, pct(t, 0.5), pct(t, 1.0), reps);
}

}  // namespace

int main(int argc, char** argv) {
    int visits = 100000, ncases = 20000;
    bool keep = false;
    std::string dir = (std::filesystem::temp_directory_path() / "liaison-bench-cases").string();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--visits")
            visits = std::stoi(argv[i + 1]);
        else if (k == "--cases")
            ncases = std::stoi(argv[i + 1]);
        else if (k == "--dir")
            dir = argv[i + 1];
        else if (k == "--keep")
            keep = std::string(argv[i + 1]) == "1";
    }
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    OpenOptions o;
    o.create = true;
    auto s = Store::open(dir + "/liaison.db", o);
    if (!s || !(*s)->init("基准联络站", "bench")) return 1;
    Store& st = **s;
    std::mt19937 rng(11);
    std::vector<std::string> deputies;
    for (int i = 0; i < 30; ++i) {
        Deputy d;
        d.name = "代表" + std::to_string(i);
        deputies.push_back(st.add_deputy(d).value());
    }
    (void)st.add_department(Department{"", "区住建局"});
    static const char* cats[] = {"urban", "rural", "education", "health", "welfare", "transport", "environment"};
    std::vector<Visit> batch;
    for (int i = 0; i < visits; ++i) {
        Visit v;
        v.category = cats[rng() % 7];
        v.subject = "来访事项" + std::to_string(i);
        v.people = 1 + static_cast<int64_t>(rng() % 5);
        char at[20];
        std::snprintf(at, sizeof at, "%04d-%02d-%02d %02d:%02d", 2023 + static_cast<int>(rng() % 4),
                      1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28),
                      8 + static_cast<int>(rng() % 9), static_cast<int>(rng() % 60));
        v.received_at = at;
        for (int k = 0; k < 3; ++k) {
            const auto& d = deputies[rng() % deputies.size()];
            if (std::find(v.deputy_ids.begin(), v.deputy_ids.end(), d) == v.deputy_ids.end()) v.deputy_ids.push_back(d);
        }
        v.visitors.push_back(Visitor{"", "", "王小明", "", "", ""});
        batch.push_back(std::move(v));
    }
    auto t0 = Clock::now();
    auto n = st.add_visits(batch);
    if (!n) return 1;
    std::printf("%d visits imported in %.0f ms\n", visits, ms_since(t0));
    std::vector<std::string> vids;
    auto rows = st.find_visits(VisitQuery{"", "", "", "", "", "", ncases, 0});
    if (!rows) return 1;
    for (const auto& r : *rows) vids.push_back(r.id);

    std::vector<double> add_ms, step_ms;
    std::vector<std::string> ids;
    for (int i = 0; i < ncases; ++i) {
        cases::NewCase c;
        c.visit_id = vids[static_cast<size_t>(i) % vids.size()];
        c.title = "建议" + std::to_string(i);
        c.at = "2026-0" + std::to_string(1 + i % 9) + "-05 10:00";
        auto a = Clock::now();
        auto id = cases::add(st, c);
        add_ms.push_back(ms_since(a));
        if (!id) return 1;
        ids.push_back(*id);
        const int depth = static_cast<int>(rng() % 6);
        const std::string m = c.at.substr(0, 7);
        auto step = [&](auto&& f) {
            auto b = Clock::now();
            if (!f()) std::exit(1);
            step_ms.push_back(ms_since(b));
        };
        if (depth >= 1) step([&] { return cases::assign(st, *id, "区住建局", m + "-25", "", m + "-06"); });
        if (depth >= 2) step([&] { return cases::progress(st, *id, "在办", m + "-07"); });
        if (depth >= 3) step([&] { return cases::close(st, *id, "已办", m + "-08"); });
        if (depth >= 4) step([&] { return cases::feedback(st, *id, "电话", "", m + "-09"); });
        if (depth >= 5) step([&] { return cases::rate(st, *id, rng() % 3 ? "满意" : "基本满意", "", m + "-10"); });
    }
    std::printf("case add (incl. timeline event)             p50 %8.3f ms   p99 %8.3f ms   (%d)\n", pct(add_ms, 0.5),
                pct(add_ms, 0.99), ncases);
    std::printf("case step (fields + timeline event)         p50 %8.3f ms   p99 %8.3f ms   (%zu)\n", pct(step_ms, 0.5),
                pct(step_ms, 0.99), step_ms.size());

    timed("case get with timeline", 200, [&] { (void)cases::get(st, ids[rng() % ids.size()]); });
    timed("case board (all cases, sorted)", 5, [&] { (void)cases::board(st, "2026-06-15"); });
    cases::CaseQuery q;
    q.overdue_only = true;
    q.today = "2026-06-15";
    timed("case list --overdue", 5, [&] { (void)cases::list(st, q); });
    stats::Range all{"", "", st.station_id()};
    stats::Range year{"2026-01-01", "2026-12-31", st.station_id()};
    stats::Range month{"2026-03-01", "2026-03-31", st.station_id()};
    timed("figures, total, all time", 5, [&] { (void)stats::figures(st.db(), all); });
    timed("figures by month, all time", 5, [&] { (void)stats::figures(st.db(), all, stats::By::Month); });
    timed("figures by category, one year", 5, [&] { (void)stats::figures(st.db(), year, stats::By::Category); });
    timed("figures by deputy, all time", 5, [&] { (void)stats::figures(st.db(), all, stats::By::Deputy); });
    timed("figures, one month", 20, [&] { (void)stats::figures(st.db(), month); });
    timed("cases by status, all time", 5, [&] { (void)stats::cases_by_status(st.db(), all); });
    timed("monthly report", 10, [&] { (void)stats::monthly_report(st.db(), st.station_id(), "2026-03"); });
    timed("export table: visits, all", 2, [&] { (void)stats::export_table(st.db(), stats::Export::Visits, all); });
    timed("export table: cases, all", 2, [&] { (void)stats::export_table(st.db(), stats::Export::Cases, all); });
    timed("export table: activities, all", 2,
          [&] { (void)stats::export_table(st.db(), stats::Export::Activities, all); });
    auto f = stats::figures(st.db(), all).value().total;
    std::printf("check: %lld visits, %lld people, %lld cases, %lld resolved (%s), satisfaction %s\n",
                static_cast<long long>(f.visits), static_cast<long long>(f.people),
                static_cast<long long>(f.suggestions), static_cast<long long>(f.resolved), f.resolution_rate().c_str(),
                f.satisfaction_rate().c_str());
    s->reset();
    if (!keep) std::filesystem::remove_all(dir);
    return 0;
}
