// End to end against a real liaison-central process on 127.0.0.1: tablets driven through the
// `liaison` command line (in process, cli::run) or the Store API, syncing over libcurl.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "../unit/cli_fixture.h"
#include "e2e_setup.h"
#include "server_process.h"
#include "sim_device.h"
#include "sync/client/curl_transport.h"
#include "client/sync/worker.h"
#include "platform/platform.h"

using namespace liaison;
using nlohmann::json;
using testing_support::CliDir;

namespace {

using e2e::Setup;

json cli_json(const CliDir& t, std::vector<std::string> words) {
    auto r = t.run(std::move(words));
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return json::parse(r.out);
}

void cli_ok(const CliDir& t, std::vector<std::string> words) {
    auto r = t.run(std::move(words));
    REQUIRE_MESSAGE(r.code == 0, r.err);
}

std::string add_visit(const CliDir& t, const std::string& subject) {
    auto r = t.run(
        {"visit", "add", "--visitor", "王五", "--phone", "13912345678", "--category", "教育", "--subject", subject});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return r.last_line();
}

sync::HttpRequest raw(const std::string& method, const std::string& target, const std::string& token,
                      const std::string& body) {
    sync::HttpRequest r;
    r.method = method;
    r.target = target;
    r.headers = {{sync::kProtocolHeader, "1"}, {"Content-Type", "application/json"}};
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
    r.body = body;
    return r;
}

sync::CurlOptions curl_to(const std::string& url) {
    sync::CurlOptions o;
    o.base_url = url;
    return o;
}

std::unique_ptr<store::Store> open_store_at(const std::filesystem::path& path) {
    store::OpenOptions o;
    o.create = true;
    auto st = store::Store::open(path.string(), o);
    REQUIRE(st.ok());
    return std::move(*st);
}

// A store enrolled with `code`, opened again: the store reads its station id when it opens.
std::unique_ptr<store::Store> enrolled_at(const std::filesystem::path& path, const std::string& url,
                                          const std::string& code) {
    auto st = open_store_at(path);
    sync::CurlTransport t(curl_to(url));
    auto r = sync::enrol(*st, t, url, code);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    st.reset();
    return open_store_at(path);
}

store::Visit education_visit(const std::string& subject) {
    store::Visit v;
    v.subject = subject;
    v.category = "education";
    v.received_at = "2025-03-01 09:30";
    return v;
}

// One sync round of a store speaking `protocol`; it must succeed.
void sync_round(const std::string& url, store::Store& st, int protocol = sync::kProtocolVersion) {
    sync::CurlTransport t(curl_to(url));
    sync::SyncConfig cfg;
    cfg.token = *st.token();
    cfg.station_id = st.station_id();
    cfg.protocol = protocol;
    sync::SyncSession session(st.replica(), t, cfg);
    auto r = session.round();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
}

}  // namespace

