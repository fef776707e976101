#include <doctest/doctest.h>

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
    REQUIRE(ahead.write("r1", "title", "from the future"));
    REQUIRE(behind.rep->apply_remote(ahead.local_changes()));
    REQUIRE(behind.write("r1", "title", "correction"));
    REQUIRE(ahead.rep->apply_remote(behind.local_changes()));
    CHECK(ahead.value("r1", "title") == "correction");
    CHECK(ahead.rep->conflicts()->empty());
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
