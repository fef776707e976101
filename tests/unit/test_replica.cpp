#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "replica_fixture.h"

using namespace liaison;
using namespace liaison::sync;
using testing_support::TestReplica;

TEST_CASE("local writes update the row and queue one change per field") {
    TestReplica a("A");
    REQUIRE(a.write("r1", "title", "路灯"));
    REQUIRE(a.write("r1", "n", 3));
    CHECK(a.value("r1", "title") == "路灯");
    CHECK(a.value("r1", "n") == "3");
    auto changes = a.local_changes();
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].hlc < changes[1].hlc);
    CHECK(*a.rep->pending_count() == 2);
}

TEST_CASE("remote changes apply without echoing back into the outbox, and replays are ignored") {
    TestReplica a("A"), b("B");
    REQUIRE(a.write("r1", "title", "一"));
    auto ch = a.local_changes();
    auto s1 = b.rep->apply_remote(ch);
    REQUIRE(s1);
    CHECK(s1->applied == 1);
    CHECK(*b.rep->pending_count() == 0);
    auto s2 = b.rep->apply_remote(ch);
    REQUIRE(s2);
    CHECK(s2->duplicates == 1);
    CHECK(b.value("r1", "title") == "一");
}

TEST_CASE("concurrent edits of one field: one value everywhere, the other kept as a conflict") {
    TestReplica a("A"), b("B");
    REQUIRE(a.write("r1", "title", "base"));
    REQUIRE(b.rep->apply_remote(a.local_changes()));
    REQUIRE(a.rep->mark_pushed({1}));
    a.now += 10;
    b.now += 20;
    REQUIRE(a.write("r1", "title", "mine A"));
    REQUIRE(b.write("r1", "title", "mine B"));
    REQUIRE(a.rep->apply_remote(b.local_changes()));
    REQUIRE(b.rep->apply_remote(a.local_changes()));
    CHECK(a.value("r1", "title") == "mine B");  // B's stamp is later
    CHECK(b.value("r1", "title") == "mine B");
    auto ca = a.rep->conflicts();
    REQUIRE(ca);
    REQUIRE(ca->size() == 1);
    CHECK((*ca)[0].loser.value == "\"mine A\"");
    CHECK((*ca)[0].loser_is_mine);
    CHECK(a.dump() == b.dump());

    SUBCASE("resolving syncs and clears the conflict everywhere") {
        REQUIRE(a.rep->resolve((*ca)[0].id, "mine A + B"));
        std::vector<FieldChange> last{a.local_changes().back()};
        REQUIRE(b.rep->apply_remote(last));
        CHECK(a.value("r1", "title") == "mine A + B");
        CHECK(b.value("r1", "title") == "mine A + B");
        CHECK(b.rep->conflicts()->empty());
        CHECK(a.dump() == b.dump());
    }
}

TEST_CASE("the same value typed on two tablets is not a conflict, whatever the order it arrives in") {
    TestReplica a("A"), b("B"), c("C");
    REQUIRE(a.write("r1", "title", "base"));
    const auto base = a.local_changes();
    REQUIRE(b.rep->apply_remote(base));
    REQUIRE(c.rep->apply_remote(base));
    REQUIRE(a.rep->mark_pushed({1}));
    a.now += 10;
    b.now += 20;
    REQUIRE(a.write("r1", "title", "路灯已修"));
    REQUIRE(b.write("r1", "title", "路灯已修"));
    const auto from_a = a.local_changes(), from_b = b.local_changes();
    REQUIRE(a.rep->apply_remote(from_b));
    REQUIRE(b.rep->apply_remote(from_a));
    std::vector<FieldChange> both = from_b;
    both.insert(both.end(), from_a.begin(), from_a.end());
    REQUIRE(c.rep->apply_remote(both));
    for (TestReplica* r : {&a, &b, &c}) {
        CHECK(r->value("r1", "title") == "路灯已修");
        CHECK(r->rep->conflicts()->empty());
    }
    CHECK(a.dump() == b.dump());
    CHECK(a.dump() == c.dump());
}