TEST_CASE("two tablets of one station edit offline, sync and converge; conflicts and their resolution sync") {
    Setup s;
    e2e::CentralProcess central(s.db);
    CliDir t1, t2;
    // t1 was used before enrolment (its records move into the station); t2 is enrolled fresh.
    cli_ok(t1, {"init", "--station", "临时站"});
    const std::string early = add_visit(t1, "入网前的记录");
    auto e1 = t1.run({"enrol", "--server", central.url(), "--code", s.code_for(s.station)});
    REQUIRE_MESSAGE(e1.code == 0, e1.err);
    CHECK(e1.last_line() == s.station);
    cli_ok(t2, {"enrol", "--server", central.url(), "--code", s.code_for(s.station)});

    // Offline edits on both.
    const std::string a = add_visit(t1, "路灯不亮");
    const std::string b = add_visit(t2, "学校门口拥堵");
    for (auto* t : {&t1, &t2, &t1}) cli_ok(*t, {"sync"});
    auto l1 = cli_json(t1, {"visit", "list", "--json"});
    auto l2 = cli_json(t2, {"visit", "list", "--json"});
    CHECK(l1.size() == 3);
    CHECK(l1 == l2);
    CHECK(cli_json(t2, {"visit", "show", early, "--json"})["subject"] == "入网前的记录");

    SUBCASE("the same field edited on both ends: one value everywhere, the other a conflict; resolution syncs") {
        cli_ok(t1, {"visit", "edit", a, "--subject", "路灯不亮（东门）"});
        cli_ok(t2, {"visit", "edit", a, "--subject", "路灯不亮（西门）"});
        for (auto* t : {&t1, &t2, &t1}) cli_ok(*t, {"sync"});
        auto v1 = cli_json(t1, {"visit", "show", a, "--json"})["subject"];
        auto v2 = cli_json(t2, {"visit", "show", a, "--json"})["subject"];
        CHECK(v1 == v2);
        auto c1 = cli_json(t1, {"conflicts", "--json"});
        auto c2 = cli_json(t2, {"conflicts", "--json"});
        REQUIRE(c1.size() == 1);
        REQUIRE(c2.size() == 1);
        CHECK(c1[0]["id"] == c2[0]["id"]);
        // Both values are still there: the winner shown, the loser in the list.
        const std::set<std::string> both = {"路灯不亮（东门）", "路灯不亮（西门）"};
        CHECK(both.count(v1.get<std::string>()) == 1);
        // A person settles it on t2 with merged text; the resolution reaches t1.
        cli_ok(t2, {"conflicts", "resolve", c2[0]["id"], "--value", "路灯不亮（东门和西门）"});
        for (auto* t : {&t2, &t1}) cli_ok(*t, {"sync"});
        CHECK(cli_json(t1, {"conflicts", "--json"}).empty());
        CHECK(cli_json(t2, {"conflicts", "--json"}).empty());
        CHECK(cli_json(t1, {"visit", "show", a, "--json"})["subject"] == "路灯不亮（东门和西门）");
        CHECK(cli_json(t2, {"visit", "show", a, "--json"})["subject"] == "路灯不亮（东门和西门）");
    }
    SUBCASE("delete against edit is a conflict on both tablets") {
        cli_ok(t1, {"visit", "delete", b});
        cli_ok(t2, {"visit", "edit", b, "--content", "又来反映了一次"});
        for (auto* t : {&t1, &t2, &t1}) cli_ok(*t, {"sync"});
        auto c1 = cli_json(t1, {"conflicts", "--json"});
        auto c2 = cli_json(t2, {"conflicts", "--json"});
        REQUIRE(c1.size() == 1);
        REQUIRE(c2.size() == 1);
        CHECK(c1[0]["id"] == c2[0]["id"]);
        CHECK(c1[0]["delete_conflict"] == true);
        CHECK(c2[0]["delete_conflict"] == true);
        // Each side sees its own part as "mine".
        CHECK(c1[0]["mine"] == c2[0]["theirs"]);
    }
    auto status = cli_json(t1, {"sync", "--status", "--json"});
    CHECK(status["pending"] == 0);
    CHECK(status["last_error"] == "");
    CHECK(status["enrolled"] == true);
}

TEST_CASE("a tablet whose clock is a day off: a causally later edit still wins") {
    Setup s;
    e2e::CentralProcess central(s.db);
    auto dir = sim::temp_dir("skew");
    const int64_t day = 86400000;
    auto open = [&](const std::string& name, int64_t offset) {
        store::OpenOptions o;
        o.create = true;
        o.wall = [offset] { return platform::wall_ms() + offset; };
        auto st = store::Store::open((dir / name).string(), o);
        REQUIRE(st.ok());
        return std::move(*st);
    };
    auto enrol_and_reopen = [&](const std::string& name, int64_t offset) {
        auto st = open(name, offset);
        sync::CurlTransport t(curl_to(central.url()));
        auto r = sync::enrol(*st, t, central.url(), s.code_for(s.station));
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        st.reset();
        return open(name, offset);  // the store reads its station id when it opens
    };
    auto ahead = enrol_and_reopen("ahead.db", day);
    auto behind = enrol_and_reopen("behind.db", -day);
    auto sync_once = [&](store::Store& st) { sync_round(central.url(), st); };
    auto id = ahead->add_visit(education_visit("第一稿"));
    REQUIRE(id.ok());
    sync_once(*ahead);
    sync_once(*behind);
    // The tablet a day behind has seen the edit made "tomorrow"; its own edit comes after it.
    store::VisitPatch p;
    p.subject = "第二稿（落后一天的平板）";
    REQUIRE(behind->update_visit(*id, p).ok());
    sync_once(*behind);
    sync_once(*ahead);
    CHECK(ahead->visit(*id)->subject == "第二稿（落后一天的平板）");
    CHECK(ahead->conflicts()->empty());
    // And back: the tablet ahead edits after seeing it.
    p.subject = "第三稿";
    REQUIRE(ahead->update_visit(*id, p).ok());
    sync_once(*ahead);
    sync_once(*behind);
    CHECK(behind->visit(*id)->subject == "第三稿");
    CHECK(behind->conflicts()->empty());
    ahead.reset();
    behind.reset();
    std::filesystem::remove_all(dir);
}

