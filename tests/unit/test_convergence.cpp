// Randomized property test: replicas that edit offline and receive the same changes in random
// orders, batches, duplicates and replays end byte-identical, and every version that no writer
// superseded (and no equal later value hides) is still present, as the value or as a conflict.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "replica_fixture.h"

using namespace liaison;
using namespace liaison::sync;
using testing_support::TestReplica;

namespace {

// Oracle: the heads of every field, computed from the whole set of changes: those that no change
// supersedes and no change with the same value and a later stamp hides.
std::map<std::string, std::set<std::string>> expected_heads(const std::vector<FieldChange>& all) {
    std::set<std::string> superseded;           // key|hlc
    std::map<std::string, std::string> latest;  // key|value -> the latest stamp with that value
    for (const auto& c : all) {
        const std::string key = c.table + "/" + c.row + "/" + c.column;
        for (const auto& s : c.supersedes) superseded.insert(key + "|" + s.str());
        auto& l = latest[key + "|" + c.value];
        l = std::max(l, c.hlc.str());
    }
    std::map<std::string, std::set<std::string>> heads;
    for (const auto& c : all) {
        const std::string key = c.table + "/" + c.row + "/" + c.column;
        if (!superseded.count(key + "|" + c.hlc.str()) && latest[key + "|" + c.value] == c.hlc.str())
            heads[key].insert(c.hlc.str());
    }
    return heads;
}

std::map<std::string, std::set<std::string>> actual_heads(TestReplica& r) {
    std::map<std::string, std::set<std::string>> heads;
    for (const char* q : {"SELECT tbl, row, col, hlc FROM crr_clock", "SELECT tbl, row, col, hlc FROM crr_conflict"}) {
        auto st = r.db->prepare(q);
        while (true) {
            auto s = st->step();
            if (!s || !*s) break;
            heads[st->text(0) + "/" + st->text(1) + "/" + st->text(2)].insert(st->text(3));
        }
    }
    return heads;
}

void run_schedule(uint64_t seed) {
    std::mt19937_64 rng(seed);
    const int n = 2 + static_cast<int>(rng() % 3);
    std::vector<std::unique_ptr<TestReplica>> reps;
    const int64_t day = 86400000;
    for (int i = 0; i < n; ++i) {
        const int64_t skew = static_cast<int64_t>(rng() % 3) * day - day;  // a day behind, right, or ahead
        reps.push_back(std::make_unique<TestReplica>("D" + std::to_string(i), skew));
    }
    std::vector<FieldChange> universe;  // every change ever made, for delivery and the oracle
    std::set<std::string> seen_ids;
    const char* cols[] = {"title", "body", "n"};
    const int rounds = 6;
    for (int round = 0; round < rounds; ++round) {
        // offline edits
        for (auto& r : reps) {
            const int edits = static_cast<int>(rng() % 4);
            for (int e = 0; e < edits; ++e) {
                r->now += static_cast<int64_t>(rng() % 50);
                const std::string row = "row" + std::to_string(rng() % 3);
                const int op = static_cast<int>(rng() % 10);
                if (op == 0 && r->rep->exists("notes", row)) {
                    REQUIRE(r->remove(row));
                } else if (op == 1) {
                    auto cs = r->rep->conflicts();
                    REQUIRE(cs);
                    if (!cs->empty()) {
                        const auto& c = (*cs)[rng() % cs->size()];
                        Value keep = c.delete_conflict
                                         ? (rng() % 2 ? Value(nullptr) : Value("restore"))
                                         : Value(Value::parse(rng() % 2 ? c.loser.value : c.winner.value));
                        REQUIRE(r->rep->resolve(c.id, keep));
                    }
                } else {
                    const char* col = cols[rng() % 3];
                    Value v = std::string(col) == "n" ? Value(static_cast<int64_t>(rng() % 100))
                                                      : Value("值" + std::to_string(rng() % 1000) + " 𠀋");
                    REQUIRE(r->write(row, col, v));
                }
            }
            for (auto& c : r->local_changes())
                if (seen_ids.insert(c.hlc.str()).second) universe.push_back(c);
        }
        // partial, shuffled, duplicated deliveries
        for (auto& r : reps) {
            std::vector<FieldChange> batch;
            for (const auto& c : universe)
                if (rng() % 3 == 0) batch.push_back(c);
            for (size_t d = 0; d < batch.size() / 3; ++d) batch.push_back(batch[rng() % batch.size()]);
            std::shuffle(batch.begin(), batch.end(), rng);
            size_t at = 0;
            while (at < batch.size()) {
                const size_t len = 1 + rng() % 7;
                std::vector<FieldChange> page(batch.begin() + at, batch.begin() + std::min(batch.size(), at + len));
                REQUIRE(r->rep->apply_remote(page));
                at += len;
            }
        }
    }
    // final full exchange, in a different random order for each replica, with a replay
    for (auto& r : reps) {
        auto all = universe;
        std::shuffle(all.begin(), all.end(), rng);
        REQUIRE(r->rep->apply_remote(all));
        std::shuffle(all.begin(), all.end(), rng);
        REQUIRE(r->rep->apply_remote(all));
    }
    const std::string first = reps[0]->dump();
    const auto oracle = expected_heads(universe);
    for (auto& r : reps) {
        CHECK(r->dump() == first);
        CHECK(actual_heads(*r) == oracle);
    }
}

}  // namespace

TEST_CASE("randomized schedules converge with nothing lost") {
    for (uint64_t seed = 1; seed <= 150; ++seed) {
        CAPTURE(seed);
        run_schedule(seed);
    }
}