TEST_CASE("a causally later edit wins even from a tablet whose clock is a day behind") {
    const int64_t day = 86400000;
    TestReplica ahead("A", +day), behind("B", -day);
    // As the sync client does from the server's Date header (both clocks corrected to the centre's).
    for (auto* t : {&ahead, &behind}) {
        auto tx = db::Tx::begin(*t->db);
        REQUIRE(tx.ok());
        REQUIRE(t->rep->correct_clock(t == &ahead ? -day : day, 2000).ok());
        REQUIRE(tx->commit().ok());
    }
    REQUIRE(ahead.write("r1", "title", "from the future"));
    REQUIRE(behind.rep->apply_remote(ahead.local_changes()));
    REQUIRE(behind.write("r1", "title", "correction"));
    REQUIRE(ahead.rep->apply_remote(behind.local_changes()));
    CHECK(ahead.value("r1", "title") == "correction");
    CHECK(ahead.rep->conflicts()->empty());
}

TEST_CASE("with a clock two days off and not corrected, a later edit is a conflict, not lost") {
    const int64_t day = 86400000;
    TestReplica ahead("A", +day), behind("B", -day);
    REQUIRE(ahead.write("r1", "title", "from the future"));
    REQUIRE(behind.rep->apply_remote(ahead.local_changes()));
    CHECK(behind.rep->clock().wall_ms < 1700000000000);  // the far stamp did not move this clock
    REQUIRE(behind.write("r1", "title", "correction"));
    REQUIRE(ahead.rep->apply_remote(behind.local_changes()));
    auto conflicts = ahead.rep->conflicts();
    REQUIRE(conflicts->size() == 1);
    CHECK((*conflicts)[0].loser.value == "\"correction\"");
}

TEST_CASE("an edit concurrent with a delete is a conflict that can restore the row") {
    TestReplica a("A"), b("B");
    REQUIRE(a.write("r1", "title", "t"));
    REQUIRE(b.rep->apply_remote(a.local_changes()));
    REQUIRE(a.rep->mark_pushed({1}));
    REQUIRE(a.remove("r1"));
    REQUIRE(b.write("r1", "body", "added while offline"));
    REQUIRE(a.rep->apply_remote(b.local_changes()));
    REQUIRE(b.rep->apply_remote(a.local_changes()));
    CHECK(a.dump() == b.dump());
    CHECK_FALSE(a.rep->exists("notes", "r1"));
    auto cb = b.rep->conflicts();
    REQUIRE(cb->size() == 1);
    CHECK((*cb)[0].delete_conflict);
    CHECK((*cb)[0].loser.value == "\"added while offline\"");
    REQUIRE(b.rep->resolve((*cb)[0].id, "restore"));
    CHECK(b.rep->exists("notes", "r1"));
    CHECK(b.rep->conflicts()->empty());
}

TEST_CASE("invalid values and unknown columns are refused and nothing is written") {
    TestReplica a("A");
    CHECK_FALSE(a.write("r1", "nope", 1));
    CHECK_FALSE(a.write("r1", "title", std::string("\xff\xfe bad")));
    CHECK(*a.rep->pending_count() == 0);
    FieldChange bad;
    bad.hlc = Hlc{1, 0, "X"};
    bad.table = "secrets";
    bad.row = "r";
    bad.column = "x";
    bad.scope = "s1";
    CHECK_FALSE(a.rep->apply_remote({bad}));
}

namespace {
// Every stamp the crr_* tables name, checked to be a change of the log.
int64_t dangling_stamps(db::Db& db) {
    int64_t n = 0;
    for (const char* q : {"SELECT count(*) FROM crr_clock WHERE hlc NOT IN (SELECT hlc FROM crr_log)",
                          "SELECT count(*) FROM crr_conflict WHERE hlc NOT IN (SELECT hlc FROM crr_log)",
                          "SELECT count(*) FROM crr_superseded WHERE hlc NOT IN (SELECT hlc FROM crr_log)"}) {
        auto st = db.prepare(q);
        REQUIRE(st.ok());
        REQUIRE(*st->step());
        n += st->i64(0);
    }
    return n;
}
}  // namespace