TEST_CASE("the server killed (SIGKILL) mid-push and mid-pull loses and doubles nothing") {
    Setup s;
    auto central = std::make_unique<e2e::CentralProcess>(s.db);
    auto dir = sim::temp_dir("kill");
    auto enrolled = [&](const std::string& name) {
        return enrolled_at(dir / name, central->url(), s.code_for(s.station));
    };
    auto a = enrolled("a.db");
    auto b = enrolled("b.db");
    auto session_for = [&](store::Store& st, int attempts) {
        sync::SyncConfig cfg;
        cfg.token = *st.token();
        cfg.station_id = st.station_id();
        // PostgreSQL merges a row change spelled out: 20 new rows are ~110 field merges a request.
        cfg.push_batch = pg_test::is_pg(s.db) ? 20 : 300;
        cfg.pull_page = 20;
        cfg.retry.attempts = attempts;
        return cfg;
    };
    // Each tablet's ticket letter claim (written at enrolment) is a change of the station too:
    // b's goes up now, a's travels with the visits.
    const int64_t b_claim = *b->pending_changes();
    CHECK(b_claim > 0);
    {
        sync::CurlTransport t(curl_to(central->url()));
        sync::SyncSession session(b->replica(), t, session_for(*b, 3));
        REQUIRE(session.push().ok());
    }
    std::vector<store::Visit> visits;
    for (int i = 0; i < 600; ++i) {
        store::Visit v;
        v.subject = "批量记录 " + std::to_string(i);
        v.content = "反映的问题很长很长 " + std::to_string(i);
        v.category = "urban";
        v.received_at = "2025-03-01 09:30";
        v.visitors.push_back(store::Visitor{"", "", "访客" + std::to_string(i), "13800138000", "", ""});
        visits.push_back(v);
    }
    REQUIRE(a->add_visits(visits).ok());
    const int64_t changes = *a->pending_changes();
    CHECK(changes > 1200);  // a change per new row: 5 batches up, 60 pages down

    // Sync with small batches while the server is killed at random moments, until a round gets
    // through. Retries are off so every kill is felt. The window for the kill doubles every 10
    // attempts, up to 6.4 s, so a slow server (a sanitizer build on PostgreSQL, a loaded machine)
    // also gets a whole round through.
    std::mt19937_64 rng(42);
    auto sync_with_kills = [&](store::Store& st, bool pushing) {
        int kills = 0;
        for (int attempt = 0; attempt < 60; ++attempt) {
            std::atomic<bool> done{false};
            const uint64_t window_ms = uint64_t{200} << (attempt / 10);
            std::thread killer([&] {
                const auto wait = std::chrono::milliseconds(10 + rng() % window_ms);
                const auto until = std::chrono::steady_clock::now() + wait;
                while (!done && std::chrono::steady_clock::now() < until)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                if (!done) {
                    central->kill9();
                    ++kills;
                }
            });
            sync::CurlTransport t(curl_to(central->url()));
            sync::SyncSession session(st.replica(), t, session_for(st, 1));
            auto r = pushing ? session.push() : session.pull();
            done = true;
            killer.join();
            central = std::make_unique<e2e::CentralProcess>(s.db);  // restart (a new port)
            if (r.ok()) break;
        }
        return kills;
    };
    const int push_kills = sync_with_kills(*a, true);
    CHECK(*a->pending_changes() == 0);
    const int pull_kills = sync_with_kills(*b, false);
    MESSAGE("kills mid-push: " << push_kills << ", mid-pull: " << pull_kills << ", changes: " << changes);
    CHECK(push_kills > 0);
    CHECK(pull_kills > 0);
    {
        // a learns b's claim, so all three hold the same station.
        sync::CurlTransport t(curl_to(central->url()));
        sync::SyncSession session(a->replica(), t, session_for(*a, 3));
        REQUIRE(session.pull().ok());
    }

    // Nothing lost, nothing doubled: the server holds each change once, b has every visit once,
    // and a, b and the server agree row for row.
    // Counted as field versions: PostgreSQL keeps a row change spelled out (docs/replication.md).
    const std::string in_station = " FROM crr_log WHERE scope = '" + s.station + "'";
    const std::string versions =
        "SELECT sum(CASE WHEN col = '*' THEN (SELECT count(*) FROM json_each(crr_log.value)) ELSE 1 END)" + in_station;
    const auto server_count = sim::server_rows(s.db, pg_test::is_pg(s.db) ? "SELECT count(*)" + in_station : versions);
    auto count = [](db::Db& d, const std::string& sql) {
        auto st = d.prepare(sql);
        REQUIRE(st.ok());
        REQUIRE(*st->step());
        return st->i64(0);
    };
    CHECK(std::stoll(server_count.at(0).at(0)) == count(a->db(), versions));
    CHECK(count(b->db(), versions) == count(a->db(), versions));
    if (!pg_test::is_pg(s.db)) CHECK(count(a->db(), "SELECT count(*)" + in_station) == changes + b_claim);
    CHECK(count(b->db(), "SELECT count(*) FROM visits WHERE _deleted = 0") == 600);
    CHECK(sim::dump_scope(b->db(), s.station) == sim::dump_scope(a->db(), s.station));
    CHECK(sim::server_dump_scope(s.db, s.station) == sim::dump_scope(a->db(), s.station));
    a.reset();
    b.reset();
    std::filesystem::remove_all(dir);
}

