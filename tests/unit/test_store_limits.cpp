// The store writes nothing the server would refuse (docs/domain.md): every value passes the
// domain's field rules before it reaches the outbox, whichever function writes it.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <unistd.h>

#include "client/store/cases.h"
#include "client/store/store.h"

using namespace liaison;
using namespace liaison::store;

namespace {

struct LimitsDir {
    std::filesystem::path path;
    LimitsDir() {
        static int n = 0;
        path = std::filesystem::temp_directory_path() /
               ("liaison-limits-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        std::filesystem::create_directories(path);
    }
    ~LimitsDir() { std::filesystem::remove_all(path); }
};

std::unique_ptr<Store> open_store(const LimitsDir& dir) {
    OpenOptions o;
    o.create = true;
    auto s = Store::open((dir.path / "liaison.db").string(), o);
    REQUIRE(s);
    REQUIRE((*s)->init("东湖街道代表联络站", "desk"));
    return std::move(*s);
}

int64_t outbox(Store& s) {
    auto n = s.pending_changes();
    REQUIRE(n);
    return *n;
}

Visit a_visit() {
    Visit v;
    v.category = "urban";
    v.subject = "路灯";
    v.received_at = "2026-03-05 09:30";
    v.visitors.push_back(Visitor{"", "", "王小明", "13800138000", "", ""});
    return v;
}

}  // namespace

TEST_CASE("the replica refuses any value over its field's limit, so the outbox never holds one") {
    LimitsDir dir;
    auto s = open_store(dir);
    const int64_t before = outbox(*s);
    auto& rep = s->replica();
    const std::string row = "0190a0b0-0000-7000-8000-000000000001";
    CHECK_FALSE(rep.write("visits", row, s->station_id(), {{"subject", std::string(201, 's')}}));
    CHECK_FALSE(rep.write("visits", row, s->station_id(), {{"content", std::string(15u << 20, 'c')}}));
    CHECK_FALSE(rep.write("visits", row, s->station_id(), {{"people", 100001}}));
    CHECK_FALSE(rep.write("visits", row, s->station_id(), {{"people", -1}}));
    CHECK_FALSE(rep.write("visit_visitors", row, s->station_id(), {{"phone", std::string(41, '1')}}));
    CHECK_FALSE(rep.write("case_events", row, s->station_id(), {{"note", std::string(10001, 'n')}}));
    CHECK_FALSE(rep.write("queue_tickets", row, s->station_id(), {{"topic", std::string(201, 't')}}));
    CHECK(outbox(*s) == before);
    CHECK(rep.write("visits", row, s->station_id(), {{"subject", std::string(200, 's')}}));
    CHECK(outbox(*s) == before + 1);
}

TEST_CASE("an author's name over 200 bytes is never written into a change") {
    LimitsDir dir;
    auto s = open_store(dir);
    const int64_t before = outbox(*s);
    s->set_author(std::string(1 << 20, 'a'));
    CHECK_FALSE(s->add_visit(a_visit()));
    CHECK(outbox(*s) == before);
    s->set_author("陈明");
    CHECK(s->add_visit(a_visit()));
}

TEST_CASE("store functions refuse over-long text with the field's name and write nothing") {
    LimitsDir dir;
    auto s = open_store(dir);
    const int64_t before = outbox(*s);
    Visit v = a_visit();
    v.notes = std::string(10001, 'n');
    auto r = s->add_visit(v);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == Error::Kind::Invalid);
    CHECK(r.error().message.find("notes") != std::string::npos);

    cases::NewCase c;
    c.title = std::string(201, 't');
    auto k = cases::add(*s, c);
    REQUIRE_FALSE(k);
    CHECK(k.error().message.find("title") != std::string::npos);
    CHECK(outbox(*s) == before);
}