TEST_CASE("a tablet three days ahead re-stamps its unsent changes to today, every reference kept") {
    const int64_t day = 86400000;
    TestReplica tab("T", 3 * day), other("O");
    REQUIRE(other.write("r1", "title", "中心的标题"));
    REQUIRE(tab.rep->apply_remote(other.local_changes()));
    // Typed while the clock read three days ahead: an edit of a received field, a new row, an
    // edit of that row, a delete, and a conflict with a concurrent edit from elsewhere.
    REQUIRE(tab.write("r1", "title", "平板改的"));
    REQUIRE(tab.write("r2", "title", "第一稿"));
    REQUIRE(tab.write("r2", "title", "第二稿"));
    REQUIRE(tab.write("r2", "body", "内容"));
    REQUIRE(tab.remove("r2"));
    REQUIRE(other.write("r1", "body", "并发"));
    REQUIRE(tab.write("r1", "body", "平板并发"));
    REQUIRE(tab.rep->apply_remote({other.local_changes().back()}));
    REQUIRE(tab.rep->conflicts()->size() == 1);
    const std::string before = tab.dump();
    auto before_log = tab.local_changes();

    auto tx = db::Tx::begin(*tab.db);
    REQUIRE(tx.ok());
    auto n = tab.rep->correct_clock(-3 * day, 2000);
    REQUIRE(n.ok());
    REQUIRE(tx->commit().ok());
    CHECK(*n == before_log.size());

    auto after = tab.local_changes();
    REQUIRE(after.size() == before_log.size());
    for (size_t i = 0; i < after.size(); ++i) {
        CHECK(after[i].hlc.wall_ms <= 1700000000000 + 1000);  // today, not in three days
        if (i) CHECK(after[i - 1].hlc < after[i].hlc);        // the order of typing is kept
        for (const auto& s : after[i].supersedes) CHECK(s < after[i].hlc);
        CHECK(after[i].value == before_log[i].value);
    }
    // The second draft supersedes the first one's new stamp.
    REQUIRE(after[2].supersedes.size() == 1);
    CHECK(after[2].supersedes[0] == after[1].hlc);
    CHECK(dangling_stamps(*tab.db) == 0);
    CHECK(tab.value("r1", "title") == "平板改的");
    CHECK(tab.rep->conflicts()->size() == 1);
    CHECK(tab.dump() != before);  // the stamps did move
    // The next edit is stamped today too, and both replicas converge after the exchange.
    REQUIRE(tab.write("r3", "title", "之后"));
    CHECK(tab.local_changes().back().hlc.wall_ms < 1700000000000 + 1000);
    REQUIRE(other.rep->apply_remote(tab.local_changes()));
    REQUIRE(tab.rep->apply_remote(other.local_changes()));
    CHECK(tab.dump() == other.dump());
    CHECK(dangling_stamps(*other.db) == 0);
}

TEST_CASE("a stamp far in the future does not move a replica's clock; an edit of that field still follows it") {
    TestReplica tab("T");
    FieldChange hostile;
    hostile.hlc = Hlc{999999999999999, 0xffffffffu, "H"};
    hostile.table = "notes";
    hostile.row = "r1";
    hostile.column = "title";
    hostile.value = "\"坏\"";
    hostile.scope = "s1";
    REQUIRE(tab.rep->apply_remote({hostile}));
    CHECK(tab.rep->clock().wall_ms < 1700000000000 + 1000);
    REQUIRE(tab.write("r2", "title", "正常"));
    CHECK(tab.local_changes().back().hlc.wall_ms == 1700000000000);
    // The end of the clock range cannot be followed: the edit stays a concurrent head, nothing lost.
    REQUIRE(tab.write("r1", "title", "改"));
    const auto last = tab.local_changes().back();
    for (const auto& s : last.supersedes) CHECK(s < last.hlc);
    CHECK(tab.rep->conflicts()->size() == 1);
}

// Retention (docs/retention.md): every stored version of a field goes through the mask.
TEST_CASE("scrub_field masks the row, every log entry and the conflict rows, and writes no change") {
    TestReplica a("A"), b("B");
    REQUIRE(a.write("r1", "title", "base secret"));
    REQUIRE(b.rep->apply_remote(a.local_changes()));
    a.now += 10;
    b.now += 20;
    REQUIRE(a.write("r1", "title", "secret A"));
    REQUIRE(b.write("r1", "title", "secret B"));
    REQUIRE(a.rep->apply_remote(b.local_changes()));
    REQUIRE(a.rep->conflicts()->size() == 1);
    const int64_t log_rows = [&] {
        auto st = a.db->prepare("SELECT count(*) FROM crr_log");
        (void)st->step();
        return st->i64(0);
    }();
    // Every text becomes its first letter and "**"; a conflict that is then equal to the row is
    // agreement and goes.
    auto mask = [](const std::string& json) {
        auto v = liaison::sync::Value::parse(json);
        return v.is_string() ? liaison::sync::Value(v.get<std::string>().substr(0, 1) + "**").dump() : json;
    };
    auto tx = liaison::db::Tx::begin(*a.db);
    REQUIRE(tx);
    auto n = a.rep->scrub_field("notes", "r1", "title", mask);
    REQUIRE(n);
    CHECK(*n == 5);  // the row, three log entries, one conflict row
    REQUIRE(tx->commit());
    CHECK(a.value("r1", "title") == "s**");
    CHECK(a.rep->conflicts()->empty());
    auto st = a.db->prepare("SELECT count(*) FROM crr_log WHERE value LIKE '%secret%' OR value LIKE '%base%'");
    REQUIRE(st);
    REQUIRE(*st->step());
    CHECK(st->i64(0) == 0);
    auto all = a.db->prepare("SELECT count(*) FROM crr_log");
    REQUIRE(*all->step());
    CHECK(all->i64(0) == log_rows);  // no change written
    CHECK_FALSE(a.rep->scrub_field("notes", "r1", "nope", mask));
    // Idempotent.
    auto again = a.rep->scrub_field("notes", "r1", "title", mask);
    REQUIRE(again);
    CHECK(*again == 0);
}

