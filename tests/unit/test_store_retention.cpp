// Retention on the tablet (docs/retention.md): `visit delete` tombstones the visitors too, and
// old voters' names and phones are masked in the rows, the change log, the conflict rows and the
// search index.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "client/store/cases.h"
#include "client/store/stats.h"
#include "client/store/store.h"
#include "domain/retention.h"

using namespace liaison;
using namespace liaison::store;

namespace {

struct RetentionDir {
    std::filesystem::path path;
    RetentionDir() {
        static int n = 0;
        path = std::filesystem::temp_directory_path() /
               ("liaison-retention-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        std::filesystem::create_directories(path);
    }
    ~RetentionDir() { std::filesystem::remove_all(path); }
    std::string db() const { return (path / "liaison.db").string(); }
};

std::unique_ptr<Store> fresh_store(const RetentionDir& dir) {
    OpenOptions o;
    o.create = true;
    auto s = Store::open(dir.db(), o);
    REQUIRE(s);
    REQUIRE((*s)->init("东湖街道代表联络站", "desk"));
    return std::move(*s);
}

Visit old_visit(const std::string& name, const std::string& phone, const std::string& at = "2020-03-05 09:30") {
    Visit v;
    v.category = "城乡建设";
    v.subject = "路灯不亮";
    v.received_at = at;
    v.visitors.push_back(Visitor{"", "", name, phone, "", ""});
    return v;
}

int64_t count(Store& s, const std::string& sql) {
    auto st = s.db().prepare(sql);
    REQUIRE(st);
    auto r = st->step();
    REQUIRE(r);
    REQUIRE(*r);
    return st->i64(0);
}

// The centre's period as the tablet holds it after a pull (a reference row, scope "*").
void set_period(Store& s, int months) {
    auto tx = db::Tx::begin(s.db());
    REQUIRE(tx);
    REQUIRE(s.replica().write("centre_settings", "retention_months", "*", {{"value", months}}));
    REQUIRE(tx->commit());
}

// Everything in the outbox counts as pushed (the centre has it).
void push_all(Store& s) {
    auto p = s.replica().pending(100000);
    REQUIRE(p);
    std::vector<int64_t> seqs;
    for (const auto& e : *p) seqs.push_back(e.seq);
    REQUIRE(s.replica().mark_pushed(seqs));
}

std::string rated_case(Store& s, const std::string& visit, bool rate) {
    auto dept = s.add_department(Department{"", "区城管局"});
    if (!dept) dept = std::string("区城管局");
    cases::NewCase c;
    c.visit_id = visit;
    c.title = "路灯";
    c.at = "2020-03-05 10:00";
    auto id = cases::add(s, c);
    REQUIRE(id);
    if (!rate) return *id;
    REQUIRE(cases::assign(s, *id, "区城管局", "2020-03-20", "", "2020-03-06"));
    REQUIRE(cases::close(s, *id, "已修", "2020-03-09 16:00"));
    REQUIRE(cases::feedback(s, *id, "电话", "", "2020-03-10"));
    REQUIRE(cases::rate(s, *id, "满意", "", "2020-03-12"));
    return *id;
}

// Rows, log, conflicts that still hold the text (the search index is checked by search_hits).
int64_t holding(Store& s, const std::string& text) {
    const std::string like = "'%" + text + "%'";
    return count(s, "SELECT (SELECT count(*) FROM visit_visitors WHERE name LIKE " + like + " OR phone LIKE " + like +
                        ") + (SELECT count(*) FROM crr_log WHERE value LIKE " + like +
                        ") + (SELECT count(*) FROM crr_conflict WHERE value LIKE " + like + ")");
}

}  // namespace

TEST_CASE("masks keep the first character of a name and the ends of a phone number") {
    using namespace domain::retention;
    CHECK(mask_name("刘䶮测") == "刘**");
    CHECK(mask_name("刘") == "刘**");
    CHECK(mask_name("䶮") == "䶮**");
    CHECK(mask_name("𠀋一") == "𠀋**");  // a character beyond the BMP is four bytes, kept whole
    CHECK(mask_name("Ann Lee") == "A**");
    CHECK(mask_name("") == "");
    CHECK(mask_name("刘**") == "刘**");  // its own mask
    CHECK(mask_phone("13912345678") == "139****5678");
    CHECK(mask_phone("0571-88776655") == "057****6655");
    CHECK(mask_phone("88776655") == "****55");
    CHECK(mask_phone("1234") == "****");
    CHECK(mask_phone("") == "");
    for (const char* p : {"13912345678", "0571-88776655", "88776655", "12"})
        CHECK(mask_phone(mask_phone(p)) == mask_phone(p));
    CHECK(mask_json("name", R"("刘䶮测")") == R"("刘**")");
    CHECK(mask_json("phone", "null") == "null");
}

TEST_CASE("the period is 6 to 120 months, or off, and reaches back by calendar months") {
    using namespace domain::retention;
    CHECK(parse_months("24").value() == 24);
    CHECK(parse_months("off").value() == 0);
    CHECK(parse_months("0").value() == 0);
    for (const char* bad : {"5", "121", "-6", "abc", "", "12x", "99999"}) CHECK_FALSE(parse_months(bad));
    CHECK(cutoff("2026-12-01 10:30", 24) == "2024-12-01 10:30");
    CHECK(cutoff("2026-08-31 08:00", 6) == "2026-02-28 08:00");
    CHECK(cutoff("2024-08-31 08:00", 6) == "2024-02-29 08:00");
    CHECK(cutoff("2026-03-15 00:00", 120) == "2016-03-15 00:00");
    CHECK(cutoff("2026-01-10 09:00", 13) == "2024-12-10 09:00");
}

TEST_CASE("retention masks old visitors everywhere on the tablet and leaves the rest") {
    RetentionDir d;
    auto s = fresh_store(d);
    auto old_done = s->add_visit(old_visit("刘䶮测", "13912345678"));
    auto old_none = s->add_visit(old_visit("张三丰", "13700001111"));
    auto old_open = s->add_visit(old_visit("李四海", "13600002222"));
    auto young = s->add_visit(old_visit("王五岳", "13500003333", "2026-11-20 09:00"));
    REQUIRE(old_done);
    REQUIRE(old_none);
    REQUIRE(old_open);
    REQUIRE(young);
    rated_case(*s, *old_done, true);
    rated_case(*s, *old_open, false);
    // An edit leaves the first name in the log as the old value.
    VisitPatch p;
    p.visitor_name = "刘䶮测二";
    REQUIRE(s->update_visit(*old_done, p));
    push_all(*s);
    const auto before = stats::figures(s->db(), stats::Range{}, stats::By::Month);
    REQUIRE(before);

    // Off: nothing happens.
    auto off = s->run_retention();
    REQUIRE(off);
    CHECK(off->months == 0);
    CHECK(holding(*s, "刘䶮测") > 0);
    // 120 months: nothing is old enough.
    set_period(*s, 120);
    auto longer = s->run_retention();
    REQUIRE(longer);
    CHECK(longer->stats.visitors == 0);
    CHECK(holding(*s, "刘䶮测") > 0);

    set_period(*s, 24);
    auto run = s->run_retention();
    REQUIRE(run);
    CHECK(run->months == 24);
    CHECK(run->stats.visits == 2);
    CHECK(run->stats.visitors == 2);
    CHECK(holding(*s, "刘䶮测") == 0);
    CHECK(holding(*s, "13912345678") == 0);
    CHECK(holding(*s, "张三丰") == 0);
    CHECK(s->search_hits("䶮").value() == 0);
    CHECK(s->search_hits("丰").value() == 0);
    CHECK(s->visit(*old_done).value().visitors.at(0).name == "刘**");
    CHECK(s->visit(*old_done).value().visitors.at(0).phone == "139****5678");
    // Untouched: the open case's visit and the young one.
    CHECK(s->visit(*old_open).value().visitors.at(0).name == "李四海");
    CHECK(s->visit(*young).value().visitors.at(0).phone == "13500003333");
    CHECK(s->search_hits("岳").value() == 1);
    // The figures are the same; the audit trail says that a purge happened, not what it hid.
    const auto after = stats::figures(s->db(), stats::Range{}, stats::By::Month);
    REQUIRE(after);
    CHECK(stats::figures_json(after->total) == stats::figures_json(before->total));
    auto trail = s->audit_trail("visits", *old_done);
    REQUIRE(trail);
    bool purge = false;
    for (const auto& e : *trail) {
        CHECK(e.old_value.find("䶮") == std::string::npos);
        CHECK(e.new_value.find("䶮") == std::string::npos);
        purge = purge || (e.column == "retention" && e.author == "retention");
    }
    CHECK(purge);
    // Idempotent: a second run finds nothing to do.
    auto again = s->run_retention();
    REQUIRE(again);
    CHECK(again->stats.visitors == 0);
    CHECK(again->stats.values == 0);
}

TEST_CASE("retention leaves a visitor whose changes are not pushed yet, then masks it") {
    RetentionDir d;
    auto s = fresh_store(d);
    set_period(*s, 24);
    auto id = s->add_visit(old_visit("刘䶮测", "13912345678"));  // an imported old ledger line
    REQUIRE(id);
    auto held = s->run_retention();
    REQUIRE(held);
    CHECK(held->held_back == 1);
    CHECK(held->stats.visitors == 0);
    CHECK(holding(*s, "刘䶮测") > 0);
    push_all(*s);
    auto run = s->run_retention();
    REQUIRE(run);
    CHECK(run->stats.visitors == 1);
    CHECK(holding(*s, "刘䶮测") == 0);
}

TEST_CASE("visit delete tombstones the visit's visitors too") {
    RetentionDir d;
    auto s = fresh_store(d);
    auto id = s->add_visit(old_visit("刘䶮测", "13912345678"));
    REQUIRE(id);
    REQUIRE(s->delete_visit(*id));
    CHECK(count(*s, "SELECT count(*) FROM visit_visitors WHERE _deleted = 0") == 0);
    CHECK(count(*s, "SELECT count(*) FROM visit_visitors WHERE _deleted = 1") == 1);
    // The tombstones are changes like any other: they reach the centre.
    CHECK(count(*s,
                "SELECT count(*) FROM crr_log WHERE tbl = 'visit_visitors' AND col = '_deleted' AND local = 1 "
                "AND pushed = 0") == 1);
}

TEST_CASE("after a sync, retention runs again only when a pulled change can matter") {
    RetentionDir d;
    auto s = fresh_store(d);
    set_period(*s, 24);
    auto id = s->add_visit(old_visit("刘䶮测", "13912345678"));
    REQUIRE(id);
    push_all(*s);
    REQUIRE(s->retention_after_sync(0));  // the first of the day runs
    CHECK(holding(*s, "刘䶮测") == 0);
    const std::string visitor = s->visit(*id).value().visitors.at(0).id;
    // Another tablet's late edit brings the name back (its stamp is after the mask).
    sync::FieldChange c;
    c.hlc = sync::Hlc{s->now() + 1000, 0, "dother0000000000000001"};
    c.table = "visit_visitors";
    c.row = visitor;
    c.column = "name";
    c.value = R"("刘䶮测")";
    c.scope = s->station_id();
    REQUIRE(s->replica().apply_remote({c}));
    CHECK(holding(*s, "刘䶮测") > 0);
    REQUIRE(s->retention_after_sync(0));  // nothing pulled in this round: today's run stands
    CHECK(holding(*s, "刘䶮测") > 0);
    REQUIRE(s->retention_after_sync(1));  // a pulled visitor change: run again
    CHECK(holding(*s, "刘䶮测") == 0);
    CHECK(s->visit(*id).value().visitors.at(0).name == "刘**");
}