TEST_CASE("enrolment hands every tablet of a station its own ticket letter, kept on re-enrolment") {
    Setup s;
    e2e::CentralProcess central(s.db);
    CliDir kiosk, desk, early;
    auto series_of = [&](const CliDir& t) { return cli_json(t, {"queue", "series", "--json"})["series"]; };
    auto ticket = [&](const CliDir& t) {
        auto r = t.run({"queue", "add", "--visitor", "王小明", "--phone", "13800138000", "--topic", "村口路灯"});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        for (const auto& k : cli_json(t, {"queue", "list", "--json"}))
            if (k["id"] == r.last_line()) return k["number"].get<std::string>();
        return std::string("(not listed)");
    };
    // Without a letter a tablet refuses to issue tickets rather than guess one.
    auto none = kiosk.run({"queue", "add", "--visitor", "王小明", "--phone", "13800138000", "--topic", "路灯"});
    CHECK(none.code != 0);

    auto e1 = kiosk.run({"enrol", "--server", central.url(), "--code", s.code_for(s.station)});
    REQUIRE_MESSAGE(e1.code == 0, e1.err);
    CHECK(e1.out.find("A001") != std::string::npos);
    cli_ok(desk, {"enrol", "--server", central.url(), "--code", s.code_for(s.station)});
    CHECK(series_of(kiosk) == "A");
    CHECK(series_of(desk) == "B");
    // Neither has synced, yet their numbers differ.
    CHECK(ticket(kiosk) == "A001");
    CHECK(ticket(desk) == "B001");

    // A tablet set up offline with `init` issued tickets as the creator's "A"; the centre has
    // already given "A" away, so it moves to a free letter and its next ticket says so.
    cli_ok(early, {"init", "--station", "临时站"});
    CHECK(series_of(early) == "A");
    auto e3 = early.run({"enrol", "--server", central.url(), "--code", s.code_for(s.station)});
    REQUIRE_MESSAGE(e3.code == 0, e3.err);
    CHECK(series_of(early) == "C");
    CHECK(ticket(early) == "C001");

    // Enrolling again (a new token) keeps the letter; the server lists it.
    cli_ok(desk, {"enrol", "--server", central.url(), "--code", s.code_for(s.station)});
    CHECK(series_of(desk) == "B");
    for (auto* t : {&kiosk, &desk, &early, &kiosk}) cli_ok(*t, {"sync"});
    auto claims = cli_json(kiosk, {"queue", "series", "--json"})["devices"];
    std::set<std::string> letters;
    for (const auto& c : claims) letters.insert(c["series"].get<std::string>());
    CHECK(letters == std::set<std::string>{"A", "B", "C"});
    int code = 0;
    auto list = e2e::run_central(s.db, {"device", "list"}, &code);
    CHECK(code == 0);
    CHECK(list.find("series B") != std::string::npos);

    // The kiosk is re-installed: the new install gets a free letter, takes over "A" after it has
    // synced (docs/queue.md), and keeps "A" when it enrols again (a lost token, say).
    CliDir kiosk2;
    cli_ok(kiosk2, {"enrol", "--server", central.url(), "--code", s.code_for(s.station)});
    CHECK(series_of(kiosk2) == "D");
    cli_ok(kiosk2, {"sync"});
    cli_ok(kiosk2, {"queue", "series", "A", "--replace"});
    CHECK(ticket(kiosk2) == "A002");
    cli_ok(kiosk2, {"sync"});
    cli_ok(kiosk2, {"enrol", "--server", central.url(), "--code", s.code_for(s.station)});
    CHECK(series_of(kiosk2) == "A");
}

