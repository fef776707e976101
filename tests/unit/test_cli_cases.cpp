// liaison case / department / duty / activity / deputy record / stats / report / export, in process.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_fixture.h"
#include "client/cli/csv.h"

using nlohmann::json;
using testing_support::CliDir;
using testing_support::CliRun;
using testing_support::pending;
using testing_support::station;

namespace {

std::string ok(const CliDir& d, const std::vector<std::string>& words) {
    auto r = d.run(words);
    INFO(words[0] << " " << (words.size() > 1 ? words[1] : "") << ": " << r.err);
    REQUIRE(r.code == 0);
    return r.last_line();
}

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream b;
    b << in.rdbuf();
    return b.str();
}

// One line on stderr, the given exit code.
void refused(const CliRun& r, int code = 2) {
    CHECK(r.code == code);
    CHECK(r.err.rfind("liaison: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

}  // namespace

TEST_CASE("a case through the whole workflow on the command line") {
    CliDir d = station();
    ok(d, {"deputy", "add", "--name", "陈明"});
    const std::string visit =
        ok(d, {"visit", "add", "--visitor", "王五", "--people", "3", "--category", "城乡建设", "--subject",
               "村口路灯不亮", "--content", "晚上出行不便", "--deputy", "陈明", "--at", "2026-03-02 09:00"});
    const std::string id =
        ok(d, {"case", "add", "--visit", visit, "--title", "修复村口路灯", "--at", "2026-03-02 09:30"});
    CHECK(id.size() == 36);
    const std::string direct = ok(
        d, {"case", "add", "--title", "老旧小区改造", "--category", "urban", "--deputy", "陈明", "--at", "2026-03-03"});
    CHECK(direct != id);

    // Refused steps: exit 2, one line naming both statuses, nothing written.
    int64_t before = pending(d);
    auto r = d.run({"case", "feedback", id, "--channel", "电话"});
    refused(r);
    CHECK(r.err.find("登记") != std::string::npos);
    CHECK(r.err.find("已反馈") != std::string::npos);
    CHECK(r.err.find("已办结") != std::string::npos);
    refused(d.run({"case", "rate", id, "--satisfaction", "满意"}));
    refused(d.run({"case", "close", id, "--result", "x"}));
    r = d.run({"case", "assign", id, "--department", "区住建局", "--deadline", "2026-03-16"});
    refused(r);
    CHECK(r.err.find("liaison department add --name 区住建局") != std::string::npos);
    CHECK(pending(d) == before);

    const std::string dept = ok(d, {"department", "add", "--name", "区住建局"});
    refused(d.run({"department", "add", "--name", "区住建局"}));  // no duplicate names
    auto deps = json::parse(d.run({"department", "list", "--json"}).out);
    REQUIRE(deps.size() == 1);
    CHECK(deps[0]["id"] == dept);

    CHECK(ok(d, {"case", "assign", id, "--department", "区住建局", "--deadline", "2026-03-16", "--at", "2026-03-03"})
              .find("交办 assigned") != std::string::npos);
    ok(d, {"case", "progress", id, "--note", "已派人查看", "--at", "2026-03-06 10:00"});
    ok(d, {"case", "close", id, "--result", "已更换灯泡", "--at", "2026-03-09 16:00"});
    refused(d.run({"case", "rate", id, "--satisfaction", "满意"}));
    ok(d, {"case", "feedback", id, "--channel", "电话", "--note", "已电话告知", "--at", "2026-03-10"});
    CHECK(ok(d, {"case", "rate", id, "--satisfaction", "basically", "--comment", "还行", "--at", "2026-03-12"})
              .find("已测评 rated") != std::string::npos);

    auto c = json::parse(d.run({"case", "show", id, "--json"}).out);
    CHECK(c["status"] == "rated");
    CHECK(c["status_zh"] == "已测评");
    CHECK(c["visit_id"] == visit);
    CHECK(c["content"] == "晚上出行不便");
    CHECK(c["department"]["name"] == "区住建局");
    CHECK(c["deadline"] == "2026-03-16");
    CHECK(c["deadline_state"] == "done");
    CHECK(c["result"] == "已更换灯泡");
    CHECK(c["resolved_at"] == "2026-03-09 16:00");
    CHECK(c["feedback_channel"] == "phone");
    CHECK(c["satisfaction"] == "basically");
    CHECK(c["satisfaction_comment"] == "还行");
    CHECK(c["actions"].empty());
    REQUIRE(c["timeline"].size() == 6);
    std::vector<std::string> kinds;
    for (const auto& e : c["timeline"]) kinds.push_back(e["kind"]);
    CHECK(kinds == std::vector<std::string>{"created", "assigned", "progress", "resolved", "answered", "rated"});
    auto text = d.run({"case", "show", id});
    CHECK(text.code == 0);
    CHECK(text.out.find("timeline:") != std::string::npos);

    auto dc = json::parse(d.run({"case", "show", direct, "--json"}).out);
    CHECK(dc["actions"] == json::array({"assign"}));
    CHECK(dc["deputies"][0]["name"] == "陈明");

    // List: by status, overdue (the direct case has no deadline), JSON shape.
    ok(d, {"case", "assign", direct, "--department", dept, "--deadline", "2026-03-20", "--at", "2026-03-04"});
    auto list = json::parse(d.run({"case", "list", "--json", "--today", "2026-03-25"}).out);
    REQUIRE(list.size() == 2);
    CHECK(list[0]["id"] == direct);  // overdue first
    CHECK(list[0]["deadline_state"] == "overdue");
    CHECK(list[1]["deadline_state"] == "done");
    auto overdue = json::parse(d.run({"case", "list", "--overdue", "--json", "--today", "2026-03-25"}).out);
    REQUIRE(overdue.size() == 1);
    CHECK(overdue[0]["department"]["name"] == "区住建局");
    CHECK(json::parse(d.run({"case", "list", "--status", "已测评", "--json"}).out).size() == 1);
    CHECK(json::parse(d.run({"case", "list", "--status", "registered", "--json"}).out).empty());
    auto plain = d.run({"case", "list", "--today", "2026-03-25"});
    CHECK(plain.out.find("超期 overdue") != std::string::npos);
    CHECK(plain.last_line() == "2 cases");
}

TEST_CASE("bad case, duty, activity, stats, report and export input: exit 2, one line, nothing written") {
    CliDir d = station();
    ok(d, {"deputy", "add", "--name", "陈明"});
    ok(d, {"department", "add", "--name", "区住建局"});
    const std::string id = ok(d, {"case", "add", "--title", "案件", "--at", "2026-03-01"});
    const int64_t before = pending(d);
    const std::string bad = "\xff\xfe";
    const std::vector<std::vector<std::string>> tries = {
        {"case", "add"},
        {"case", "add", "--title", "t" + bad},
        {"case", "add", "--title", "t", "--visit", "no-such-visit"},
        {"case", "add", "--title", "t", "--category", "天文"},
        {"case", "add", "--title", "t", "--deputy", "无名氏"},
        {"case", "add", "--title", "t", "--at", "2026-02-30"},
        {"case", "add", "--title", "t", "--bogus", "x"},
        {"case", "assign", id, "--department", "区住建局"},
        {"case", "assign", id, "--department", "区住建局", "--deadline", "2026-02-30"},
        {"case", "assign", id, "--department", "区住建局", "--deadline", "next week"},
        {"case", "assign", "no-such-case", "--department", "区住建局", "--deadline", "2026-03-30"},
        {"case", "assign", id, "--department", "区住建局", "--deadline", "2026-03-30", "--at", "soon"},
        {"case", "progress", id},
        {"case", "progress", id, "--note", "n"},  // not yet assigned
        {"case", "close", "no-such-case", "--result", "r"},
        {"case", "rate", id, "--satisfaction", "很满意"},
        {"case", "show", "no-such-case"},
        {"case", "list", "--status", "done"},
        {"case", "frobnicate"},
        {"department", "add"},
        {"duty", "add", "--date", "2026-03-05", "--start", "9", "--end", "11:00", "--deputy", "陈明"},
        {"duty", "add", "--date", "2026-03-32", "--start", "09:00", "--end", "11:00", "--deputy", "陈明"},
        {"duty", "add", "--date", "2026-03-05", "--start", "09:00", "--end", "11:00", "--deputy", "无名氏"},
        {"duty", "remove", "no-such-slot"},
        {"activity", "add", "--deputy", "陈明", "--type", "接待选民", "--date", "2026-03-05"},
        {"activity", "add", "--deputy", "陈明", "--type", "视察调研", "--date", "20260305"},
        {"activity", "add", "--deputy", "陈明", "--type", "视察调研", "--date", "2026-03-05", "--notes", bad},
        {"deputy", "record", "无名氏"},
        {"deputy", "record", "陈明", "--from", "March"},
        {"stats", "--from", "2026-13-01"},
        {"stats", "--by", "week"},
        {"report", "monthly", "--month", "2026-3"},
        {"report", "monthly"},
        {"report", "yearly", "--month", "2026-03"},
        {"export", "--format", "ods", "--what", "visits", (d.dir / "x.ods").string()},
        {"export", "--format", "csv", "--what", "voters", (d.dir / "x.csv").string()},
        {"export", "--format", "csv", "--what", "visits"},
    };
    for (const auto& words : tries) {
        CAPTURE(words);
        auto r = d.run(words);
        refused(r);
        CHECK(r.err.find('\xff') == std::string::npos);
    }
    CHECK(pending(d) == before);
    CHECK_FALSE(std::filesystem::exists(d.dir / "x.csv"));
    CHECK_FALSE(std::filesystem::exists(d.dir / "x.ods"));
}

TEST_CASE("stats and the monthly report on a fixed dataset built through the command line") {
    CliDir d = station();
    ok(d, {"deputy", "add", "--name", "陈明"});
    ok(d, {"deputy", "add", "--name", "李华"});
    ok(d, {"department", "add", "--name", "区住建局"});
    auto visit = [&](const std::string& at, const std::string& cat, const std::string& people,
                     const std::string& deputy) {
        std::vector<std::string> w = {"visit",     "add",  "--visitor", "王小明", "--category", cat,
                                      "--subject", "来访", "--people",  people,   "--at",       at};
        if (!deputy.empty()) w.insert(w.end(), {"--deputy", deputy});
        return ok(d, w);
    };
    // March: 5 visits with 3+2+5+1+4 = 15 people; 3 cases, 2 resolved (rated 满意, 基本满意).
    const std::string v1 = visit("2026-03-02 09:00", "城乡建设", "3", "陈明");
    visit("2026-03-05 10:00", "城乡建设", "2", "陈明,李华");
    const std::string v3 = visit("2026-03-10 14:00", "教育", "5", "李华");
    visit("2026-03-18 09:30", "医疗卫生", "1", "");
    visit("2026-03-31 23:59", "教育", "4", "");
    visit("2026-04-01 00:00", "教育", "9", "陈明");  // April
    const std::string gone = visit("2026-03-15 11:00", "教育", "10", "陈明");
    ok(d, {"visit", "delete", gone});
    const std::string c1 = ok(d, {"case", "add", "--visit", v1, "--title", "修路灯", "--at", "2026-03-02 09:30"});
    const std::string c2 = ok(d, {"case", "add", "--visit", v3, "--title", "疏导交通", "--at", "2026-03-11"});
    ok(d, {"case", "add", "--title", "小区改造", "--category", "城乡建设", "--at", "2026-03-20"});
    for (const auto& c : {c1, c2}) {
        ok(d, {"case", "assign", c, "--department", "区住建局", "--deadline", "2026-03-30", "--at", "2026-03-12"});
        ok(d, {"case", "close", c, "--result", "已办", "--at", "2026-03-13"});
        ok(d, {"case", "feedback", c, "--at", "2026-03-14"});
    }
    ok(d, {"case", "rate", c1, "--satisfaction", "满意", "--at", "2026-03-15"});
    ok(d, {"case", "rate", c2, "--satisfaction", "基本满意", "--at", "2026-03-15"});

    auto s = json::parse(d.run({"stats", "--from", "2026-03-01", "--to", "2026-03-31", "--json"}).out);
    CHECK(s["total"]["visits"] == 5);
    CHECK(s["total"]["people"] == 15);
    CHECK(s["total"]["suggestions"] == 3);
    CHECK(s["total"]["resolved"] == 2);
    CHECK(s["total"]["rated"] == 2);
    CHECK(s["total"]["resolution_rate"] == "66.7%");
    CHECK(s["total"]["resolution_permille"] == 667);
    CHECK(s["total"]["satisfaction_rate"] == "100%");
    CHECK(s["cases_by_status"]["rated"] == 2);
    CHECK(s["cases_by_status"]["registered"] == 1);

    auto by_month = json::parse(d.run({"stats", "--by", "month", "--json"}).out);
    REQUIRE(by_month["groups"].size() == 2);
    CHECK(by_month["groups"][0]["key"] == "2026-03");
    CHECK(by_month["groups"][1]["people"] == 9);
    auto by_cat = json::parse(d.run({"stats", "--by", "category", "--to", "2026-03-31", "--json"}).out);
    REQUIRE(by_cat["groups"].size() == 3);
    CHECK(by_cat["groups"][0]["label"] == "城乡建设");
    CHECK(by_cat["groups"][0]["visits"] == 2);
    CHECK(by_cat["groups"][0]["suggestions"] == 2);
    CHECK(by_cat["groups"][1]["label"] == "教育");
    CHECK(by_cat["groups"][1]["people"] == 9);
    auto by_dep =
        json::parse(d.run({"stats", "--by", "deputy", "--from", "2026-03-01", "--to", "2026-03-31", "--json"}).out);
    REQUIRE(by_dep["groups"].size() == 3);  // 李华, 陈明, none
    CHECK(by_dep["groups"][0]["label"] == "李华");
    CHECK(by_dep["groups"][0]["visits"] == 2);
    CHECK(by_dep["groups"][0]["people"] == 7);
    CHECK(by_dep["groups"][1]["label"] == "陈明");
    CHECK(by_dep["groups"][1]["people"] == 5);
    CHECK(d.run({"stats"}).out.find("合计 total") == 0);

    auto rep = d.run({"report", "monthly", "--month", "2026-03"});
    REQUIRE(rep.code == 0);
    CHECK(rep.out.find("东湖街道代表联络站2026年3月工作小结\n") == 0);
    CHECK(rep.out.find("本月共接待选民5批15人次，收集意见建议3条，推动解决问题2件，办结率66.7%，满意率100%。") !=
          std::string::npos);
    CHECK(rep.out.find("城乡建设：接待选民2批5人次，收集意见建议2条，办结1件") != std::string::npos);
    CHECK(rep.out.find("教育：接待选民2批9人次，收集意见建议1条，办结1件") != std::string::npos);
    const std::string out = (d.dir / "report.txt").string();
    REQUIRE(d.run({"report", "monthly", "--month", "2026-03", "--out", out}).code == 0);
    CHECK(read(out) == rep.out);
    auto j = json::parse(d.run({"report", "monthly", "--month", "2026-03", "--json"}).out);
    CHECK(j["summary"] == "本月共接待选民5批15人次，收集意见建议3条，推动解决问题2件，办结率66.7%，满意率100%。");
    CHECK(j["total"]["people"] == 15);
}

TEST_CASE("export --format xlsx: a workbook (the writer of base/xlsx.h) holding the sheet") {
    CliDir d = station();
    ok(d, {"visit", "add", "--visitor", "王五", "--category", "教育", "--subject", "=1+1", "--at", "2026-03-03 10:00"});
    const std::string file = (d.dir / "visits.xlsx").string();
    REQUIRE(d.run({"export", "--format", "xlsx", "--what", "visits", file}).code == 0);
    const std::string bytes = read(file);
    CHECK(bytes.rfind("PK", 0) == 0);
    CHECK(bytes.find("xl/worksheets/sheet1.xml") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(file + ".part"));
}

TEST_CASE("CSV export: text Excel would run as a formula stays text, and imports back unchanged") {
    CliDir d = station();
    const std::string subject = "=HYPERLINK(\"http://example.com\",\"点击\")";
    const std::string content = "-5度也没有暖气";
    const std::string notes = "'-' 表示无";  // already looks escaped: must still come back as typed
    ok(d, {"visit", "add", "--visitor", "@王五", "--phone", "13800138000", "--category", "教育", "--subject", subject,
           "--content", content, "--notes", notes, "--at", "2026-03-03 10:00"});
    const std::string file = (d.dir / "visits.csv").string();
    REQUIRE(d.run({"export", "--format", "csv", "--what", "visits", file}).code == 0);
    {
        auto recs = liaison::cli::parse_csv(read(file));
        REQUIRE(recs);
        const auto& row = (*recs)[1].fields;
        CHECK(std::find(row.begin(), row.end(), notes) != row.end());
        CHECK(std::find(row.begin(), row.end(), subject) != row.end());
    }
    const std::string text = read(file);
    // No cell of the file starts with a formula character.
    for (const char* raw : {",\"=", ",=", ",-", ",@", ",+", "\n=", "\n-"}) CHECK(text.find(raw) == std::string::npos);
    CHECK(text.find("\"'=HYPERLINK(") != std::string::npos);
    CHECK(text.find(",'-5度") != std::string::npos);
    CliDir other = station();
    auto imp = other.run({"visit", "import", file});
    INFO(imp.err);
    REQUIRE(imp.code == 0);
    auto b = json::parse(other.run({"visit", "list", "--json"}).out);
    REQUIRE(b.size() == 1);
    auto shown = json::parse(other.run({"visit", "show", b[0]["id"].get<std::string>(), "--json"}).out);
    CHECK(shown["subject"] == subject);
    CHECK(shown["content"] == content);
    CHECK(b[0]["visitor"] == "@王五");
}

TEST_CASE("CSV export: BOM, RFC 4180 quoting of commas, quotes and newlines, read back and imported again") {
    CliDir d = station();
    ok(d, {"deputy", "add", "--name", "陈明"});
    ok(d, {"deputy", "add", "--name", "李华"});
    const std::string subject = "路灯,\"不亮\"\n第二行";
    const std::string content = "村民反映：\r\n1. 晚上\"看不见\"，2. 易摔倒, 请尽快处理";
    const std::string v =
        ok(d, {"visit",    "add",        "--visitor", "张\"三\",李四", "--phone", "13800138000",     "--people",
               "2",        "--category", "城乡建设",  "--subject",     subject,   "--content",       content,
               "--deputy", "陈明,李华",  "--notes",   "备注,含逗号",   "--at",    "2026-03-02 09:00"});
    ok(d, {"visit", "add", "--visitor", "王五", "--category", "教育", "--subject", "普通", "--at", "2026-03-03 10:00"});
    ok(d, {"case", "add", "--visit", v, "--title", "标题,\"引号\"\n换行", "--at", "2026-03-02 10:00"});
    ok(d, {"activity", "add", "--deputy", "陈明", "--type", "视察调研", "--date", "2026-03-04", "--notes",
           "视察,\"河道\""});
    ok(d, {"duty", "add", "--date", "2026-03-05", "--start", "09:00", "--end", "11:30", "--deputy", "陈明、李华"});

    const std::string file = (d.dir / "visits.csv").string();
    auto r = d.run({"export", "--format", "csv", "--what", "visits", file});
    REQUIRE(r.code == 0);
    CHECK(r.out == "exported 2 visits to " + file + "\n");
    const std::string text = read(file);
    CHECK(text.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(text.find("\r\n") != std::string::npos);
    auto recs = liaison::cli::parse_csv(text);
    REQUIRE(recs);
    REQUIRE(recs->size() == 3);
    const auto& h = (*recs)[0].fields;
    const auto& row = (*recs)[1].fields;
    REQUIRE(h.size() == row.size());
    auto col = [&](const std::string& name) {
        auto it = std::find(h.begin(), h.end(), name);
        REQUIRE(it != h.end());
        return row[static_cast<size_t>(it - h.begin())];
    };
    CHECK(col("主题") == subject);
    CHECK(col("诉求") == content);
    CHECK(col("来访人") == "张\"三\",李四");
    CHECK(col("联系电话") == "13800138000");
    CHECK(col("接待代表") == "陈明、李华");
    CHECK(col("备注") == "备注,含逗号");
    CHECK(col("人数") == "2");
    CHECK(col("类别") == "城乡建设");

    // The visits export is what `visit import` reads: the same visits land in another station.
    CliDir other = station();
    ok(other, {"deputy", "add", "--name", "陈明"});
    ok(other, {"deputy", "add", "--name", "李华"});
    auto imp = other.run({"visit", "import", file});
    INFO(imp.err);
    REQUIRE(imp.code == 0);
    auto a = json::parse(d.run({"visit", "list", "--json"}).out);
    auto b = json::parse(other.run({"visit", "list", "--json"}).out);
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        for (const char* k : {"received_at", "category", "subject", "people", "visitor"}) CHECK(a[i][k] == b[i][k]);
    }

    // Without the visitor columns no voter PII is in the file.
    const std::string anon = (d.dir / "anon.csv").string();
    REQUIRE(d.run({"export", "--format", "csv", "--what", "visits", "--no-visitor", anon}).code == 0);
    const std::string anon_text = read(anon);
    CHECK(anon_text.find("13800138000") == std::string::npos);
    CHECK(anon_text.find("李四") == std::string::npos);
    CHECK(anon_text.find("来访人") == std::string::npos);

    const std::string cases_file = (d.dir / "cases.csv").string();
    REQUIRE(d.run({"export", "--format", "csv", "--what", "cases", cases_file}).code == 0);
    const std::string cases_text = read(cases_file);
    CHECK(cases_text.find("13800138000") == std::string::npos);  // no visitor PII in cases
    auto cr = liaison::cli::parse_csv(cases_text);
    REQUIRE(cr);
    REQUIRE(cr->size() == 2);
    CHECK((*cr)[1].fields[2] == "标题,\"引号\"\n换行");
    CHECK((*cr)[1].fields[13] == subject);  // 来源接待

    auto act = d.run({"export", "--format", "csv", "--what", "activities", "--from", "2026-03-01", "-"});
    REQUIRE(act.code == 0);
    auto ar = liaison::cli::parse_csv(act.out);
    REQUIRE(ar);
    // 2 receptions (v1 by 陈明 and 李华), 1 inspection, 2 duty rows; v2 has no deputy.
    REQUIRE(ar->size() == 6);
    bool inspection = false;
    for (const auto& rec : *ar)
        if (rec.fields[2] == "视察调研") {
            inspection = true;
            CHECK(rec.fields[4] == "视察,\"河道\"");
        }
    CHECK(inspection);
}

TEST_CASE("duty roster, activities and the deputy record on the command line") {
    CliDir d = station();
    const std::string a = ok(d, {"deputy", "add", "--name", "陈明"});
    ok(d, {"deputy", "add", "--name", "李华"});
    const std::string slot = ok(d, {"duty", "add", "--date", "2026-03-05", "--start", "09:00", "--end", "11:30",
                                    "--deputy", "陈明、李华", "--note", "接待日"});
    ok(d, {"duty", "add", "--date", "2026-03-12", "--start", "14:00", "--end", "17:00", "--deputy", "李华"});
    auto slots = json::parse(d.run({"duty", "list", "--date", "2026-03-05", "--json"}).out);
    REQUIRE(slots.size() == 1);
    CHECK(slots[0]["id"] == slot);
    CHECK(slots[0]["deputies"].size() == 2);
    CHECK(slots[0]["deputies"][1]["name"] == "李华");
    CHECK(json::parse(d.run({"duty", "list", "--json"}).out).size() == 2);

    ok(d, {"activity", "add", "--deputy", "陈明", "--type", "视察调研", "--date", "2026-03-12", "--notes", "河道整治"});
    ok(d, {"activity", "add", "--deputy", "陈明", "--type", "training", "--date", "2026-04-02"});
    ok(d, {"activity", "add", "--deputy", "李华", "--type", "走访", "--date", "2026-03-15"});
    auto acts = json::parse(d.run({"activity", "list", "--deputy", "陈明", "--json"}).out);
    REQUIRE(acts.size() == 2);
    CHECK(acts[0]["type"] == "training");  // newest first
    CHECK(acts[1]["notes"] == "河道整治");
    CHECK(json::parse(d.run({"activity", "list", "--json"}).out).size() == 3);

    ok(d, {"visit", "add", "--visitor", "甲", "--people", "3", "--category", "教育", "--subject", "s1", "--deputy",
           "陈明", "--at", "2026-03-02 09:00"});
    ok(d, {"visit", "add", "--visitor", "乙", "--people", "2", "--category", "教育", "--subject", "s2", "--deputy",
           "陈明,李华", "--at", "2026-03-20 09:00"});
    auto rec =
        json::parse(d.run({"deputy", "record", "陈明", "--from", "2026-03-01", "--to", "2026-03-31", "--json"}).out);
    CHECK(rec["deputy"]["id"] == a);
    CHECK(rec["visits"] == 2);
    CHECK(rec["people"] == 5);
    CHECK(rec["duty_slots"] == 1);
    CHECK(rec["by_type"]["reception"] == 2);
    CHECK(rec["by_type"]["inspection"] == 1);
    CHECK(rec["by_type"]["training"] == 0);
    CHECK(rec["activities"] == 3);
    CHECK(rec["entries"].size() == 4);
    auto text = d.run({"deputy", "record", a});  // by id too
    REQUIRE(text.code == 0);
    CHECK(text.out.find("陈明 履职档案") == 0);
    CHECK(text.out.find("培训 1") != std::string::npos);

    REQUIRE(d.run({"duty", "remove", slot}).code == 0);
    CHECK(json::parse(d.run({"duty", "list", "--json"}).out).size() == 1);
}
