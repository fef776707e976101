// The app's exports (client/app/export.h, docs/app.md): the store's tables named in the display
// language, and the bytes of the .xlsx and CSV files.
#include <doctest/doctest.h>

#include <algorithm>

#include "base/xlsx.h"
#include "cases_fixture.h"
#include "client/app/export.h"
#include "client/store/stats.h"

using namespace liaison;
using testing_support::Dataset;
using testing_support::TestStation;
namespace stats = liaison::store::stats;
namespace exports = liaison::app::exports;

namespace {

ui::I18n language(const std::string& lang) {
    auto i = ui::I18n::load(LIAISON_TEST_ASSETS, lang);
    REQUIRE(i);
    return std::move(*i);
}

exports::Names names_of(TestStation& s, const ui::I18n& i18n) {
    exports::Names n{i18n, {}};
    auto cats = s->categories();
    REQUIRE(cats);
    for (const auto& c : *cats) n.categories[c.id] = i18n.lang() == "en" ? c.name_en : c.name_zh;
    return n;
}

stats::Table march_table(TestStation& s, stats::Export what) {
    return stats::export_table(s->db(), what, {"2026-03-01", "2026-03-31", ""}, false, stats::Cells::Codes).value();
}

bool has(const std::vector<std::string>& row, const std::string& cell) {
    return std::find(row.begin(), row.end(), cell) != row.end();
}

}  // namespace

TEST_CASE("the visits table in Chinese: Chinese header, channel and category named, no codes") {
    TestStation s;
    testing_support::station_dataset(s);
    const ui::I18n zh = language("zh");
    const auto t = exports::shown_table(march_table(s, stats::Export::Visits), names_of(s, zh));
    CHECK(t.header == std::vector<std::string>{"接待时间", "渠道", "人数", "类别", "主题", "诉求", "接待代表",
                                               "办理方式", "原因", "备注"});
    REQUIRE(t.rows.size() == 5);
    CHECK(t.rows[0] == std::vector<std::string>{"2026-03-02 09:00", "来站", "3", "城乡建设", "村口路灯不亮", "", "陈明",
                                                "", "", ""});
    for (const auto& row : t.rows) {
        CHECK_FALSE(has(row, "station"));
        CHECK_FALSE(has(row, "urban"));
    }
}

TEST_CASE("the cases table in Chinese and in English: status, feedback channel and satisfaction named") {
    TestStation s;
    const Dataset d = testing_support::station_dataset(s);
    const ui::I18n zh = language("zh"), en = language("en");
    const auto raw = march_table(s, stats::Export::Cases);
    REQUIRE(raw.rows.size() == 3);
    CHECK(raw.rows[0][5] == "rated");  // the store gives codes
    CHECK(raw.rows[0][10] == "phone");

    const auto z = exports::shown_table(raw, names_of(s, zh));
    CHECK(z.header[0] == "编号");
    CHECK(z.header[5] == "状态");
    CHECK(z.rows[0] == std::vector<std::string>{d.c1, "2026-03-02 09:30", "修复村口路灯", "", "城乡建设", "已测评",
                                                "区住建局", "2026-03-16", "2026-03-09 16:00", "已更换灯泡", "电话",
                                                "满意", "", "村口路灯不亮", "陈明"});
    CHECK(z.rows[1][10] == "书面");
    CHECK(z.rows[1][11] == "基本满意");

    const auto e = exports::shown_table(raw, names_of(s, en));
    CHECK(e.header[1] == "Registered");
    CHECK(e.header[5] == "Status");
    CHECK(e.rows[0][5] == "Rated");
    CHECK(e.rows[0][10] == "Phone");
    CHECK(e.rows[0][11] == "Satisfied");
    CHECK(e.rows[1][10] == "Written");
    CHECK(e.rows[0][4] != "城乡建设");  // the category's English name
}

TEST_CASE("the CLI's table keeps its Chinese names (Cells::Chinese)") {
    TestStation s;
    testing_support::station_dataset(s);
    auto c = stats::export_table(s->db(), stats::Export::Cases, {"2026-03-01", "2026-03-31", ""}).value();
    CHECK(c.rows[0][5] == "已测评");
    CHECK(c.keys.size() == c.header.size());
}

TEST_CASE("the figures table: 合计 first, then the categories with visits") {
    TestStation s;
    testing_support::station_dataset(s);
    const ui::I18n zh = language("zh");
    auto b = stats::figures(s->db(), {"2026-03-01", "2026-03-31", ""}, stats::By::Category).value();
    const auto t = exports::figures_table(b, names_of(s, zh));
    CHECK(t.header == std::vector<std::string>{"类别", "接待批次", "接待人次", "意见建议", "办结", "办结率", "满意率"});
    REQUIRE(t.rows.size() >= 2);
    CHECK(t.rows[0] == std::vector<std::string>{"合计", "5", "15", "3", "2", "66.7%", "100%"});
}

TEST_CASE("an .xlsx export is a zip holding the named sheet; CSV has the BOM and the Chinese header") {
    TestStation s;
    testing_support::station_dataset(s);
    const ui::I18n zh = language("zh");
    const auto t = exports::shown_table(march_table(s, stats::Export::Visits), names_of(s, zh));
    auto x = exports::document(exports::Format::Xlsx, {exports::sheet_of("接待记录", t)});
    REQUIRE(x);
    CHECK(x->rfind("PK", 0) == 0);
    CHECK(x->find("xl/worksheets/sheet1.xml") != std::string::npos);
    CHECK(x->find("xl/workbook.xml") != std::string::npos);
    // Two sheets, two worksheet parts.
    auto two = xlsx_document({exports::sheet_of("a", t), exports::sheet_of("b", t)});
    REQUIRE(two);
    CHECK(two->find("xl/worksheets/sheet2.xml") != std::string::npos);
    CHECK_FALSE(xlsx_document({XlsxSheet{"bad:name", {}, {}, {}}}));

    auto csv = exports::document(exports::Format::Csv, {exports::sheet_of("接待记录", t)});
    REQUIRE(csv);
    CHECK(csv->rfind("\xEF\xBB\xBF接待时间,渠道,人数,类别,主题,诉求,接待代表,办理方式,原因,备注\r\n", 0) == 0);
    CHECK(csv->find("2026-03-02 09:00,来站,3,城乡建设,村口路灯不亮") != std::string::npos);
}