TEST_CASE("a case travels from a visit to a rating across the tablet and the centre") {
    Setup s;
    const std::string admin = "e2e-admin-token-0123456789abcdef";
    e2e::CentralProcess central(s.db, {"--admin-token", admin});
    CliDir t;
    cli_ok(t, {"enrol", "--server", central.url(), "--code", s.code_for(s.station)});
    const std::string visit = add_visit(t, "村口路灯不亮");
    auto added = t.run({"case", "add", "--visit", visit, "--title", "修复村口路灯"});
    REQUIRE_MESSAGE(added.code == 0, added.err);
    const std::string id = added.last_line();
    cli_ok(t, {"sync"});

    // The central office assigns it (交办) to a department of its reference data.
    json body = {
        {"author", "区人大常委会代表工委"},
        {"writes",
         {{{"table", "departments"}, {"row", "dep-housing"}, {"scope", "*"}, {"fields", {{"name", "区住建局"}}}},
          {{"table", "cases"},
           {"row", id},
           {"fields", {{"department_id", "dep-housing"}, {"deadline", "2026-12-31"}, {"status", "assigned"}}}},
          {{"table", "case_events"},
           {"row", platform::new_id()},
           {"scope", s.station},
           {"fields",
            {{"case_id", id},
             {"at", "2026-11-23 10:00"},
             {"author", "区人大常委会代表工委"},
             {"kind", "assigned"},
             {"note", "区住建局"}}}}}}};
    sync::CurlTransport ct(curl_to(central.url()));
    auto r = ct.send(raw("POST", "/v1/admin/changes", admin, body.dump()));
    REQUIRE(r.ok());
    REQUIRE_MESSAGE(r->status == 200, r->body);
    // An enrolled tablet does not make its own departments: they would never reach the centre.
    auto own = t.run({"department", "add", "--name", "区交通局"});
    CHECK(own.code == 2);
    CHECK(own.err.find("central office") != std::string::npos);
    cli_ok(t, {"sync"});
    auto c = cli_json(t, {"case", "show", id, "--json"});
    CHECK(c["status"] == "assigned");
    CHECK(c["department"]["name"] == "区住建局");
    CHECK(c["deadline"] == "2026-12-31");
    bool centre_event = false;
    for (const auto& e : c["timeline"])
        centre_event |= e["author"] == "区人大常委会代表工委" && e["kind"] == "assigned";
    CHECK(centre_event);

    // The station follows it up to the voter's rating; the centre's figures count it.
    cli_ok(t, {"case", "progress", id, "--note", "已联系住建局现场查看"});
    cli_ok(t, {"case", "close", id, "--result", "已更换路灯"});
    cli_ok(t, {"case", "feedback", id, "--note", "电话告知选民"});
    cli_ok(t, {"case", "rate", id, "--satisfaction", "满意", "--comment", "修得很快"});
    cli_ok(t, {"sync"});
    int code = 0;
    auto stats = json::parse(e2e::run_central(s.db, {"stats"}, &code));
    REQUIRE(code == 0);
    CHECK(stats["visits"] == 1);
    CHECK(stats["cases"] == 1);
    // The station figures are SQLite queries, not on PostgreSQL yet (docs/server.md, "PostgreSQL").
    if (pg_test::is_pg(s.db)) return;
    const auto& mine = stats["per_station"][s.station];
    CHECK(mine["visits"] == 1);
    CHECK(mine["suggestions"] == 1);
    CHECK(mine["resolved"] == 1);
    CHECK(mine["rated"] == 1);
    CHECK(mine["satisfied"] == 1);
    CHECK(mine["name"] == "东城联络站");
    CHECK(stats["figures"]["resolution_rate"] == mine["resolution_rate"]);
}

