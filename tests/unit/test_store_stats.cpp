// Figures, the monthly report and the export tables on the fixed dataset of cases_fixture.h,
// checked against values computed by hand.
#include <doctest/doctest.h>

#include "cases_fixture.h"
#include "client/store/stats.h"

using namespace liaison;
using namespace liaison::store;
using testing_support::Dataset;
using testing_support::TestStation;
namespace stats = liaison::store::stats;

namespace {

void check_figures(const stats::Figures& f, int64_t visits, int64_t people, int64_t suggestions, int64_t resolved,
                   int64_t rated, int64_t satisfied, int64_t basically, int64_t unsatisfied) {
    CHECK(f.visits == visits);
    CHECK(f.people == people);
    CHECK(f.suggestions == suggestions);
    CHECK(f.resolved == resolved);
    CHECK(f.rated == rated);
    CHECK(f.satisfied == satisfied);
    CHECK(f.basically == basically);
    CHECK(f.unsatisfied == unsatisfied);
}

const stats::Group* group(const stats::Breakdown& b, const std::string& key) {
    for (const auto& g : b.groups)
        if (g.key == key) return &g;
    return nullptr;
}

}  // namespace

TEST_CASE("percentages: rounded half up to one decimal, exact in integers") {
    CHECK(stats::percent(2, 3) == "66.7%");
    CHECK(stats::percent(1, 3) == "33.3%");
    CHECK(stats::percent(3, 3) == "100%");
    CHECK(stats::percent(0, 5) == "0%");
    CHECK(stats::percent(1, 8) == "12.5%");
    CHECK(stats::percent(1, 16) == "6.3%");  // 6.25 rounds up
    CHECK(stats::percent(5, 6) == "83.3%");
    CHECK(stats::percent(0, 0) == "-");
    CHECK(stats::permille(2, 3) == 667);
    CHECK(stats::permille(1, 0) == -1);
    CHECK(stats::permille(999999, 1000000) == 1000);
}

TEST_CASE("figures for March on the fixed dataset equal the hand-computed values") {
    TestStation s;
    const Dataset d = testing_support::station_dataset(s);
    stats::Range march{"2026-03-01", "2026-03-31", s->station_id()};
    auto f = stats::figures(s->db(), march).value();
    // 5 visits (v1..v5; the deleted v9 not), 3+2+5+1+4 people; c1, c2, c3 (c6 deleted);
    // resolved c1, c2; rated c1 满意, c2 基本满意.
    check_figures(f.total, 5, 15, 3, 2, 2, 1, 1, 0);
    CHECK(f.total.resolution_rate() == "66.7%");
    CHECK(f.total.satisfaction_rate() == "100%");
    CHECK(f.groups.empty());

    // The same with the station left open (the server's view of every station) and with the
    // Store-free signature: the figures only need the database.
    check_figures(stats::figures(s->db(), stats::Range{"2026-03-01", "2026-03-31", ""})->total, 5, 15, 3, 2, 2, 1, 1,
                  0);
    // Another station's id counts nothing here.
    check_figures(stats::figures(s->db(), stats::Range{"2026-03-01", "2026-03-31", "other"})->total, 0, 0, 0, 0, 0, 0,
                  0, 0);

    SUBCASE("by category") {
        auto b = stats::figures(s->db(), march, stats::By::Category).value();
        check_figures(b.total, 5, 15, 3, 2, 2, 1, 1, 0);
        REQUIRE(b.groups.size() == 3);
        CHECK(b.groups[0].key == "urban");  // the categories' fixed order
        CHECK(b.groups[0].label == "城乡建设");
        CHECK(b.groups[1].key == "education");
        CHECK(b.groups[2].key == "health");
        check_figures(b.groups[0].figures, 2, 5, 2, 1, 1, 1, 0, 0);  // v1 v2; c1 c3
        check_figures(b.groups[1].figures, 2, 9, 1, 1, 1, 0, 1, 0);  // v3 v5; c2
        check_figures(b.groups[2].figures, 1, 1, 0, 0, 0, 0, 0, 0);  // v4
        CHECK(b.groups[0].figures.resolution_rate() == "50%");
        CHECK(b.groups[2].figures.resolution_rate() == "-");
    }
    SUBCASE("by deputy: a visit counts for each receiving deputy") {
        auto b = stats::figures(s->db(), march, stats::By::Deputy).value();
        REQUIRE(b.groups.size() == 4);
        // by name (UTF-8 order), "no deputy" last
        CHECK(b.groups[0].label == "李华");
        CHECK(b.groups[1].label == "王芳");
        CHECK(b.groups[2].label == "陈明");
        CHECK(b.groups[3].key == "");
        CHECK(b.groups[3].label == "未指定代表");
        check_figures(group(b, d.a)->figures, 2, 5, 1, 1, 1, 1, 0, 0);  // v1 v2; c1 via v1
        check_figures(group(b, d.b)->figures, 2, 7, 1, 1, 1, 0, 1, 0);  // v2 v3; c2 via v3
        check_figures(group(b, d.c)->figures, 1, 4, 1, 0, 0, 0, 0, 0);  // v5; c3 entered directly
        check_figures(group(b, "")->figures, 1, 1, 0, 0, 0, 0, 0, 0);   // v4
    }
    SUBCASE("by station") {
        auto b = stats::figures(s->db(), march, stats::By::Station).value();
        REQUIRE(b.groups.size() == 1);
        CHECK(b.groups[0].label == "东湖街道代表联络站");
        check_figures(b.groups[0].figures, 5, 15, 3, 2, 2, 1, 1, 0);
    }
    SUBCASE("cases by status") {
        auto st = stats::cases_by_status(s->db(), march).value();
        REQUIRE(st.size() == 7);
        const std::vector<std::pair<std::string, int64_t>> want = {
            {"registered", 0}, {"assigned", 1}, {"in_progress", 0}, {"replied", 0},
            {"resolved", 0},   {"answered", 0}, {"rated", 2}};
        CHECK(st == want);
    }
}

