// Randomized end-to-end simulation of the sync protocol, in one process: a central server and
// several tablets of two stations exchange changes over the LoopbackTransport while requests
// and answers are dropped, cut mid-body, delivered twice and replayed late; tablets crash, the
// server restarts, clocks are a day wrong. At the end every replica of a station is identical
// to the server's view of that station, and no typed value is lost: every version that no
// writer superseded is still there, as the value or as a conflict.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

#include "platform/platform.h"
#include "sim_device.h"
#include "domain/rules.h"

using namespace liaison;
using namespace liaison::sync;

namespace {

std::vector<FieldChange> local_log(db::Db& db) {
    std::vector<FieldChange> out;
    auto st = db.prepare("SELECT hlc, tbl, row, col, supersedes, pushed, value FROM crr_log WHERE local = 1");
    REQUIRE(st.ok());
    for (;;) {
        auto r = st->step();
        REQUIRE(r.ok());
        if (!*r) break;
        FieldChange c;
        c.hlc = *Hlc::parse(st->text(0));
        c.table = st->text(1);
        c.row = st->text(2);
        c.column = st->text(3);
        c.value = st->text(6);
        std::istringstream in(st->text(4));
        std::string tok;
        while (in >> tok) c.supersedes.push_back(*Hlc::parse(tok));
        out.push_back(c);
    }
    return out;
}

std::set<std::string> column_set(db::Db& db, const std::string& sql) {
    std::set<std::string> out;
    auto st = db.prepare(sql);
    REQUIRE(st.ok());
    for (;;) {
        auto r = st->step();
        REQUIRE(r.ok());
        if (!*r) break;
        out.insert(st->text(0));
    }
    return out;
}

std::set<std::string> server_set(const std::string& server, const std::string& sql) {
    std::set<std::string> out;
    for (const auto& r : sim::server_rows(server, sql)) out.insert(r[0]);
    return out;
}

// The heads of every field on the server, "table/row/column|stamp": its version (its own clock
// row or its row change's) and its conflicts.
std::set<std::string> server_heads(const std::string& server) {
    const std::string key = "SELECT tbl || '/' || \"row\" || '/' || col || '|' || hlc FROM ";
    auto heads = server_set(server, key + "crr_conflict");
    if (pg_test::is_pg(server)) {
        for (const auto& k : server_set(server, key + "crr_clock")) heads.insert(k);
        return heads;
    }
    auto d = db::Db::open(server);
    REQUIRE(d.ok());
    for (const auto& [f, hlc] : sim::field_version_map(**d, ""))
        heads.insert(std::get<0>(f) + "/" + std::get<1>(f) + "/" + std::get<2>(f) + "|" + hlc);
    return heads;
}

// Every change made on the tablets, a row change counted as the field changes it stands for
// (docs/replication.md, "Row changes").
std::vector<FieldChange> spelled_out(std::vector<std::unique_ptr<sim::Tablet>>& tabs) {
    std::vector<FieldChange> all;
    for (auto& t : tabs) {
        auto mine = local_log(*t->db);
        all.insert(all.end(), mine.begin(), mine.end());
    }
    auto expanded = expand_changes(all);
    REQUIRE(expanded);
    return std::move(*expanded);
}

// The field versions of the tablets' row changes the server holds whole.
std::set<std::string> versions_in_rows(std::vector<std::unique_ptr<sim::Tablet>>& tabs,
                                       const std::set<std::string>& server_ids) {
    std::set<std::string> out;
    for (auto& t : tabs)
        for (const auto& c : local_log(*t->db)) {
            if (!is_row_change(c) || !server_ids.count(c.hlc.str())) continue;
            auto fields = expand_change(c);
            REQUIRE(fields);
            for (const auto& f : *fields) out.insert(f.hlc.str());
        }
    return out;
}

// Converged and isolated: each tablet's view of its station equals the server's, and nothing of
// the other station ever reached it. Then no typed value lost: every change made anywhere reached
// the server, and every version no writer superseded is still a head there (the value or a
// conflict). Returns the number of changes made.
size_t check_converged(const std::string& server, std::vector<std::unique_ptr<sim::Tablet>>& tabs,
                       const std::string& station_a, const std::string& station_b) {
    for (auto& t : tabs) {
        CAPTURE(t->device);
        // Converged: the tablet's view of its station equals the server's.
        CHECK(sim::dump_scope(*t->db, t->station) == sim::server_dump_scope(server, t->station));
        CHECK(*t->rep->pending_count() == 0);
        // Isolation: nothing of the other station ever reached this tablet.
        const std::string other = t->station == station_a ? station_b : station_a;
        CHECK(column_set(*t->db, "SELECT row FROM crr_log WHERE scope = '" + other + "'").empty());
    }

    const auto all = spelled_out(tabs);
    const auto server_ids = server_set(server, "SELECT hlc FROM crr_log");
    std::set<std::string> superseded;
    std::map<std::string, std::string> latest_equal;  // field|value -> latest stamp: it hides earlier equal values
    for (const auto& c : all) {
        for (const auto& s : c.supersedes) superseded.insert(c.table + "/" + c.row + "/" + c.column + "|" + s.str());
        auto& l = latest_equal[c.table + "/" + c.row + "/" + c.column + "|" + c.value];
        l = std::max(l, c.hlc.str());
    }
    const auto heads = server_heads(server);
    const auto row_ids = versions_in_rows(tabs, server_ids);
    size_t lost = 0, missing = 0;
    for (const auto& c : all) {
        if (!server_ids.count(c.hlc.str()) && !row_ids.count(c.hlc.str())) ++missing;
        const std::string key = c.table + "/" + c.row + "/" + c.column + "|" + c.hlc.str();
        const bool hidden = latest_equal[c.table + "/" + c.row + "/" + c.column + "|" + c.value] != c.hlc.str();
        if (!superseded.count(key) && !hidden && !heads.count(key)) ++lost;
    }
    CHECK(missing == 0);
    CHECK(lost == 0);
    return all.size();
}

// What a person does on a tablet between two syncs: add, edit or delete visits (also rows this
// tablet has not seen yet), and now and then settle a conflict.
void random_edits(std::mt19937_64& rng, sim::Tablet& t, std::vector<std::string>& mine, const std::string& prefix) {
    const char* texts[] = {"路灯不亮", "学校门口拥堵", "养老金咨询", "垃圾分类", "噪音扰民", "小区停车"};
    const int ops = static_cast<int>(rng() % 5);
    for (int k = 0; k < ops; ++k) {
        const int what = static_cast<int>(rng() % 10);
        t.now += 1 + static_cast<int64_t>(rng() % 50);
        if (mine.empty() || what < 3) {
            const std::string id = prefix + t.device + "_" + std::to_string(k);
            REQUIRE(t.write("visits", id,
                            {{"station_id", t.station},
                             {"subject", texts[rng() % 6]},
                             {"content", "内容" + std::to_string(rng() % 100)},
                             {"people", 1}})
                        .ok());
            mine.push_back(id);
        } else if (what < 9) {
            const std::string& id = mine[rng() % mine.size()];
            const char* col = (rng() % 2) ? "subject" : "content";
            REQUIRE(t.write("visits", id, {{col, std::string(texts[rng() % 6]) + "·" + t.device}}).ok());
        } else {
            REQUIRE(t.remove("visits", mine[rng() % mine.size()]).ok());
        }
    }
    if (rng() % 4 == 0) {
        auto cs = t.rep->conflicts();
        REQUIRE(cs.ok());
        if (!cs->empty()) {
            const auto& c = (*cs)[rng() % cs->size()];
            auto chosen = c.delete_conflict ? Value(nullptr) : Value::parse(c.loser.value);
            REQUIRE(t.rep->resolve(c.id, chosen).ok());
        }
    }
}

// Every kind of network fault, each on 8 % of the exchanges.
Faults faults_for(uint64_t seed) {
    Faults faults;
    faults.drop_request = 0.08;
    faults.drop_response = 0.08;
    faults.cut_response = 0.08;
    faults.duplicate = 0.08;
    faults.replay_stale = 0.08;
    faults.seed = seed * 7 + 1;
    return faults;
}

void run(uint64_t seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    auto dir = sim::temp_dir("sim");
    sim::Central central(pg_test::central_db(dir));
    const std::string station_a = central.add_station("东城联络站");
    const std::string station_b = central.add_station("西城代表之家");

    LoopbackTransport net([&](const HttpRequest& r) { return central.handle(r); });
    std::vector<std::unique_ptr<sim::Tablet>> tabs;
    const int64_t day = 86400000;
    for (int i = 0; i < 5; ++i) {
        const int64_t skew = static_cast<int64_t>(rng() % 3) * day - day;
        tabs.push_back(std::make_unique<sim::Tablet>((dir / ("t" + std::to_string(i) + ".db")).string(),
                                                     "dev" + std::to_string(i), skew));
        sim::enrol(central, net, *tabs.back(), i < 3 ? station_a : station_b);
    }

    net.set_faults(faults_for(seed));

    std::map<std::string, std::vector<std::string>> rows;  // station -> visit ids made so far
    int syncs_ok = 0, syncs_failed = 0;
    for (int round = 0; round < 14; ++round) {
        for (auto& t : tabs) {
            t->now += static_cast<int64_t>(rng() % 5000);
            random_edits(rng, *t, rows[t->station], "v" + std::to_string(seed) + "_" + std::to_string(round) + "_");
        }
        // Some tablets sync, through the faulty network, with small batches and pages.
        for (auto& t : tabs) {
            if (rng() % 3 == 0) continue;
            auto r = t->sync(net, 1 + rng() % 7, 1 + rng() % 9);
            (r.ok() ? syncs_ok : syncs_failed)++;
        }
        if (rng() % 4 == 0) tabs[rng() % tabs.size()]->crash();
        if (rng() % 5 == 0) central.restart();
    }

    // Quiet network: everyone pushes, then everyone pulls.
    net.set_faults(Faults{});
    for (int pass = 0; pass < 2; ++pass)
        for (auto& t : tabs) {
            auto r = t->sync(net);
            REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        }
    CHECK(syncs_ok > 0);
    CHECK(syncs_failed > 0);  // the faults did bite

    const size_t changes = check_converged(central.path, tabs, station_a, station_b);
    const auto conflicts = server_set(central.path, "SELECT hlc FROM crr_conflict").size();
    CHECK(sim::server_dump_scope(central.path, station_a).size() > 100);
    MESSAGE("seed " << seed << ": " << changes << " changes, " << conflicts << " open conflicts, " << syncs_ok
                    << " rounds ok, " << syncs_failed << " cut by faults, " << net.exchanges() << " exchanges");
    std::filesystem::remove_all(dir);
}

}  // namespace

