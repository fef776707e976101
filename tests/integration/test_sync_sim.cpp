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

#include "sim_device.h"

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

void run(uint64_t seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    auto dir = sim::temp_dir("sim");
    sim::Central central((dir / "central.db").string());
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

    Faults faults;
    faults.drop_request = 0.08;
    faults.drop_response = 0.08;
    faults.cut_response = 0.08;
    faults.duplicate = 0.08;
    faults.replay_stale = 0.08;
    faults.seed = seed * 7 + 1;
    net.set_faults(faults);

    std::map<std::string, std::vector<std::string>> rows;  // station -> visit ids made so far
    const char* texts[] = {"路灯不亮", "学校门口拥堵", "养老金咨询", "垃圾分类", "噪音扰民", "小区停车"};
    int syncs_ok = 0, syncs_failed = 0;
    for (int round = 0; round < 14; ++round) {
        for (auto& t : tabs) {
            t->now += static_cast<int64_t>(rng() % 5000);
            const int ops = static_cast<int>(rng() % 5);
            for (int k = 0; k < ops; ++k) {
                auto& mine = rows[t->station];
                const int what = static_cast<int>(rng() % 10);
                t->now += 1 + static_cast<int64_t>(rng() % 50);
                if (mine.empty() || what < 3) {
                    const std::string id = "v" + std::to_string(seed) + "_" + std::to_string(round) + "_" + t->device + "_" + std::to_string(k);
                    REQUIRE(t->write("visits", id, {{"station_id", t->station}, {"subject", texts[rng() % 6]},
                                                    {"content", "内容" + std::to_string(rng() % 100)}, {"people", 1}})
                                .ok());
                    mine.push_back(id);
                } else if (what < 9) {
                    // Edit a row this tablet may not have seen yet: it creates it locally then.
                    const std::string& id = mine[rng() % mine.size()];
                    const char* col = (rng() % 2) ? "subject" : "content";
                    REQUIRE(t->write("visits", id, {{col, std::string(texts[rng() % 6]) + "·" + t->device}}).ok());
                } else {
                    REQUIRE(t->remove("visits", mine[rng() % mine.size()]).ok());
                }
            }
            // Settle a conflict now and then, the way a person would in the app.
            if (rng() % 4 == 0) {
                auto cs = t->rep->conflicts();
                REQUIRE(cs.ok());
                if (!cs->empty()) {
                    const auto& c = (*cs)[rng() % cs->size()];
                    auto chosen = c.delete_conflict ? Value(nullptr) : Value::parse(c.loser.value);
                    REQUIRE(t->rep->resolve(c.id, chosen).ok());
                }
            }
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

    auto& server_db = [&]() -> db::Db& {
        static std::unique_ptr<db::Db> d;
        d = std::move(*db::Db::open(central.path));
        return *d;
    }();
    for (auto& t : tabs) {
        CAPTURE(t->device);
        // Converged: the tablet's view of its station equals the server's.
        CHECK(sim::dump_scope(*t->db, t->station) == sim::dump_scope(server_db, t->station));
        CHECK(*t->rep->pending_count() == 0);
        // Isolation: nothing of the other station ever reached this tablet.
        const std::string other = t->station == station_a ? station_b : station_a;
        CHECK(column_set(*t->db, "SELECT row FROM crr_log WHERE scope = '" + other + "'").empty());
    }

    // No typed value lost: every change made anywhere reached the server, and every version no
    // writer superseded is still a head there (the value or a conflict).
    std::vector<FieldChange> all;
    for (auto& t : tabs) {
        auto mine = local_log(*t->db);
        all.insert(all.end(), mine.begin(), mine.end());
    }
    const auto server_ids = column_set(server_db, "SELECT hlc FROM crr_log");
    std::set<std::string> superseded;
    std::map<std::string, std::string> latest_equal;  // field|value -> latest stamp: it hides earlier equal values
    for (const auto& c : all) {
        for (const auto& s : c.supersedes) superseded.insert(c.table + "/" + c.row + "/" + c.column + "|" + s.str());
        auto& l = latest_equal[c.table + "/" + c.row + "/" + c.column + "|" + c.value];
        l = std::max(l, c.hlc.str());
    }
    const auto heads = column_set(server_db,
                                  "SELECT tbl || '/' || row || '/' || col || '|' || hlc FROM crr_clock UNION ALL "
                                  "SELECT tbl || '/' || row || '/' || col || '|' || hlc FROM crr_conflict");
    size_t lost = 0, missing = 0;
    for (const auto& c : all) {
        if (!server_ids.count(c.hlc.str())) ++missing;
        const std::string key = c.table + "/" + c.row + "/" + c.column + "|" + c.hlc.str();
        const bool hidden = latest_equal[c.table + "/" + c.row + "/" + c.column + "|" + c.value] != c.hlc.str();
        if (!superseded.count(key) && !hidden && !heads.count(key)) ++lost;
    }
    CHECK(missing == 0);
    CHECK(lost == 0);
    const auto conflicts = column_set(server_db, "SELECT hlc FROM crr_conflict").size();
    CHECK(sim::dump_scope(server_db, station_a).size() > 100);
    MESSAGE("seed " << seed << ": " << all.size() << " changes, " << conflicts << " open conflicts, " << syncs_ok
                    << " rounds ok, " << syncs_failed << " cut by faults, " << net.exchanges() << " exchanges");
    std::filesystem::remove_all(dir);
}

}  // namespace

TEST_CASE("randomized fault schedules converge with no typed value lost") {
    for (uint64_t seed = 1; seed <= 6; ++seed) run(seed);
}

TEST_CASE("unknown wire fields survive a trip through the server to another tablet") {
    auto dir = sim::temp_dir("extra");
    sim::Central central((dir / "central.db").string());
    const std::string station = central.add_station("东城联络站");
    LoopbackTransport net([&](const HttpRequest& r) { return central.handle(r); });
    sim::Tablet a((dir / "a.db").string(), "devA", 0), b((dir / "b.db").string(), "devB", 0);
    sim::enrol(central, net, a, station);
    sim::enrol(central, net, b, station);
    // A newer tablet adds a field this version does not know.
    auto j = nlohmann::json::parse(R"({"id":"001750000000000-00000000-devA","table":"visits","row":"r1",
        "column":"subject","value":"新字段","supersedes":[],"scope":")" + station +
                                   R"(","x_voice_note":{"seconds":12}})");
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
