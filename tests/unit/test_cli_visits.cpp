#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "base/text_encoding.h"
#include "cli_fixture.h"

using nlohmann::json;
using testing_support::CliDir;
using testing_support::pending;
using testing_support::station;

TEST_CASE("visit add, list, show, edit, delete through the command line") {
    CliDir d = station();
    REQUIRE(d.run({"deputy", "add", "--name", "陈明", "--level", "县区", "--phone", "13912345678"}).code == 0);
    auto add = d.run({"visit", "add", "--visitor", "王五", "--phone", "13800138000", "--people", "3", "--category",
                      "城乡建设", "--subject", "村口路灯不亮", "--content", "晚上出行不便", "--deputy", "陈明",
                      "--channel", "reception_day"});
    REQUIRE(add.code == 0);
    const std::string id = add.last_line();
    CHECK(id.size() == 36);

    auto list = d.run({"visit", "list", "--search", "路灯", "--json"});
    REQUIRE(list.code == 0);
    auto arr = json::parse(list.out);
    REQUIRE(arr.size() == 1);
    CHECK(arr[0]["id"] == id);
    CHECK(arr[0]["people"] == 3);
    CHECK(arr[0]["category"] == "urban");
    CHECK(arr[0]["visitor"] == "王五");

    auto show = d.run({"visit", "show", id, "--json"});
    REQUIRE(show.code == 0);
    auto v = json::parse(show.out);
    CHECK(v["subject"] == "村口路灯不亮");
    CHECK(v["channel"] == "reception_day");
    CHECK(v["deputies"][0]["name"] == "陈明");
    CHECK(v["visitors"][0]["phone"] == "13800138000");

    REQUIRE(d.run({"visit", "edit", id, "--subject", "村口路灯已修", "--people", "4"}).code == 0);
    v = json::parse(d.run({"visit", "show", id, "--json"}).out);
    CHECK(v["subject"] == "村口路灯已修");
    CHECK(v["people"] == 4);
    bool history_has_edit = false;
    for (const auto& h : v["history"])
        if (h["column"] == "subject" && h["old"] == "村口路灯不亮" && h["new"] == "村口路灯已修")
            history_has_edit = true;
    CHECK(history_has_edit);

    REQUIRE(d.run({"visit", "delete", id}).code == 0);
    CHECK(json::parse(d.run({"visit", "list", "--json"}).out).empty());
    auto gone = d.run({"visit", "show", id});
    CHECK(gone.code != 0);
    CHECK(gone.err.find("no visit") != std::string::npos);
}

TEST_CASE("bad input: one line on stderr, non-zero exit, nothing written") {
    CliDir d = station();
    const int64_t before = pending(d);
    const std::vector<std::vector<std::string>> bad = {
        {"visit", "add", "--category", "教育", "--subject", "s"},                     // no visitor
        {"visit", "add", "--visitor", "甲", "--category", "天文", "--subject", "s"},  // unknown category
        {"visit", "add", "--visitor", "甲", "--category", "教育", "--subject", "s", "--people", "0"},
        {"visit", "add", "--visitor", "甲", "--category", "教育", "--subject", "s", "--people", "-2"},
        {"visit", "add", "--visitor", "甲", "--category", "教育", "--subject", "s", "--people", "two"},
        {"visit", "add", "--visitor", "甲", "--category", "教育", "--subject", std::string("\xff\xfe")},
        {"visit", "add", "--visitor", "甲", "--category", "教育", "--subject", "s", "--deputy", "无名氏"},
        {"visit", "add", "--visitor", "甲", "--category", "教育", "--subject", "s", "--bogus", "x"},
        {"visit", "edit", "01a0-no-such-id", "--subject", "x"},
        {"visit", "delete", "01a0-no-such-id"},
        {"conflicts", "resolve", "nope", "--keep", "mine"},
        {"conflicts", "resolve", "nope", "--keep", "both"},
    };
    for (const auto& words : bad) {
        CAPTURE(words);
        auto r = d.run(words);
        CHECK(r.code != 0);
        CHECK(r.out.empty());
        CHECK(r.err.rfind("liaison: ", 0) == 0);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    CHECK(pending(d) == before);
}

TEST_CASE("commands before init say what to do") {
    CliDir d;
    auto r = d.run({"visit", "list"});
    CHECK(r.code != 0);
    CHECK(r.err.find("liaison init") != std::string::npos);
}

TEST_CASE("CSV import: documented columns, Chinese headers, quoted fields; errors name the line") {
    CliDir d = station();
    REQUIRE(d.run({"deputy", "add", "--name", "陈明"}).code == 0);
    const std::string good =
        d.file("ledger.csv",
               "\xEF\xBB\xBF时间,来访人,电话,人数,类别,主题,诉求,接待代表\n"
               "2025-03-01 09:00,张三,13800138000,2,城乡建设,\"路灯,不亮\",\"他说：\"\"晚上黑\"\"\n第二行\",陈明\n"
               "2025-03-02,李四,,1,教育,学校门口拥堵,,\n");
    auto r = d.run({"visit", "import", good});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("imported 2") != std::string::npos);
    auto arr = json::parse(d.run({"visit", "list", "--search", "路灯", "--json"}).out);
    REQUIRE(arr.size() == 1);
    auto v = json::parse(d.run({"visit", "show", arr[0]["id"].get<std::string>(), "--json"}).out);
    CHECK(v["subject"] == "路灯,不亮");
    CHECK(v["content"] == "他说：\"晚上黑\"\n第二行");
    CHECK(v["people"] == 2);

    const int64_t before = pending(d);
    const std::string bad = d.file("bad.csv",
                                   "visitor,category,subject,people\n"
                                   "甲,教育,好的,1\n"
                                   "乙,天文,坏的,1\n");
    auto e = d.run({"visit", "import", bad});
    CHECK(e.code != 0);
    CHECK(e.err.find("line 3") != std::string::npos);
    auto e2 = d.run({"visit", "import", d.file("bad2.csv", "visitor,category,subject\n甲,教育\n")});
    CHECK(e2.err.find("line 2") != std::string::npos);
    auto e3 = d.run({"visit", "import", d.file("bad3.csv", "visitor,category,subject\n甲,教育,\"unterminated\n")});
    CHECK(e3.err.find("line 2") != std::string::npos);
    auto e4 = d.run({"visit", "import", d.file("bad4.csv", "name,category,subject\n")});
    CHECK(e4.err.find("unknown column") != std::string::npos);
    CHECK(pending(d) == before);
}