TEST_CASE("figures by month, with the months between filled, and the range edges") {
    TestStation s;
    testing_support::station_dataset(s);
    auto b = stats::figures(s->db(), stats::Range{"2026-01-01", "2026-05-31", ""}, stats::By::Month).value();
    // Feb: v6 (7), c4 rated 不满意. Mar: as above. Apr: v7 (2), c5 registered.
    check_figures(b.total, 7, 24, 5, 3, 3, 1, 1, 1);
    CHECK(b.total.resolution_rate() == "60%");
    CHECK(b.total.satisfaction_rate() == "66.7%");
    REQUIRE(b.groups.size() == 5);
    CHECK(b.groups[0].key == "2026-01");
    check_figures(b.groups[0].figures, 0, 0, 0, 0, 0, 0, 0, 0);
    check_figures(b.groups[1].figures, 1, 7, 1, 1, 1, 0, 0, 1);
    CHECK(b.groups[1].figures.satisfaction_rate() == "0%");
    check_figures(b.groups[2].figures, 5, 15, 3, 2, 2, 1, 1, 0);
    check_figures(b.groups[3].figures, 1, 2, 1, 0, 0, 0, 0, 0);
    CHECK(b.groups[4].key == "2026-05");

    // Open range: from the first month with data to the last.
    auto open = stats::figures(s->db(), stats::Range{}, stats::By::Month).value();
    REQUIRE(open.groups.size() == 3);
    CHECK(open.groups.front().key == "2026-02");
    CHECK(open.groups.back().key == "2026-04");

    // Inclusive days: v5 at 23:59 on the 31st is in, v7 at 00:00 on April 1 is out.
    check_figures(stats::figures(s->db(), stats::Range{"2026-03-31", "2026-03-31", ""})->total, 1, 4, 0, 0, 0, 0, 0, 0);
    check_figures(stats::figures(s->db(), stats::Range{"2026-04-01", "", ""})->total, 1, 2, 1, 0, 0, 0, 0, 0);

    CHECK_FALSE(stats::figures(s->db(), stats::Range{"2026-3-1", "", ""}));
    CHECK_FALSE(stats::figures(s->db(), stats::Range{"2026-04-01", "2026-03-01", ""}));
    CHECK_FALSE(stats::parse_by("week"));
}