TEST_CASE("station B's tablet can never read or write station A's records") {
    Setup s;
    int code = 0;
    const std::string station_b = e2e::last_line(e2e::run_central(s.db, {"station", "add", "西城代表之家"}, &code));
    e2e::CentralProcess central(s.db);
    CliDir ta, tb;
    cli_ok(ta, {"enrol", "--server", central.url(), "--code", s.code_for(s.station)});
    cli_ok(tb, {"enrol", "--server", central.url(), "--code", s.code_for(station_b)});
    const std::string secret = add_visit(ta, "甲站的来访");
    cli_ok(ta, {"sync"});
    add_visit(tb, "乙站的来访");
    cli_ok(tb, {"sync"});
    cli_ok(tb, {"sync"});
    auto lb = cli_json(tb, {"visit", "list", "--json"});
    CHECK(lb.size() == 1);
    CHECK(lb[0]["subject"] == "乙站的来访");
    CHECK(tb.run({"visit", "show", secret}).code != 0);

    // Hand-made requests with B's token.
    auto store_b = store::Store::open((tb.dir / "liaison.db").string(), testing_support::keyed(tb));
    REQUIRE(store_b.ok());
    const std::string token_b = *(*store_b)->token();
    const std::string dev_b = (*store_b)->device()->device_id;
    store_b->reset();
    sync::CurlTransport t(curl_to(central.url()));
    auto push = [&](const std::string& table, const std::string& row, const std::string& scope) {
        sync::FieldChange c;
        c.hlc = sync::Hlc{platform::wall_ms(), 0, dev_b};
        c.table = table;
        c.row = row;
        c.column = table == "visits" ? "subject" : table == "categories" ? "name_zh" : "name";
        c.value = "\"改写\"";
        c.scope = scope;
        auto r = t.send(raw("POST", "/v1/push", token_b, sync::encode_changes({c})));
        REQUIRE(r.ok());
        return r->status;
    };
    CHECK(push("visits", secret, s.station) == 403);       // A's scope
    CHECK(push("visits", secret, station_b) == 403);       // A's row under B's scope
    CHECK(push("categories", "urban", station_b) == 403);  // reference data
    CHECK(push("stations", station_b, sync::kReferenceScope) == 403);
    // The pull feed of B never carries A's changes, even from the start.
    auto r = t.send(raw("GET", "/v1/pull?after=0&limit=5000&include_own=1", token_b, ""));
    REQUIRE(r.ok());
    auto page = json::parse(r->body);
    for (const auto& c : page["changes"]) CHECK(c["scope"] != s.station);
}

