#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "sync/core/merge.h"

using namespace liaison::sync;

namespace {
FieldChange ch(int64_t wall, const char* node, const char* value, std::vector<Hlc> sup = {}) {
    FieldChange c;
    c.hlc = Hlc{wall, 0, node};
    c.table = "visits";
    c.row = "r1";
    c.column = "subject";
    c.value = value;
    c.supersedes = std::move(sup);
    c.scope = "s1";
    return c;
}
}  // namespace

TEST_CASE("a change made on top of the current value replaces it without conflict") {
    auto a = ch(1, "A", "\"a\"");
    auto b = ch(2, "B", "\"b\"", {a.hlc});
    FieldHeads h = merge_field({}, a, false);
    h = merge_field(h, b, false);
    REQUIRE(h.heads.size() == 1);
    CHECK(h.winner()->value == "\"b\"");
}

TEST_CASE("concurrent edits: highest stamp wins, the other is kept") {
    auto base = ch(1, "A", "\"base\"");
    auto x = ch(5, "A", "\"x\"", {base.hlc});
    auto y = ch(4, "B", "\"y\"", {base.hlc});
    FieldHeads h1 = merge_field(merge_field(merge_field({}, base, false), x, false), y, false);
    FieldHeads h2 = merge_field(merge_field(merge_field({}, base, false), y, false), x, false);
    REQUIRE(h1.heads.size() == 2);
    CHECK(h1.heads == h2.heads);
    CHECK(h1.winner()->value == "\"x\"");
    CHECK(h1.heads[1].value == "\"y\"");
}

TEST_CASE("a change arriving after its successor does not come back") {
    auto a = ch(1, "A", "\"a\"");
    auto b = ch(2, "A", "\"b\"", {a.hlc});
    FieldHeads h = merge_field({}, b, false);
    h = merge_field(h, a, /*incoming_superseded=*/true);
    REQUIRE(h.heads.size() == 1);
    CHECK(h.winner()->value == "\"b\"");
}

TEST_CASE("duplicates are idempotent") {
    auto a = ch(1, "A", "\"a\"");
    FieldHeads h = merge_field({}, a, false);
    FieldHeads h2 = merge_field(h, a, false);
    CHECK(h.heads == h2.heads);
}

TEST_CASE("a resolution superseding both heads settles the conflict") {
    auto x = ch(5, "A", "\"x\"");
    auto y = ch(4, "B", "\"y\"");
    auto r = ch(6, "B", "\"merged\"", {x.hlc, y.hlc});
    FieldHeads h = merge_field(merge_field(merge_field({}, x, false), y, false), r, false);
    REQUIRE(h.heads.size() == 1);
    CHECK(h.winner()->value == "\"merged\"");
}

TEST_CASE("equal values typed concurrently collapse to one head in either order") {
    auto base = ch(1, "A", "\"base\"");
    auto x = ch(5, "A", "\"same\"", {base.hlc});
    auto y = ch(4, "B", "\"same\"", {base.hlc});
    FieldHeads h0 = merge_field({}, base, false);
    FieldHeads h1 = merge_field(merge_field(h0, x, false), y, /*incoming_superseded=*/false);
    FieldHeads h2 = merge_field(merge_field(h0, y, false), x, false);
    REQUIRE(h2.heads.size() == 1);
    CHECK(h2.winner()->hlc == x.hlc);
    // The replica tells merge_field that y is hidden by x (a known equal value with a later stamp).
    FieldHeads h3 = merge_field(merge_field(h0, x, false), y, /*incoming_superseded=*/true);
    CHECK(h3.heads == h2.heads);
    CHECK(h1.heads.size() == 2);  // without that word from the replica, y is still a head
}