TEST_CASE("randomized fault schedules converge with no typed value lost") {
    for (uint64_t seed = 1; seed <= 6; ++seed) run(seed);
}

TEST_CASE("unknown wire fields survive a trip through the server to another tablet") {
    auto dir = sim::temp_dir("extra");
    sim::Central central(pg_test::central_db(dir));
    const std::string station = central.add_station("东城联络站");
    LoopbackTransport net([&](const HttpRequest& r) { return central.handle(r); });
    sim::Tablet a((dir / "a.db").string(), "devA", 0), b((dir / "b.db").string(), "devB", 0);
    sim::enrol(central, net, a, station);
    sim::enrol(central, net, b, station);
    // A newer tablet adds a field this version does not know.
    auto j = nlohmann::json::parse(R"({"id":"001750000000000-00000000-devA","table":"visits","row":"r1",
        "column":"subject","value":"新字段","supersedes":[],"scope":")" +
                                   station + R"(","x_voice_note":{"seconds":12}})");
    HttpRequest push;
    push.method = "POST";
    push.target = "/v1/push";
    push.headers = {{kProtocolHeader, "1"}, {"Authorization", "Bearer " + a.token}};
    push.body = nlohmann::json({{"protocol", 1}, {"changes", nlohmann::json::array({j})}}).dump();
    auto r = net.send(push);
    REQUIRE(r.ok());
    REQUIRE(r->status == 200);
    REQUIRE(b.sync(net).ok());
    auto h = b.rep->history("visits", "r1");
    REQUIRE(h.ok());
    REQUIRE(h->size() == 1);
    auto extra = nlohmann::json::parse((*h)[0].extra);
    CHECK(extra["x_voice_note"]["seconds"] == 12);
    std::filesystem::remove_all(dir);
}