TEST_CASE("CSV import of an Excel ledger saved as GBK: converted, stored as UTF-8; mis-encoded files refused") {
    CliDir d = station();
    REQUIRE(d.run({"deputy", "add", "--name", "陈明"}).code == 0);
    const std::string utf8 =
        "时间,来访人,电话,人数,类别,主题,诉求,接待代表\n"
        "2025-03-01 09:00,张三,13800138000,2,城乡建设,\"路灯,不亮\",晚上出行不便,陈明\n"
        "2025-03-02,李四,,1,教育,学校门口拥堵,,\n";
    auto gbk = liaison::text::utf8_to_gb18030(utf8);
    REQUIRE(gbk.ok());
    REQUIRE(*gbk != utf8);
    const int64_t before = pending(d);

    // Forcing UTF-8 on GBK bytes is refused naming the first bad byte; nothing is written.
    auto forced = d.run({"visit", "import", "--encoding", "utf-8", d.file("ledger-gbk.csv", *gbk)});
    CHECK(forced.code != 0);
    CHECK(forced.err.find("line 1") != std::string::npos);
    CHECK(d.run({"visit", "import", "--encoding", "big5", d.file("ledger-gbk.csv", *gbk)}).code == 2);
    CHECK(pending(d) == before);

    auto r = d.run({"visit", "import", d.file("ledger-gbk.csv", *gbk)});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("imported 2") != std::string::npos);
    auto arr = json::parse(d.run({"visit", "list", "--search", "路灯", "--json"}).out);
    REQUIRE(arr.size() == 1);
    auto v = json::parse(d.run({"visit", "show", arr[0]["id"].get<std::string>(), "--json"}).out);
    CHECK(v["subject"] == "路灯,不亮");
    CHECK(v["content"] == "晚上出行不便");
    CHECK(v["visitors"][0]["name"] == "张三");
    CHECK(json::parse(d.run({"visit", "list", "--search", "学校门口", "--json"}).out).size() == 1);

    // The same ledger double-encoded (UTF-8 read as Windows-1252, saved as UTF-8 again): refused
    // with advice, unless UTF-8 is forced.
    const std::string doubled = "visitor,category,subject\nå¼\u00a0ä¸‰,教育,å­¦æ\u00a0¡é—¨å£\n";
    const int64_t after = pending(d);
    auto m = d.run({"visit", "import", d.file("doubled.csv", doubled)});
    CHECK(m.code != 0);
    CHECK(m.err.find("mis-encoded") != std::string::npos);
    CHECK(m.err.find("line 2") != std::string::npos);
    CHECK(pending(d) == after);
    auto as_is = d.run({"visit", "import", "--encoding", "utf-8", d.file("doubled.csv", doubled)});
    CHECK_MESSAGE(as_is.code == 0, as_is.err);

    // Accented Latin names in UTF-8 are no false alarm.
    auto latin = d.run({"visit", "import", d.file("latin.csv", "visitor,category,subject\nJosé,教育,Zoë Müller\n")});
    CHECK_MESSAGE(latin.code == 0, latin.err);
    CHECK(json::parse(d.run({"visit", "list", "--search", "Zoë", "--json"}).out).size() == 1);

    // Neither UTF-8 nor GBK: refused naming the line.
    auto neither = d.run({"visit", "import", d.file("neither.csv", "visitor,category,subject\n甲,教育,好\xff\n")});
    CHECK(neither.code != 0);
    CHECK(neither.err.find("line 2") != std::string::npos);
}

TEST_CASE("deputy list json shape") {
    CliDir d = station();
    REQUIRE(d.run({"deputy", "add", "--name", "李䶮", "--level", "乡镇"}).code == 0);
    CHECK(d.run({"deputy", "add", "--name", "x", "--level", "村"}).code == 2);
    auto arr = json::parse(d.run({"deputy", "list", "--json"}).out);
    REQUIRE(arr.size() == 1);
    CHECK(arr[0]["name"] == "李䶮");
    CHECK(arr[0]["level"] == "乡镇");
    CHECK(arr[0]["active"] == true);
    for (const char* k : {"id", "station_id", "group", "phone"}) CHECK(arr[0].contains(k));
}
