#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "client/store/store.h"

using namespace liaison;
using namespace liaison::store;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("liaison-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string db() const { return (path / "liaison.db").string(); }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

std::unique_ptr<Store> fresh(const TempDir& dir) {
    OpenOptions o;
    o.create = true;
    auto s = Store::open(dir.db(), o);
    REQUIRE(s);
    REQUIRE((*s)->init("东湖街道代表联络站", "desk"));
    return std::move(*s);
}

Visit visit(const std::string& subject, const std::string& name = "王小明", const std::string& content = "") {
    Visit v;
    v.category = "城乡建设";
    v.subject = subject;
    v.content = content;
    v.received_at = "2026-03-05 09:30";
    v.visitors.push_back(Visitor{"", "", name, "13800138000", "", ""});
    return v;
}

int64_t user_version(Store& s) {
    auto st = s.db().prepare("PRAGMA user_version");
    REQUIRE(st);
    REQUIRE(*st->step());
    return st->i64(0);
}

}  // namespace

TEST_CASE("a fresh store is at the newest schema with the ten categories") {
    TempDir d;
    auto s = fresh(d);
    CHECK(user_version(*s) == kSchemaVersion);
    auto cats = s->categories();
    REQUIRE(cats);
    CHECK(cats->size() == 10);
    CHECK(s->category("教育")->id == "education");
    CHECK(s->category("Education")->id == "education");
    CHECK_FALSE(s->category("天文"));
}

TEST_CASE("a version-1 store migrates to the newest and its visits become searchable") {
    TempDir d;
    {
        auto db = db::Db::open(d.db());
        REQUIRE(db);
        REQUIRE(Store::migrate_to(**db, 1));
    }
    {
        // Use the v1 store: open it through the replica without the search index.
        auto db = db::Db::open(d.db());
        REQUIRE(db);
        REQUIRE(sync::Replica::set_device_id(**db, "dev1"));
        auto rep = sync::Replica::open(**db, [] { return int64_t{1700000000000}; });
        REQUIRE(rep);
        Store::register_tables(**rep);
        auto tx = db::Tx::begin(**db);
        REQUIRE(tx);
        REQUIRE((*rep)->write("visits", "v1", "st",
                              {{"subject", "老旧小区加装电梯"},
                               {"received_at", "2025-01-02 10:00"},
                               {"category", "urban"},
                               {"people", 2}}));
        REQUIRE(tx->commit());
        auto st = (*db)->prepare("PRAGMA user_version");
        REQUIRE(*st->step());
        CHECK(st->i64(0) == 1);
    }
    auto s = Store::open(d.db());
    REQUIRE(s);
    CHECK(user_version(**s) == kSchemaVersion);
    VisitQuery q;
    q.text = "电梯";
    auto rows = (*s)->find_visits(q);
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().id == "v1");
}

TEST_CASE("a store from a newer build and a foreign file are refused clearly") {
    TempDir d;
    {
        auto db = db::Db::open(d.db());
        REQUIRE((*db)->exec("CREATE TABLE payroll(x); PRAGMA user_version = 0"));
    }
    auto s = Store::open(d.db());
    REQUIRE_FALSE(s);
    CHECK(s.error().message.find("not a Liaison store") != std::string::npos);
    TempDir d2;
    {
        auto s2 = fresh(d2);
        REQUIRE((*s2).db().exec("PRAGMA user_version = 99"));
    }
    auto s3 = Store::open(d2.db());
    REQUIRE_FALSE(s3);
    CHECK(s3.error().message.find("newer") != std::string::npos);
}