TEST_CASE("an outbox full of texts at their maximum length still pushes: requests stay under the body limit") {
    auto dir = sim::temp_dir("longtexts");
    sim::Central central(pg_test::central_db(dir));
    const std::string station = central.add_station("东城联络站");
    LoopbackTransport net([&](const HttpRequest& r) { return central.handle(r); });
    sim::Tablet a((dir / "a.db").string(), "devA", 0);
    sim::enrol(central, net, a, station);
    // Random CJK text barely compresses: 600 visits of 10,000 characters are ~18 MB of JSON.
    std::mt19937 rng(7);
    const int visits = 600;
    for (int i = 0; i < visits; ++i) {
        std::string content;
        for (size_t k = 0; k < liaison::domain::kLongTextChars; ++k) {
            const uint32_t cp = 0x4e00 + rng() % 0x5000;
            content += static_cast<char>(0xe0 | (cp >> 12));
            content += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
            content += static_cast<char>(0x80 | (cp & 0x3f));
        }
        REQUIRE(a.write("visits", "v" + std::to_string(i), {{"station_id", station}, {"content", content}}).ok());
    }
    auto r = a.sync(net);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(r->pushed == static_cast<size_t>(visits));  // a new row is one change
    auto left = a.rep->pending_count();
    REQUIRE(left.ok());
    CHECK(*left == 0);
    std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------- hostile and wrong clocks

namespace {

const int64_t kDay = 86400000;

HttpResponse raw_push(LoopbackTransport& net, const std::string& token, const nlohmann::json& changes) {
    HttpRequest push;
    push.method = "POST";
    push.target = "/v1/push";
    push.headers = {{kProtocolHeader, "1"}, {"Authorization", "Bearer " + token}};
    push.body = nlohmann::json({{"protocol", 1}, {"changes", changes}}).dump();
    auto r = net.send(push);
    REQUIRE(r.ok());
    return *r;
}

nlohmann::json visit_change(const std::string& id, const std::string& row, const std::string& station,
                            const std::string& subject) {
    return {{"id", id},         {"table", "visits"},
            {"row", row},       {"column", "subject"},
            {"value", subject}, {"supersedes", nlohmann::json::array()},
            {"scope", station}};
}

std::string stamp_now(const std::string& node, int64_t shift_ms = 0) {
    return Hlc{platform::wall_ms() + shift_ms, 0, node}.str();
}

std::set<size_t> rejected_indexes(const HttpResponse& r, const std::string& code) {
    std::set<size_t> out;
    auto j = nlohmann::json::parse(r.body);
    if (j.contains("rejected"))
        for (const auto& x : j["rejected"])
            if (x.value("code", "") == code) out.insert(x["index"].get<size_t>());
    return out;
}

struct Station {
    std::filesystem::path dir = sim::temp_dir("hostile");
    sim::Central central{pg_test::central_db(dir)};
    std::string id = central.add_station("东城联络站");
    LoopbackTransport net{[this](const HttpRequest& r) { return central.handle(r); }};
    ~Station() { std::filesystem::remove_all(dir); }
    std::unique_ptr<sim::Tablet> tablet(const std::string& device, int64_t clock_off_ms = 0) {
        auto t = std::make_unique<sim::Tablet>((dir / (device + ".db")).string(), device, 0);
        t->now = platform::wall_ms() + clock_off_ms;
        sim::enrol(central, net, *t, id);
        return t;
    }
    // The server's own log rows of a row, as (id, value).
    std::vector<std::pair<std::string, std::string>> server_log(const std::string& row) {
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& r : sim::server_rows(
                 central.path, "SELECT hlc, value FROM crr_log WHERE \"row\" = '" + row + "' ORDER BY hlc"))
            out.emplace_back(r[0], r[1]);
        return out;
    }
};

std::string subject_of(sim::Tablet& t, const std::string& row) {
    auto& st = t.db->cached("SELECT subject FROM visits WHERE id = ?");
    st.bind(1, row);
    auto r = st.step();
    REQUIRE(r.ok());
    std::string v = *r ? st.text(0) : "<none>";
    st.reset();
    return v;
}

}  // namespace

