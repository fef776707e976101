#include <doctest/doctest.h>

#include "base/ids.h"
#include "sync/core/wire.h"

using namespace liaison::sync;

TEST_CASE("wire round trip keeps every field and unknown ones") {
    FieldChange c;
    c.hlc = Hlc{1700000000000, 2, "dev1"};
    c.table = "visits";
    c.row = "0190a1b2-0000-7000-8000-000000000001";
    c.column = "subject";
    c.value = "\"路灯坏了 \\\"东街\\\" 𠀋\"";
    c.supersedes = {Hlc{1600000000000, 0, "dev2"}};
    c.scope = "st1";
    c.author = "张三";
    c.extra = R"({"future_field":{"x":1}})";
    const std::string body = encode_changes({c});
    auto back = decode_changes(body);
    REQUIRE(back);
    REQUIRE(back->size() == 1);
    const auto& d = back->front();
    CHECK(d.hlc == c.hlc);
    CHECK(d.table == c.table);
    CHECK(d.row == c.row);
    CHECK(d.value == c.value);
    CHECK(d.supersedes == c.supersedes);
    CHECK(d.scope == c.scope);
    CHECK(d.author == c.author);
    CHECK(d.extra == c.extra);
    CHECK(encode_changes({d}) == body);
}

TEST_CASE("malformed bodies are refused with a reason") {
    CHECK_FALSE(decode_changes("{not json"));
    CHECK_FALSE(decode_changes("[]"));
    CHECK_FALSE(decode_changes(R"({"changes":[]})"));
    auto wrong = decode_changes(R"({"protocol":99,"changes":[]})");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().message.find("protocol") != std::string::npos);
    CHECK_FALSE(decode_changes(R"({"protocol":1,"changes":[{"id":"x"}]})"));
    CHECK_FALSE(decode_changes(
        R"({"protocol":1,"changes":[{"id":"001700000000000-00000000-a","table":"visits; drop","row":"r","column":"c","value":1,"scope":"s"}]})"));
    CHECK_FALSE(decode_changes(
        R"({"protocol":1,"changes":[{"id":"001700000000000-00000000-a","table":"visits","row":"r","column":"c","value":{"a":1},"scope":"s"}]})"));
    // a change may only supersede earlier versions
    CHECK_FALSE(decode_changes(
        R"({"protocol":1,"changes":[{"id":"001700000000000-00000000-a","table":"visits","row":"r","column":"c","value":1,"scope":"s","supersedes":["001800000000000-00000000-a"]}]})"));
    auto ok = decode_changes(R"({"protocol":1,"changes":[]})");
    REQUIRE(ok);
    CHECK(ok->empty());
}

TEST_CASE("uuid v7 layout") {
    std::array<uint8_t, 10> r{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    auto id = make_uuid_v7(0x0190a1b2c3d4LL, r);
    CHECK(id.size() == 36);
    CHECK(id.substr(0, 13) == "0190a1b2-c3d4");
    CHECK(id[14] == '7');
    CHECK(looks_like_uuid(id));
    CHECK_FALSE(looks_like_uuid("0190a1b2-c3d4-7102-8304-05060708090"));
    // time ordered
    CHECK(make_uuid_v7(1000, r) < make_uuid_v7(1001, r));
}

TEST_CASE("a change's author and supersedes list are bounded on the wire") {
    FieldChange c;
    c.hlc = Hlc{1700000000000, 2, "dev1"};
    c.table = "visits";
    c.row = "r1";
    c.column = "subject";
    c.value = "\"x\"";
    c.scope = "st1";
    c.author = std::string(kMaxAuthorBytes, 'a');
    c.supersedes.assign(kMaxSupersedes, Hlc{1600000000000, 0, "dev2"});
    CHECK(decode_changes(encode_changes({c})).ok());
    c.author.push_back('a');
    auto long_author = decode_changes(encode_changes({c}));
    REQUIRE_FALSE(long_author.ok());
    CHECK(long_author.error().message.find("author") != std::string::npos);
    c.author = "张三";
    c.supersedes.push_back(Hlc{1600000000000, 1, "dev2"});
    auto many = decode_changes(encode_changes({c}));
    REQUIRE_FALSE(many.ok());
    CHECK(many.error().message.find("supersedes") != std::string::npos);
}

TEST_CASE("a row change travels whole in protocol 2 and as its field changes in protocol 1") {
    FieldChange c = make_row_change(Hlc{1700000000000, 5, "dev1"}, "visits", "r1", "st1", "张三",
                                    {{"subject", "\"路灯\""}, {"content", "\"不亮\""}});
    const std::string v2 = encode_changes({c});
    CHECK(v2.find("\"fields\"") != std::string::npos);
    auto back = decode_changes(v2);
    REQUIRE(back);
    REQUIRE(back->size() == 1);
    CHECK(is_row_change(back->front()));
    CHECK(back->front().value == c.value);
    CHECK(encode_changes(*back) == v2);

    auto v1 = decode_changes(encode_changes({c}, kProtocolV1));
    REQUIRE(v1);
    REQUIRE(v1->size() == 2);
    CHECK((*v1)[0].column == "content");
    CHECK((*v1)[0].hlc == Hlc{1700000000000, 5, "dev1"});
    CHECK((*v1)[1].column == "subject");
    CHECK((*v1)[1].hlc == Hlc{1700000000000, 6, "dev1"});
    CHECK((*v1)[1].value == "\"路灯\"");

    // A row change whose block of stamps would wrap, that names nothing, or that supersedes.
    CHECK_FALSE(decode_changes(
        R"({"protocol":2,"changes":[{"id":"001700000000000-ffffffff-d1","table":"visits","row":"r","scope":"s","fields":{"a":1,"b":2}}]})"));
    CHECK_FALSE(decode_changes(
        R"({"protocol":2,"changes":[{"id":"001700000000000-00000001-d1","table":"visits","row":"r","scope":"s","fields":{}}]})"));
    CHECK_FALSE(decode_changes(
        R"({"protocol":2,"changes":[{"id":"001700000000000-00000001-d1","table":"visits","row":"r","scope":"s","fields":{"a":[1]}}]})"));
    CHECK_FALSE(decode_changes(
        R"({"protocol":2,"changes":[{"id":"001700000000001-00000001-d1","table":"visits","row":"r","scope":"s","fields":{"a":1},"supersedes":["001700000000000-00000001-d1"]}]})"));
}

TEST_CASE("a block of stamps never wraps the counter") {
    HlcClock clock("d", Hlc{1000, UINT32_MAX - 1, "d"});
    const Hlc first = clock.tick_block(1000, 3);
    CHECK(first == Hlc{1001, 0, "d"});
    CHECK(clock.last() == Hlc{1001, 2, "d"});
    CHECK(clock.tick(1000) == Hlc{1001, 3, "d"});
}
