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
std::map<std::string, std::set<std::string>> expected_heads(const std::vector<FieldChange>& changes) {
    // A row change is the field changes it stands for (docs/replication.md, "Row changes").
    auto expanded = expand_changes(changes);
    REQUIRE(expanded);
    const auto& all = *expanded;
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
    for (const auto& [field, hlc] : r.versions()) heads["notes/" + field].insert(hlc);
    auto st = r.db->prepare("SELECT tbl, row, col, hlc FROM crr_conflict");
    while (true) {
        auto s = st->step();
        if (!s || !*s) break;
        heads[st->text(0) + "/" + st->text(1) + "/" + st->text(2)].insert(st->text(3));
    }
    return heads;
}

Value note_value(const std::string& col, std::mt19937_64& rng) {
    return col == "n" ? Value(static_cast<int64_t>(rng() % 100)) : Value("值" + std::to_string(rng() % 1000) + " 𠀋");
}

// A relay that speaks only field changes (protocol 1) spells a row change out; a delivery mixes
// both spellings of the same changes.
std::vector<FieldChange> respell(std::vector<FieldChange> batch, std::mt19937_64& rng) {
    std::vector<FieldChange> out;
    for (auto& c : batch) {
        if (!is_row_change(c) || rng() % 4 != 0) {
            out.push_back(std::move(c));
            continue;
        }
        auto fields = expand_change(c);
        REQUIRE(fields);
        for (auto& f : *fields) out.push_back(std::move(f));
    }
    return out;
}

// One thing a person does on a replica: delete, settle a conflict, create a row whole (or write
// several fields of a known one), or edit one field.
void offline_edit(TestReplica& r, std::mt19937_64& rng) {
    const char* cols[] = {"title", "body", "n"};
    r.now += static_cast<int64_t>(rng() % 50);
    const std::string row = "row" + std::to_string(rng() % 3);
    const int op = static_cast<int>(rng() % 10);
    if (op == 0 && r.rep->exists("notes", row)) {
        REQUIRE(r.remove(row));
    } else if (op == 1) {
        auto cs = r.rep->conflicts();
        REQUIRE(cs);
        if (!cs->empty()) {
            const auto& c = (*cs)[rng() % cs->size()];
            Value keep = c.delete_conflict ? (rng() % 2 ? Value(nullptr) : Value("restore"))
                                           : Value(Value::parse(rng() % 2 ? c.loser.value : c.winner.value));
            REQUIRE(r.rep->resolve(c.id, keep));
        }
    } else if (op == 2 || op == 3) {
        std::vector<std::pair<std::string, Value>> fields;
        for (const char* col : cols)
            if (rng() % 3 != 0) fields.emplace_back(col, note_value(col, rng));
        if (fields.empty()) fields.emplace_back("title", note_value("title", rng));
        auto tx = db::Tx::begin(*r.db);
        REQUIRE(tx);
        REQUIRE(r.rep->write("notes", row, "s1", fields));
        REQUIRE(tx->commit());
    } else {
        const char* col = cols[rng() % 3];
        REQUIRE(r.write(row, col, note_value(col, rng)));
    }
}

// Some of the changes made so far, some spelled out, some twice, shuffled, in small pages.
void deliver_some(TestReplica& r, const std::vector<FieldChange>& universe, std::mt19937_64& rng) {
    std::vector<FieldChange> batch;
    for (const auto& c : universe)
        if (rng() % 3 == 0) batch.push_back(c);
    batch = respell(std::move(batch), rng);
    for (size_t d = 0; d < batch.size() / 3; ++d) batch.push_back(batch[rng() % batch.size()]);
    std::shuffle(batch.begin(), batch.end(), rng);
    size_t at = 0;
    while (at < batch.size()) {
        const size_t len = 1 + rng() % 7;
        std::vector<FieldChange> page(batch.begin() + at, batch.begin() + std::min(batch.size(), at + len));
        REQUIRE(r.rep->apply_remote(page));
        at += len;
    }
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
    const int rounds = 6;
    for (int round = 0; round < rounds; ++round) {
        // offline edits
        for (auto& r : reps) {
            const int edits = static_cast<int>(rng() % 4);
            for (int e = 0; e < edits; ++e) offline_edit(*r, rng);
            for (auto& c : r->local_changes())
                if (seen_ids.insert(c.hlc.str()).second) universe.push_back(c);
        }
        // partial, shuffled, duplicated deliveries
        for (auto& r : reps) deliver_some(*r, universe, rng);
    }
    // final full exchange, in a different random order for each replica, with a replay
    for (auto& r : reps) {
        auto all = universe;
        std::shuffle(all.begin(), all.end(), rng);
        REQUIRE(r->rep->apply_remote(all));
        std::shuffle(all.begin(), all.end(), rng);
        REQUIRE(r->rep->apply_remote(all));
    }
    // The schedules mix both kinds: rows made whole and single fields.
    CHECK(std::any_of(universe.begin(), universe.end(), [](const FieldChange& c) { return is_row_change(c); }));
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