TEST_CASE("a max-range stamp pushed by a hostile device is refused alone; the station's tablets keep syncing") {
    Station s;
    auto a = s.tablet("devA"), b = s.tablet("devB"), h = s.tablet("devH");
    REQUIRE(a->write("visits", "v1", {{"station_id", s.id}, {"subject", "路灯不亮"}}).ok());
    REQUIRE(a->sync(s.net).ok());
    REQUIRE(b->sync(s.net).ok());
    auto first = a->rep->history("visits", "v1");
    REQUIRE(first.ok());
    // The hostile device replaces the subject with a stamp at the very end of the clock range,
    // in the same batch as an ordinary change.
    nlohmann::json bad = visit_change("999999999999999-ffffffff-devH", "v1", s.id, "坏");
    for (const auto& c : *first)
        if (c.column == "subject") bad["supersedes"] = {c.hlc.str()};
    auto res =
        raw_push(s.net, h->token, nlohmann::json::array({bad, visit_change(stamp_now("devH"), "v2", s.id, "正常的")}));
    REQUIRE(res.status == 200);
    CHECK(rejected_indexes(res, "clock_ahead") == std::set<size_t>{0});
    CHECK(nlohmann::json::parse(res.body)["accepted"] == 1);
    // The honest tablets go on editing that very field and syncing, and lose nothing.
    for (int i = 0; i < 3; ++i) {
        auto& t = i % 2 ? *b : *a;
        a->now += 1000;
        b->now += 1000;
        REQUIRE(t.write("visits", "v1", {{"subject", "第" + std::to_string(i) + "稿"}}).ok());
        auto r1 = t.sync(s.net);
        REQUIRE_MESSAGE(r1.ok(), (r1.ok() ? "" : r1.error().message));
        auto r2 = (i % 2 ? *a : *b).sync(s.net);
        REQUIRE_MESSAGE(r2.ok(), (r2.ok() ? "" : r2.error().message));
        CHECK(subject_of(*a, "v1") == "第" + std::to_string(i) + "稿");
        CHECK(subject_of(*b, "v1") == subject_of(*a, "v1"));
    }
    CHECK(subject_of(*b, "v2") == "正常的");
    CHECK(a->rep->clock().wall_ms < platform::wall_ms() + kDay);
    CHECK(*a->rep->pending_count() == 0);
    CHECK(*sync_state::refused_count(*a->db) == 0);
}