TEST_CASE("bad requests get clear 4xx answers and the server keeps serving") {
    Setup s;
    e2e::CentralProcess central(s.db, {"--max-body", "100000"});
    CliDir ta;
    cli_ok(ta, {"enrol", "--server", central.url(), "--code", s.code_for(s.station)});
    auto st = store::Store::open((ta.dir / "liaison.db").string(), testing_support::keyed(ta));
    REQUIRE(st.ok());
    const std::string token = *(*st)->token();
    const std::string device = (*st)->device()->device_id;
    st->reset();
    sync::CurlTransport t(curl_to(central.url()));
    auto expect = [&](const sync::HttpRequest& req, int status, const std::string& error) {
        auto r = t.send(req);
        REQUIRE(r.ok());
        CHECK(r->status == status);
        auto j = json::parse(r->body, nullptr, false);
        REQUIRE(j.is_object());
        CHECK(j["error"] == error);
        CHECK(j["message"].is_string());
        // Still serving.
        auto ping = t.send(raw("GET", "/v1/ping", "", ""));
        REQUIRE(ping.ok());
        CHECK(ping->status == 200);
    };
    expect(raw("POST", "/v1/push", token, "{\"protocol\":1,\"changes\":[{\"id\":"), 400, "bad_request");
    expect(raw("POST", "/v1/push", token, "[1,2,3]"), 400, "bad_request");
    {
        // A change that does not parse is refused alone (docs/protocol.md, "Refused changes"),
        // and the answer carries the server's time through the real listener.
        auto r = t.send(raw("POST", "/v1/push", token, "{\"protocol\":1,\"changes\":[{\"id\":\"x\"}]}"));
        REQUIRE(r.ok());
        CHECK(r->status == 200);
        auto j = json::parse(r->body, nullptr, false);
        REQUIRE(j.is_object());
        CHECK(j["rejected"][0]["code"] == "bad_change");
        auto date = sync::parse_http_date(r->header("Date"));
        REQUIRE(date);
        CHECK(*date > platform::wall_ms() - 60000);
    }
    expect(raw("POST", "/v1/push", token, std::string(200000, ' ')), 413, "too_large");
    {
        // A gzip bomb: 50 MB of spaces in ~50 KB on the wire.
        auto bomb = sync::gzip_compress("{\"protocol\":1,\"changes\":[]" + std::string(70u << 20, ' ') + "}");
        REQUIRE(bomb.ok());
        auto req = raw("POST", "/v1/push", token, *bomb);
        req.headers.emplace_back("Content-Encoding", "gzip");
        auto r = t.send(req);
        REQUIRE(r.ok());
        CHECK(r->status == 413);
    }
    {
        auto req = raw("POST", "/v1/push", token, "{\"protocol\":3,\"changes\":[]}");
        req.headers[0].second = "3";
        expect(req, 426, "protocol");
        req.headers.erase(req.headers.begin());
        expect(req, 426, "protocol");
    }
    expect(raw("GET", "/v1/pull?after=abc", token, ""), 400, "bad_request");
    expect(raw("GET", "/v1/pull", "not-a-token", ""), 401, "unauthorized");
    expect(raw("POST", "/v1/enrol", "", "{\"code\":\"AAAAA-BBBBB\",\"device_id\":\"dx\"}"), 403, "forbidden");
    expect(raw("GET", "/v1/nothing", "", ""), 404, "not_found");

    // A good sync works, then the device is revoked: 401, and `liaison sync` says so.
    add_visit(ta, "撤销前");
    cli_ok(ta, {"sync"});
    int code = 0;
    e2e::run_central(s.db, {"device", "revoke", device}, &code);
    REQUIRE(code == 0);
    expect(raw("GET", "/v1/pull", token, ""), 401, "unauthorized");
    add_visit(ta, "撤销后");
    auto r = ta.run({"sync"});
    CHECK(r.code != 0);
    CHECK(r.err.find("enrol again") != std::string::npos);
    auto status = cli_json(ta, {"sync", "--status", "--json"});
    CHECK(status["pending"].get<int64_t>() > 0);
    CHECK(status["refused"] == 0);
    CHECK(status["clock_offset_ms"].get<int64_t>() > -60000);  // this tablet's clock is right
    CHECK(status["clock_offset_ms"].get<int64_t>() < 60000);
    CHECK(status["last_error"].get<std::string>().find("revoked") != std::string::npos);
}