TEST_CASE("text round-trips exactly: quotes, emoji, rare CJK beyond the BMP, near the 10,000-character limit") {
    TempDir d;
    auto s = fresh(d);
    std::string big;
    while (big.size() < 25 * 1024) big += "反映村道路灯不亮，\"夜间\"出行不便😀𠀋䶮堃喆。";
    const std::string name = "李\"䶮\"'𠀋'堃喆 O'Brien 😀";
    auto id = s->add_visit(visit("路灯\"不亮\" 'quoted' 😀", name, big));
    REQUIRE(id);
    auto v = s->visit(*id);
    REQUIRE(v);
    CHECK(v->content == big);
    CHECK(v->subject == "路灯\"不亮\" 'quoted' 😀");
    REQUIRE(v->visitors.size() == 1);
    CHECK(v->visitors[0].name == name);
    VisitQuery q;
    q.text = "𠀋";
    CHECK(s->count_visits(q).value() == 1);
}

TEST_CASE("substring search over subject, content and visitor names, with 1, 2 and more characters") {
    TempDir d;
    auto s = fresh(d);
    REQUIRE(s->add_visit(visit("村口路灯不亮", "张三", "晚上看不见")));
    REQUIRE(s->add_visit(visit("学校门口交通拥堵", "李四", "上下学时段")));
    REQUIRE(s->add_visit(visit("医保报销", "王路明", "异地就医")));
    auto count = [&](const std::string& text) {
        VisitQuery q;
        q.text = text;
        auto n = s->count_visits(q);
        REQUIRE(n);
        return *n;
    };
    CHECK(count("路") == 2);  // subject of one, visitor name of another
    CHECK(count("路灯") == 1);
    CHECK(count("路灯不亮") == 1);
    CHECK(count("灯不") == 1);
    CHECK(count("不亮晚") == 0);  // never across field boundaries
    CHECK(count("就医") == 1);
    CHECK(count("李四") == 1);
    CHECK(count("交通 拥堵") == 1);  // spaces in the query are ignored
    CHECK(count("\"") == 3);         // a query of separators only matches everything
    CHECK(count("火星") == 0);
}

TEST_CASE("filters by date range, category and deputy; edits and deletes follow in the index") {
    TempDir d;
    auto s = fresh(d);
    Deputy dep;
    dep.name = "陈代表";
    dep.level = "县区";
    auto did = s->add_deputy(dep);
    REQUIRE(did);
    Visit a = visit("一月的事");
    a.received_at = "2026-01-10 10:00";
    a.deputy_ids = {*did};
    Visit b = visit("三月的事");
    b.category = "education";
    auto ida = s->add_visit(a);
    auto idb = s->add_visit(b);
    REQUIRE(ida);
    REQUIRE(idb);
    VisitQuery q;
    q.from = "2026-01-01";
    q.to = "2026-01-31";
    CHECK(s->count_visits(q).value() == 1);
    q = {};
    q.to = "2026-01-10";  // inclusive of the whole day
    CHECK(s->count_visits(q).value() == 1);
    q = {};
    q.category = "教育";
    CHECK(s->find_visits(q).value().at(0).id == *idb);
    q = {};
    q.deputy_id = *did;
    CHECK(s->find_visits(q).value().at(0).id == *ida);

    VisitPatch p;
    p.subject = "改过的主题";
    REQUIRE(s->update_visit(*ida, p));
    q = {};
    q.text = "改过";
    CHECK(s->count_visits(q).value() == 1);
    q.text = "一月";
    CHECK(s->count_visits(q).value() == 0);
    REQUIRE(s->delete_visit(*idb));
    CHECK(s->count_visits(VisitQuery{}).value() == 1);
    CHECK_FALSE(s->visit(*idb));
    auto trail = s->audit_trail("visits", *ida);
    REQUIRE(trail);
    bool saw_edit = false;
    for (const auto& e : *trail)
        if (e.column == "subject" && e.old_value == "一月的事" && e.new_value == "改过的主题") saw_edit = true;
    CHECK(saw_edit);
}