TEST_CASE("a change id naming another device or the centre is refused change by change") {
    Station s;
    auto a = s.tablet("devA"), h = s.tablet("devH");
    const std::string forged = stamp_now("devA"), central_id = stamp_now("central_0123456789abcdef");
    auto res = raw_push(s.net, h->token,
                        nlohmann::json::array({visit_change(forged, "v1", s.id, "冒名"),
                                               visit_change(central_id, "v2", s.id, "冒充中心"),
                                               visit_change(stamp_now("devH"), "v3", s.id, "自己的")}));
    REQUIRE(res.status == 200);
    CHECK(rejected_indexes(res, "not_this_device") == std::set<size_t>{0, 1});
    CHECK(nlohmann::json::parse(res.body)["accepted"] == 1);
    CHECK(s.server_log("v1").empty());
    CHECK(s.server_log("v2").empty());
    // The real device's change with that very id is stored, not answered "duplicate".
    auto mine = raw_push(s.net, a->token, nlohmann::json::array({visit_change(forged, "v1", s.id, "本人")}));
    REQUIRE(mine.status == 200);
    CHECK(nlohmann::json::parse(mine.body)["accepted"] == 1);
    REQUIRE(s.server_log("v1").size() == 1);
    CHECK(s.server_log("v1")[0].second == "\"本人\"");
    // And no device can enrol under the centre's name.
    auto code = server::issue_enrol_code(*s.central.storage, s.id);
    REQUIRE(code.ok());
    HttpRequest req;
    req.method = "POST";
    req.target = "/v1/enrol";
    req.headers = {{kProtocolHeader, "1"}};
    req.body = nlohmann::json({{"code", *code}, {"device_id", "central_0123456789abcdef"}}).dump();
    auto e = s.net.send(req);
    REQUIRE(e.ok());
    CHECK(e->status == 400);
}

TEST_CASE("a change the server refuses is set aside and counted; the rest of the outbox syncs") {
    Station s;
    auto a = s.tablet("devA"), b = s.tablet("devB");
    REQUIRE(a->write("visits", "v1", {{"station_id", s.id}, {"subject", "一"}}).ok());
    // A change in the outbox the server will refuse (here: another device's id, as a corrupt
    // store could hold), between two good ones.
    REQUIRE(a->db
                ->exec("INSERT INTO crr_log(hlc, tbl, row, col, value, scope, local) VALUES('" + stamp_now("devZ") +
                       "', 'visits', 'v9', 'subject', '\"坏\"', '" + s.id + "', 1)")
                .ok());
    REQUIRE(a->write("visits", "v2", {{"station_id", s.id}, {"subject", "二"}}).ok());
    auto r = a->sync(s.net);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(r->refused == 1);
    CHECK(*sync_state::refused_count(*a->db) == 1);
    CHECK(*a->rep->pending_count() == 0);
    // Kept in the store, not sent again.
    auto again = a->sync(s.net);
    REQUIRE(again.ok());
    CHECK(again->refused == 0);
    CHECK(again->pushed == 0);
    CHECK(*sync_state::refused_count(*a->db) == 1);
    REQUIRE(b->sync(s.net).ok());
    CHECK(subject_of(*b, "v1") == "一");
    CHECK(subject_of(*b, "v2") == "二");
    CHECK(subject_of(*b, "v9") == "<none>");
}

