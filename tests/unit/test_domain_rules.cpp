#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>

#include "domain/rules.h"

using namespace liaison;
using namespace liaison::domain;

namespace {
std::string quoted(const std::string& s) { return "\"" + s + "\""; }
}  // namespace

TEST_CASE("texts are bounded in characters, not bytes") {
    std::string zh;
    for (int i = 0; i < 200; ++i) zh += "灯";  // 600 bytes, 200 characters
    CHECK(check_field("visits", "subject", quoted(zh)));
    CHECK_FALSE(check_field("visits", "subject", quoted(zh + "灯")));
    CHECK(check_field("visits", "content", quoted(std::string(kLongTextChars, 'c'))));
    auto big = check_field("visits", "content", quoted(std::string(15u << 20, 'c')));
    REQUIRE_FALSE(big);
    CHECK(big.error().kind == Error::Kind::Invalid);
    CHECK(big.error().message == "visits.content is longer than 10000 characters");
    CHECK_FALSE(check_field("visit_visitors", "phone", quoted(std::string(kPhoneChars + 1, '1'))));
    CHECK_FALSE(check_field("visits", "subject", quoted("\xff\xfe")));
    CHECK_FALSE(check_field("visits", "subject", "12"));  // a number where text belongs
    CHECK(check_field("visits", "subject", "null"));
}

TEST_CASE("people is a whole number from 1 to the limit, whatever JSON carries it") {
    CHECK(check_field("visits", "people", "1"));
    CHECK(check_field("visits", "people", std::to_string(kMaxPeople)));
    CHECK_FALSE(check_field("visits", "people", "100000"));
    CHECK_FALSE(check_field("visits", "people", "0"));
    CHECK_FALSE(check_field("visits", "people", "-1"));
    CHECK_FALSE(check_field("visits", "people", "18446744073709551615"));  // 2^64-1
    CHECK_FALSE(check_field("visits", "people", "9223372036854775808"));
    CHECK_FALSE(check_field("visits", "people", "2.5"));
    CHECK_FALSE(check_field("visits", "people", "\"3\""));
    CHECK_FALSE(check_field("queue_tickets", "people", "1001"));
}

TEST_CASE("enums, dates, ids and id lists") {
    CHECK(check_field("visits", "channel", "\"reception_day\""));
    CHECK_FALSE(check_field("visits", "channel", "\"teleport\""));
    CHECK(check_field("visits", "route", "\"\""));  // not decided yet
    CHECK(check_field("deputies", "level", "\"县区\""));
    CHECK(check_field("visits", "received_at", "\"2026-03-05 09:30\""));
    CHECK_FALSE(check_field("visits", "received_at", "\"2026-02-30 09:30\""));
    CHECK(check_field("duty_slots", "date", "\"2026-03-05\""));
    CHECK_FALSE(check_field("duty_slots", "start_time", "\"25:00\""));
    CHECK(check_field("visits", "deputy_ids",
                      "\"0190a0b0-0000-7000-8000-000000000001,0190a0b0-0000-7000-8000-000000000002\""));
    std::string many;
    for (int i = 0; i <= static_cast<int>(kMaxListedIds); ++i) many += (i ? ",d" : "d") + std::to_string(i);
    CHECK_FALSE(check_field("visits", "deputy_ids", quoted(many)));
    CHECK_FALSE(check_field("visits", "queue_ticket_id", quoted(std::string(kIdBytes + 1, 'x'))));
    CHECK(check_field("visits", sync::kDeletedColumn, "1"));
    CHECK_FALSE(check_field("visits", sync::kDeletedColumn, "2"));
    CHECK_FALSE(check_field("visits", "no_such_column", "1"));
}

TEST_CASE("a change's author and supersedes are bounded") {
    sync::FieldChange c;
    c.hlc = sync::Hlc{1700000000000, 0, "dev1"};
    c.table = "visits";
    c.row = "r1";
    c.column = "subject";
    c.value = "\"路灯\"";
    c.scope = "st1";
    c.author = std::string(kMaxAuthorBytes, 'a');
    CHECK(check_change(c));
    c.author = std::string(1 << 20, 'a');
    CHECK_FALSE(check_change(c));
    c.author = "张三";
    c.supersedes.assign(kMaxSupersedes + 1, sync::Hlc{1, 0, "dev1"});
    CHECK_FALSE(check_change(c));
}

TEST_CASE("a device may only name its own station") {
    sync::FieldChange c;
    c.table = "visits";
    c.column = "station_id";
    c.value = "\"B\"";
    auto no = check_claims("A", c);
    REQUIRE_FALSE(no);
    CHECK(no.error().kind == Error::Kind::Forbidden);
    c.value = "\"A\"";
    CHECK(check_claims("A", c));
    c.value = "null";
    CHECK_FALSE(check_claims("A", c));
    c.column = "subject";
    c.value = "\"B\"";
    CHECK(check_claims("A", c));  // not a station column
    std::set<std::string> tables;
    for (const auto& col : station_columns()) tables.insert(col.table);
    for (const char* t : {"visits", "cases", "queue_devices", "queue_tickets", "duty_slots", "activities", "deputies"})
        CHECK(tables.count(t) == 1);
}

TEST_CASE("every replicated column has a rule, and every text a maximum") {
    // The columns of client/store/schema.cpp (Store::register_tables).
    const std::pair<const char*, std::vector<const char*>> tables[] = {
        {"stations", {"name", "kind", "district", "township", "address"}},
        {"deputies", {"name", "level", "station_id", "grp", "phone", "active"}},
        {"departments", {"name"}},
        {"categories", {"name_zh", "name_en", "sort"}},
        {"duty_slots", {"station_id", "date", "start_time", "end_time", "deputy_ids", "note"}},
        {"visits",
         {"station_id", "received_at", "deputy_ids", "channel", "people", "category", "subject", "content", "route",
          "route_reason", "notes", "queue_ticket_id", "created_at"}},
        {"visit_visitors", {"visit_id", "name", "phone", "id_number", "address"}},
        {"cases",
         {"station_id", "visit_id", "title", "content", "category", "status", "department_id", "deadline", "result",
          "satisfaction", "satisfaction_comment", "feedback_channel", "created_at", "deputy_ids", "resolved_at"}},
        {"case_events", {"case_id", "at", "author", "kind", "note"}},
        {"activities", {"deputy_id", "station_id", "type", "date", "notes"}},
        {"duty_shifts", {"station_id", "deputy_id", "slot_id", "started_at", "ended_at"}},
        {"queue_tickets",
         {"station_id", "date", "number", "visitor_name", "phone", "people", "category", "topic", "wished_deputy_id",
          "status", "visit_id", "created_at", "series", "device_id", "issued_ms"}},
        {"queue_devices", {"station_id", "series", "claimed_at"}},
        {"centre_settings", {"value"}},
    };
    size_t n = 0;
    for (const auto& table : tables)
        for (const char* c : table.second) {
            const auto& t = table.first;  // a named variable: clang 14 cannot capture a structured binding
            const FieldRule* r = rule_for(t, c);
            CHECK_MESSAGE(r != nullptr, t << "." << c);
            if (r && r->kind == Kind::Text) CHECK(r->max_chars > 0);
            ++n;
        }
    CHECK(field_rules().size() == n);
}