TEST_CASE("bad input is refused with a reason and writes nothing") {
    TempDir d;
    auto s = fresh(d);
    const int64_t before = s->pending_changes().value();
    Visit v = visit("主题");
    v.people = 0;
    CHECK(s->add_visit(v).error().message.find("people") != std::string::npos);
    v = visit("");
    CHECK_FALSE(s->add_visit(v));
    v = visit("主题");
    v.category = "天文";
    CHECK(s->add_visit(v).error().message.find("category") != std::string::npos);
    v = visit(std::string("bad \xc3\x28 utf8"));
    CHECK(s->add_visit(v).error().message.find("UTF-8") != std::string::npos);
    v = visit("主题");
    v.route = "legal_channel";
    CHECK(s->add_visit(v).error().message.find("reason") != std::string::npos);
    v = visit("主题");
    v.deputy_ids = {"nobody"};
    CHECK_FALSE(s->add_visit(v));
    std::vector<Visit> batch = {visit("好的"), visit("也好"), visit("坏的")};
    batch[2].people = -1;
    auto r = s->add_visits(batch);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.rfind("record 3", 0) == 0);
    CHECK(s->pending_changes().value() == before);
    CHECK(s->count_visits(VisitQuery{}).value() == 0);
    CHECK_FALSE(s->update_visit("no-such-id", VisitPatch{}));
}

TEST_CASE("a store locked by another process gives a clear error, not a hang") {
    TempDir d;
    auto s = fresh(d);
    auto other = db::Db::open(d.db());
    REQUIRE(other);
    REQUIRE((*other)->exec("BEGIN IMMEDIATE"));
    OpenOptions o;
    o.busy_timeout_ms = 200;
    auto s2 = Store::open(d.db(), o);
    REQUIRE(s2);
    auto r = (*s2)->add_visit(visit("锁"));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == Error::Kind::Locked);
    CHECK(r.error().message.find("locked") != std::string::npos);
    REQUIRE((*other)->exec("ROLLBACK"));
    CHECK((*s2)->add_visit(visit("锁")));
}

TEST_CASE("validators") {
    CHECK(valid_phone("13800138000"));
    CHECK(valid_phone("138 0013 8000"));
    CHECK(valid_phone("010-62345678"));
    CHECK(valid_phone("0755-1234567"));
    CHECK_FALSE(valid_phone("12345"));
    CHECK_FALSE(valid_phone("23800138000"));
    CHECK_FALSE(valid_phone("1380013800a"));
    CHECK(valid_date("2024-02-29"));
    CHECK_FALSE(valid_date("2023-02-29"));
    CHECK_FALSE(valid_date("2023-13-01"));
    CHECK(valid_datetime("2023-12-31 23:59"));
    CHECK_FALSE(valid_datetime("2023-12-31 24:00"));
    CHECK(valid_utf8("中文 abc 𠀋"));
    CHECK_FALSE(valid_utf8("\xed\xa0\x80"));  // surrogate
    CHECK_FALSE(valid_utf8("\xc0\xaf"));      // overlong
    CHECK_FALSE(valid_utf8("\xe4\xb8"));      // truncated
}

TEST_CASE("a connection that did a single-row lookup still sees and writes after another connection commits") {
    TempDir d;
    auto a = fresh(d);
    auto b = Store::open(d.db());
    REQUIRE(b);
    REQUIRE(a->add_visit(visit("一")));
    CHECK(a->setting("station_id").value().size() == 36);  // leaves a cached lookup at its row
    REQUIRE((*b)->add_visit(visit("二")));
    auto again = a->add_visit(visit("三"));  // would fail on a stale snapshot
    REQUIRE(again);
    CHECK(a->count_visits(VisitQuery{}).value() == 3);
}

TEST_CASE("the write-ahead log stays bounded while one connection saves many visits") {
    // A lookup left mid-result past a commit used to pin the WAL: 140 KB more per save, forever.
    TempDir d;
    auto s = fresh(d);
    const std::string content(2000, 'x');
    for (int i = 0; i < 400; ++i) {
        REQUIRE(s->add_visit(visit("路灯不亮 " + std::to_string(i), "王小明", content)));
        REQUIRE(s->setting("station_id"));  // a single-row lookup, as the app does between saves
    }
    const auto wal = std::filesystem::file_size(d.db() + "-wal");
    INFO("wal bytes: " << wal);
    CHECK(wal < 12u * 1024 * 1024);  // the 1000-page auto-checkpoint plus one transaction
}