TEST_CASE("a pull page with a change this tablet cannot merge: the rest applies and the cursor moves on") {
    Station s;
    auto a = s.tablet("devA"), b = s.tablet("devB");
    REQUIRE(a->write("visits", "v1", {{"station_id", s.id}, {"subject", "一"}}).ok());
    REQUIRE(a->sync(s.net).ok());
    // A newer server version sends a table this tablet does not know, and a garbled change.
    LoopbackTransport tampered([&](const HttpRequest& r) {
        auto res = s.central.handle(r);
        if (r.target.rfind("/v1/pull", 0) != 0 || res.status != 200) return res;
        auto j = nlohmann::json::parse(res.body);
        if (j["changes"].empty()) return res;
        auto future = visit_change(stamp_now("devA"), "x1", s.id, "新表");
        future["table"] = "x_future_table";
        j["changes"].insert(j["changes"].begin(), nlohmann::json{{"id", "garbled"}});
        j["changes"].insert(j["changes"].begin(), future);
        res.body = j.dump();
        return res;
    });
    auto r = b->sync(tampered);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(r->skipped == 2);
    CHECK(*sync_state::skipped_count(*b->db) == 2);
    CHECK(subject_of(*b, "v1") == "一");
    CHECK(*sync_state::get(*b->db, "pull_cursor") != "0");
}

TEST_CASE("tablets whose clocks are three days ahead or behind sync, lose nothing, and stamp today") {
    for (int64_t off : {3 * kDay, -3 * kDay}) {
        CAPTURE(off);
        Station s;
        auto t = s.tablet("devT", off), b = s.tablet("devB");
        // Typed before the tablet ever talked to the server, with the wrong clock.
        REQUIRE(t->write("visits", "v1", {{"station_id", s.id}, {"subject", "第一稿"}, {"content", "内容"}}).ok());
        REQUIRE(t->write("visits", "v1", {{"subject", "第二稿"}}).ok());
        auto r = t->sync(s.net);
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(r->refused == 0);
        CHECK(r->restamped == 2);  // the new row (one change) and the edit
        CHECK(t->rep->clock_offset_ms() < -off + 60000);
        CHECK(t->rep->clock_offset_ms() > -off - 60000);
        // Typed afterwards: the clock is still wrong, the stamps are not.
        t->now += 1000;
        REQUIRE(t->write("visits", "v1", {{"content", "补充"}}).ok());
        REQUIRE(t->sync(s.net).ok());
        REQUIRE(b->sync(s.net).ok());
        CHECK(subject_of(*b, "v1") == "第二稿");
        const auto log = s.server_log("v1");
        // The row whole, the two edits; PostgreSQL keeps the row spelled out as its 3 fields.
        REQUIRE(log.size() >= 3);
        REQUIRE(log.size() <= 5);
        for (const auto& [id, value] : log) {
            const auto h = Hlc::parse(id);
            REQUIRE(h);
            CHECK(h->wall_ms > platform::wall_ms() - 60000);
            CHECK(h->wall_ms < platform::wall_ms() + 60000);
        }
        CHECK(*t->rep->pending_count() == 0);
        CHECK(*sync_state::refused_count(*t->db) == 0);
    }
}

TEST_CASE("every answer of the server carries its time in a Date header") {
    Station s;
    HttpRequest ping;
    ping.target = "/v1/ping";
    auto r = s.net.send(ping);
    REQUIRE(r.ok());
    auto when = parse_http_date(r->header("Date"));
    REQUIRE(when);
    CHECK(*when > platform::wall_ms() - 5000);
    CHECK(*when <= platform::wall_ms());
    CHECK(http_date(784111777000) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == std::optional<int64_t>(784111777000));
}