namespace {
Status write_row(TestReplica& r, const std::string& row, const std::vector<std::pair<std::string, Value>>& fields) {
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*r.db));
    LIAISON_TRY(r.rep->write("notes", row, "s1", fields));
    return tx.commit();
}
int64_t count(TestReplica& r, const std::string& sql) {
    auto st = r.db->prepare(sql);
    auto s = st->step();
    return s && *s ? st->i64(0) : -1;
}
}  // namespace

TEST_CASE("a new row is one change; a field gets its own version only when edited") {
    TestReplica a("A"), b("B");
    REQUIRE(write_row(a, "r1", {{"title", "路灯"}, {"body", "不亮"}, {"n", 3}}));
    auto changes = a.local_changes();
    REQUIRE(changes.size() == 1);
    CHECK(is_row_change(changes[0]));
    CHECK(changes[0].value == R"({"body":"不亮","n":3,"title":"路灯"})");
    CHECK(count(a, "SELECT count(*) FROM crr_clock") == 1);
    CHECK(count(a, "SELECT count(*) FROM crr_log") == 1);
    // Field i (column-name order) has the row's stamp plus i.
    auto versions = a.rep->field_clocks("notes", "r1");
    REQUIRE(versions);
    REQUIRE(versions->size() == 3);
    CHECK((*versions)[0] == std::make_pair(std::string("body"), field_stamp(changes[0].hlc, 0)));
    CHECK((*versions)[2] == std::make_pair(std::string("title"), field_stamp(changes[0].hlc, 2)));
    // The audit trail stays per field.
    auto h = a.rep->history("notes", "r1");
    REQUIRE(h);
    CHECK(h->size() == 3);

    REQUIRE(b.rep->apply_remote(changes));
    CHECK(b.value("r1", "body") == "不亮");
    CHECK(count(b, "SELECT count(*) FROM crr_clock") == 1);
    b.now += 5;
    REQUIRE(b.write("r1", "title", "路灯坏了"));
    auto edit = b.local_changes();
    REQUIRE(edit.size() == 1);
    CHECK(edit[0].supersedes == std::vector<Hlc>{field_stamp(changes[0].hlc, 2)});
    REQUIRE(a.rep->apply_remote(edit));
    CHECK(a.value("r1", "title") == "路灯坏了");
    CHECK(*a.rep->conflict_count() == 0);
    CHECK(a.dump() == b.dump());
}

TEST_CASE("a row change spelled out as field changes (protocol 1) merges to the same state") {
    TestReplica a("A"), b("B"), c("C");
    REQUIRE(write_row(a, "r1", {{"title", "一"}, {"n", 1}}));
    auto row = a.local_changes();
    auto fields = expand_change(row[0]);
    REQUIRE(fields);
    REQUIRE(fields->size() == 2);
    REQUIRE(b.rep->apply_remote(*fields));
    REQUIRE(c.rep->apply_remote(row));
    CHECK(b.dump() == c.dump());
    // Either spelling again is a duplicate.
    auto again = b.rep->apply_remote(row);
    REQUIRE(again);
    CHECK(again->applied == 0);
    auto again_fields = c.rep->apply_remote(*fields);
    REQUIRE(again_fields);
    CHECK(again_fields->applied == 0);
    // Only the first field came spelled out: the row change brings the rest.
    TestReplica d("D");
    REQUIRE(d.rep->apply_remote({fields->front()}));
    REQUIRE(d.rep->apply_remote(row));
    CHECK(d.dump() == c.dump());
}