TEST_CASE("the monthly report sentence and breakdown for March") {
    TestStation s;
    testing_support::station_dataset(s);
    auto r = stats::monthly_report(s->db(), s->station_id(), "2026-03").value();
    CHECK(r.title == "东湖街道代表联络站2026年3月工作小结");
    CHECK(r.summary == "本月共接待选民5批15人次，收集意见建议3条，推动解决问题2件，办结率66.7%，满意率100%。");
    CHECK(r.category_lines == std::vector<std::string>{"城乡建设：接待选民2批5人次，收集意见建议2条，办结1件",
                                                       "教育：接待选民2批9人次，收集意见建议1条，办结1件",
                                                       "医疗卫生：接待选民1批1人次，收集意见建议0条，办结0件"});
    CHECK(r.deputy_line == "代表接待：李华2批7人次、王芳1批4人次、陈明2批5人次");
    CHECK(r.text() ==
          "东湖街道代表联络站2026年3月工作小结\n"
          "本月共接待选民5批15人次，收集意见建议3条，推动解决问题2件，办结率66.7%，满意率100%。\n"
          "分类情况：\n"
          "城乡建设：接待选民2批5人次，收集意见建议2条，办结1件\n"
          "教育：接待选民2批9人次，收集意见建议1条，办结1件\n"
          "医疗卫生：接待选民1批1人次，收集意见建议0条，办结0件\n"
          "代表接待：李华2批7人次、王芳1批4人次、陈明2批5人次\n");

    // A month without rated cases leaves the satisfaction rate out rather than printing 0%.
    auto april = stats::monthly_report(s->db(), s->station_id(), "2026-04").value();
    CHECK(april.summary == "本月共接待选民1批2人次，收集意见建议1条，推动解决问题0件，办结率0%。");
    auto empty = stats::monthly_report(s->db(), s->station_id(), "2025-12").value();
    CHECK(empty.summary == "本月共接待选民0批0人次，收集意见建议0条，推动解决问题0件。");
    CHECK(empty.category_lines.empty());
    CHECK_FALSE(stats::monthly_report(s->db(), s->station_id(), "2026-13"));
    CHECK_FALSE(stats::monthly_report(s->db(), s->station_id(), "2026-3"));
}

TEST_CASE("export tables: visitor columns only where asked, import-compatible visit headers") {
    TestStation s;
    const Dataset d = testing_support::station_dataset(s);
    stats::Range march{"2026-03-01", "2026-03-31", ""};
    auto v = stats::export_table(s->db(), stats::Export::Visits, march).value();
    CHECK(v.header == std::vector<std::string>{"接待时间", "来访人", "联系电话", "渠道", "人数", "类别", "主题", "诉求",
                                               "接待代表", "办理方式", "原因", "备注"});
    REQUIRE(v.rows.size() == 5);
    CHECK(v.rows[0] == std::vector<std::string>{"2026-03-02 09:00", "王小明", "13800138000", "station", "3", "城乡建设",
                                                "村口路灯不亮", "", "陈明", "", "", ""});
    CHECK(v.rows[1][8] == "陈明、李华");
    auto anon = stats::export_table(s->db(), stats::Export::Visits, march, false).value();
    CHECK(anon.header.size() == 10);
    for (const auto& row : anon.rows)
        for (const auto& f : row) {
            CHECK(f != "王小明");
            CHECK(f != "13800138000");
        }

    auto c = stats::export_table(s->db(), stats::Export::Cases, march).value();
    REQUIRE(c.rows.size() == 3);
    CHECK(c.header[0] == "编号");
    CHECK(c.rows[0] == std::vector<std::string>{d.c1, "2026-03-02 09:30", "修复村口路灯", "", "城乡建设", "已测评",
                                                "区住建局", "2026-03-16", "2026-03-09 16:00", "已更换灯泡", "电话",
                                                "满意", "", "村口路灯不亮", "陈明"});
    CHECK(c.rows[2][13] == "");      // entered directly: no visit
    CHECK(c.rows[2][14] == "王芳");  // its own deputy
    for (const auto& row : c.rows)
        for (const auto& f : row) CHECK(f.find("王小明") == std::string::npos);  // no visitor PII in cases

    auto a = stats::export_table(s->db(), stats::Export::Activities, march).value();
    CHECK(a.header == std::vector<std::string>{"日期", "代表", "类型", "人次", "内容"});
    // One reception row per visit and receiving deputy: v1 陈明, v2 陈明+李华, v3 李华, v5 王芳.
    REQUIRE(a.rows.size() == 5);
    CHECK(a.rows[0] == std::vector<std::string>{"2026-03-02", "陈明", "接待选民", "3", "村口路灯不亮"});
    CHECK_FALSE(stats::parse_export("deputies"));
}
