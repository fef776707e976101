// A station store on a temporary file with a settable clock, and the fixed dataset the figures
// and report tests check against hand-computed values (see station_dataset below).
#pragma once
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "client/store/cases.h"
#include "client/store/duty.h"
#include "client/store/store.h"

namespace testing_support {

// 2026-03-20 04:00 UTC: the same calendar day (2026-03-20) from UTC-4 to UTC+19.
inline constexpr int64_t kMarch20 = 1773979200000;

struct TestStation {
    std::filesystem::path dir;
    int64_t now = kMarch20;
    std::unique_ptr<liaison::store::Store> store;

    explicit TestStation(bool init = true) {
        static int n = 0;
        dir = std::filesystem::temp_directory_path() /
              ("liaison-cases-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        std::filesystem::create_directories(dir);
        liaison::store::OpenOptions o;
        o.create = true;
        o.wall = [this] { return now; };
        auto s = liaison::store::Store::open((dir / "liaison.db").string(), o);
        REQUIRE(s);
        store = std::move(*s);
        if (init) REQUIRE(store->init("东湖街道代表联络站", "desk"));
    }
    ~TestStation() {
        store.reset();
        std::filesystem::remove_all(dir);
    }
    liaison::store::Store& operator*() { return *store; }
    liaison::store::Store* operator->() { return store.get(); }

    int64_t pending() { return store->pending_changes().value(); }

    std::string deputy(const std::string& name) {
        liaison::store::Deputy d;
        d.name = name;
        auto id = store->add_deputy(d);
        REQUIRE(id);
        return *id;
    }
    std::string department(const std::string& name) {
        auto id = store->add_department(liaison::store::Department{"", name});
        REQUIRE(id);
        return *id;
    }
    std::string visit(const std::string& at, const std::string& category, int64_t people,
                      std::vector<std::string> deputies, const std::string& subject = "来访") {
        liaison::store::Visit v;
        v.received_at = at;
        v.category = category;
        v.people = people;
        v.subject = subject;
        v.deputy_ids = std::move(deputies);
        v.visitors.push_back(liaison::store::Visitor{"", "", "王小明", "13800138000", "", ""});
        auto id = store->add_visit(v);
        REQUIRE(id);
        return *id;
    }
    std::string add_case(const std::string& visit_id, const std::string& title, const std::string& at,
                         const std::string& category = "", std::vector<std::string> deputies = {}) {
        liaison::store::cases::NewCase n;
        n.visit_id = visit_id;
        n.title = title;
        n.at = at;
        n.category = category;
        n.deputy_ids = std::move(deputies);
        auto id = liaison::store::cases::add(*store, n);
        REQUIRE(id);
        return *id;
    }
};

// The fixed dataset. Hand-computed figures (docs/cases.md repeats them):
//   March 2026: visits 5 (v1..v5; v9 deleted), people 3+2+5+1+4 = 15; cases c1, c2, c3 (c6
//   deleted): suggestions 3, resolved 2 (c1 rated, c2 rated), rated 2 (满意 1, 基本满意 1)
//   → 办结率 2/3 = 66.7%, 满意率 2/2 = 100%.
//   February: v6 (7 people), c4 rated 不满意. April: v7 (2 people), c5 registered.
struct Dataset {
    std::string a, b, c;  // deputies 陈明, 李华, 王芳
    std::string dept;
    std::string v1, v2, v3, v4, v5, v6, v7;
    std::string c1, c2, c3, c4, c5;
};

inline Dataset station_dataset(TestStation& s) {
    namespace cases = liaison::store::cases;
    Dataset d;
    d.a = s.deputy("陈明");
    d.b = s.deputy("李华");
    d.c = s.deputy("王芳");
    d.dept = s.department("区住建局");
    d.v1 = s.visit("2026-03-02 09:00", "urban", 3, {d.a}, "村口路灯不亮");
    d.v2 = s.visit("2026-03-05 10:00", "城乡建设", 2, {d.a, d.b}, "小区加装电梯");
    d.v3 = s.visit("2026-03-10 14:00", "education", 5, {d.b}, "学校门口交通拥堵");
    d.v4 = s.visit("2026-03-18 09:30", "health", 1, {}, "社区医院缺药");
    d.v5 = s.visit("2026-03-31 23:59", "教育", 4, {d.c}, "校车接送");
    d.v6 = s.visit("2026-02-27 15:00", "urban", 7, {d.a}, "道路破损");
    d.v7 = s.visit("2026-04-01 00:00", "welfare", 2, {d.b}, "养老金");
    const std::string v9 = s.visit("2026-03-15 11:00", "urban", 10, {d.a}, "deleted");
    REQUIRE(s->delete_visit(v9));

    d.c1 = s.add_case(d.v1, "修复村口路灯", "2026-03-02 09:30");
    REQUIRE(cases::assign(*s, d.c1, "区住建局", "2026-03-16", "", "2026-03-03"));
    REQUIRE(cases::progress(*s, d.c1, "已派人查看", "2026-03-06 10:00"));
    REQUIRE(cases::close(*s, d.c1, "已更换灯泡", "2026-03-09 16:00"));
    REQUIRE(cases::feedback(*s, d.c1, "电话", "已电话告知", "2026-03-10"));
    REQUIRE(cases::rate(*s, d.c1, "满意", "", "2026-03-12"));

    d.c2 = s.add_case(d.v3, "疏导学校门口交通", "2026-03-11 08:00");
    REQUIRE(cases::assign(*s, d.c2, d.dept, "2026-03-25", "", "2026-03-11 09:00"));
    REQUIRE(cases::close(*s, d.c2, "增设交通协管员", "2026-03-20 09:00"));
    REQUIRE(cases::feedback(*s, d.c2, "written", "", "2026-03-21"));
    REQUIRE(cases::rate(*s, d.c2, "basically", "希望长期坚持", "2026-03-22"));

    d.c3 = s.add_case("", "老旧小区改造纳入计划", "2026-03-20 10:00", "urban", {d.c});
    REQUIRE(cases::assign(*s, d.c3, d.dept, "2026-04-20", "", "2026-03-20 11:00"));

    d.c4 = s.add_case(d.v6, "修补破损道路", "2026-02-27 16:00");
    REQUIRE(cases::assign(*s, d.c4, d.dept, "2026-03-10", "", "2026-02-28"));
    REQUIRE(cases::close(*s, d.c4, "已修补", "2026-03-08"));
    REQUIRE(cases::feedback(*s, d.c4, "当面", "", "2026-03-09"));
    REQUIRE(cases::rate(*s, d.c4, "不满意", "修补质量差", "2026-03-09"));

    d.c5 = s.add_case(d.v7, "提高养老金", "2026-04-01 00:00");

    // A deleted case counts nowhere.
    const std::string c6 = s.add_case(d.v2, "deleted", "2026-03-05 11:00");
    {
        auto tx = liaison::db::Tx::begin(s->db());
        REQUIRE(tx);
        REQUIRE(s->replica().remove("cases", c6, s->station_id()));
        REQUIRE(tx->commit());
    }
    return d;
}

}  // namespace testing_support