TEST_CASE("an edit that arrives before its row's creation, and a delete against an edit") {
    TestReplica a("A"), b("B"), c("C");
    REQUIRE(write_row(a, "r1", {{"title", "一"}, {"body", "二"}}));
    auto create = a.local_changes();
    REQUIRE(b.rep->apply_remote(create));
    b.now += 5;
    REQUIRE(b.write("r1", "body", "三"));
    auto edit = b.local_changes();
    REQUIRE(c.rep->apply_remote(edit));    // the edit first
    REQUIRE(c.rep->apply_remote(create));  // then the row it edits
    CHECK(c.value("r1", "body") == "三");
    CHECK(c.value("r1", "title") == "一");
    REQUIRE(a.rep->apply_remote(edit));
    CHECK(a.dump() == c.dump());
    a.now += 10;
    REQUIRE(a.remove("r1"));  // a has seen the edit: no conflict
    CHECK(*a.rep->conflict_count() == 0);
    REQUIRE(c.write("r1", "title", "四"));  // concurrent with the delete
    std::vector<FieldChange> del{a.local_changes().back()};
    std::vector<FieldChange> mine{c.local_changes().back()};
    REQUIRE(c.rep->apply_remote(del));
    REQUIRE(a.rep->apply_remote(mine));
    auto ca = a.rep->conflicts();
    REQUIRE(ca);
    REQUIRE(ca->size() == 1);
    CHECK((*ca)[0].delete_conflict);
    CHECK((*ca)[0].column == "title");
    CHECK(a.dump() == c.dump());
}

TEST_CASE("re-stamping unsent changes moves a row change's whole block") {
    TestReplica a("A");
    REQUIRE(write_row(a, "r1", {{"title", "一"}, {"body", "二"}}));
    REQUIRE(a.write("r1", "body", "三"));
    const auto before = a.local_changes();
    auto tx = db::Tx::begin(*a.db);
    REQUIRE(tx);
    auto n = a.rep->restamp_unsent(-86400000);
    REQUIRE(n);
    CHECK(*n == 2);
    REQUIRE(tx->commit());
    const auto after = a.local_changes();
    REQUIRE(after.size() == 2);
    CHECK(after[0].hlc != before[0].hlc);
    // The edit still supersedes the body's version of the row change, now re-stamped.
    CHECK(after[1].supersedes == std::vector<Hlc>{field_stamp(after[0].hlc, 0)});
    CHECK(a.value("r1", "body") == "三");
    auto versions = a.rep->field_clocks("notes", "r1");
    REQUIRE(versions);
    CHECK((*versions)[1] == std::make_pair(std::string("title"), field_stamp(after[0].hlc, 1)));
}

TEST_CASE("opening a replica leaves no read snapshot open: its first write waits for another writer") {
    const auto dir = std::filesystem::temp_directory_path() / ("liaison-replica-open-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "store.db").string();
    db::Db::Options opt;
    opt.busy_timeout_ms = 5000;
    {
        auto setup = db::Db::open(path, opt);
        REQUIRE(setup);
        REQUIRE(Replica::install(**setup));
        REQUIRE(Replica::set_device_id(**setup, "A"));
        REQUIRE((*setup)->exec("CREATE TABLE notes(id TEXT PRIMARY KEY, title)"));
        REQUIRE(Replica::open(**setup, [] { return int64_t{1700000000000}; }));  // its own tables exist
    }
    auto other = db::Db::open(path, opt);
    REQUIRE(other);
    REQUIRE((*other)->exec("BEGIN IMMEDIATE"));  // another connection (the retention timer) is writing
    auto mine = db::Db::open(path, opt);
    REQUIRE(mine);
    auto rep = Replica::open(**mine, [] { return int64_t{1700000000000}; });
    REQUIRE(rep);
    REQUIRE((*rep)->pending_count());  // a one-row read, as the app's status line does
    std::thread commit_soon([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        CHECK((*other)->exec("COMMIT"));
    });
    // A connection still inside a read transaction is refused at once (SQLite cannot wait: it
    // would deadlock); a clean one waits out the busy timeout and then writes.
    const Status wrote = (*mine)->exec("INSERT INTO notes(id, title) VALUES('n1', 'x')");
    commit_soon.join();
    CHECK_MESSAGE(wrote.ok(), wrote.error().message);
    std::filesystem::remove_all(dir);
}