TEST_CASE("the background worker syncs after a local write and when the server comes back") {
    Setup s;
    auto central = std::make_unique<e2e::CentralProcess>(s.db);
    CliDir ta, tb;
    cli_ok(ta, {"enrol", "--server", central->url(), "--code", s.code_for(s.station)});
    cli_ok(tb, {"enrol", "--server", central->url(), "--code", s.code_for(s.station)});
    sync::WorkerOptions o;
    o.store_path = (ta.dir / "liaison.db").string();
    o.key = testing_support::store_key(ta);
    o.debounce_ms = 50;
    o.max_debounce_ms = 200;
    o.offline_base_ms = 100;
    o.offline_max_ms = 400;
    sync::Worker w(o);
    w.start();
    auto wait_for = [&](auto pred) {
        for (int i = 0; i < 200 && !pred(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
        return pred();
    };
    CHECK(wait_for([&] { return w.status().rounds >= 1; }));
    add_visit(ta, "后台同步");
    w.notify_local_write();
    CHECK(wait_for([&] { return w.status().pending == 0 && w.status().rounds >= 2; }));
    cli_ok(tb, {"sync"});
    CHECK(cli_json(tb, {"visit", "list", "--json"}).size() == 1);

    // Server down: the write waits, the status says offline; server back (same port is not
    // guaranteed, so point the tablet at the new one as an admin would) and it drains.
    central->kill9();
    add_visit(ta, "断网时的记录");
    w.notify_local_write();
    CHECK(wait_for([&] { return !w.status().online && !w.status().last_error.empty(); }));
    CHECK(w.status().pending > 0);
    central = std::make_unique<e2e::CentralProcess>(s.db);
    {
        auto st = store::Store::open((ta.dir / "liaison.db").string(), testing_support::keyed(ta));
        REQUIRE(st.ok());
        REQUIRE((*st)->set_server(central->url(), *(*st)->token()).ok());
    }
    CHECK(wait_for([&] { return w.status().online && w.status().pending == 0; }));
    w.stop();
    cli_ok(tb, {"enrol", "--server", central->url(), "--code", s.code_for(s.station)});
    cli_ok(tb, {"sync"});
    CHECK(cli_json(tb, {"visit", "list", "--json"}).size() == 2);
}

TEST_CASE("a tablet of protocol 1 keeps syncing with a server of protocol 2") {
    Setup s;
    e2e::CentralProcess central(s.db);
    auto dir = sim::temp_dir("v1");
    auto old_tablet = enrolled_at(dir / "old.db", central.url(), s.code_for(s.station));
    auto new_tablet = enrolled_at(dir / "new.db", central.url(), s.code_for(s.station));
    auto sync_once = [&](store::Store& st, int protocol) { sync_round(central.url(), st, protocol); };
    auto fresh = new_tablet->add_visit(education_visit("新平板的记录"));
    REQUIRE(fresh.ok());
    auto old = old_tablet->add_visit(education_visit("旧平板的记录"));
    REQUIRE(old.ok());
    sync_once(*new_tablet, sync::kProtocolVersion);
    sync_once(*old_tablet, sync::kProtocolV1);
    sync_once(*new_tablet, sync::kProtocolVersion);
    CHECK(old_tablet->visit(*fresh)->subject == "新平板的记录");
    CHECK(new_tablet->visit(*old)->subject == "旧平板的记录");
    // The old tablet's edit of a row created whole supersedes the right version: no conflict.
    store::VisitPatch p;
    p.subject = "旧平板改过";
    REQUIRE(old_tablet->update_visit(*fresh, p).ok());
    sync_once(*old_tablet, sync::kProtocolV1);
    sync_once(*new_tablet, sync::kProtocolVersion);
    CHECK(new_tablet->visit(*fresh)->subject == "旧平板改过");
    CHECK(new_tablet->conflicts()->empty());
    CHECK(old_tablet->conflicts()->empty());
    // What a tablet of protocol 1 reads holds field changes only.
    sync::CurlTransport t(curl_to(central.url()));
    auto page = t.send(raw("GET", "/v1/pull?after=0&include_own=1", *old_tablet->token(), ""));
    REQUIRE(page.ok());
    CHECK(page->status == 200);
    auto body = json::parse(page->body);
    CHECK(body["protocol"] == 1);
    for (const auto& c : body["changes"]) CHECK(c.contains("column"));
    auto three = raw("GET", "/v1/pull?after=0", *old_tablet->token(), "");
    three.headers[0].second = "3";
    auto refused = t.send(three);
    REQUIRE(refused.ok());
    CHECK(refused->status == 426);
    old_tablet.reset();
    new_tablet.reset();
    std::filesystem::remove_all(dir);
}
