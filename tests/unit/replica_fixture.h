// In-memory replicas of a tiny schema, for replica and convergence tests.
#pragma once
#include <map>
#include <memory>
#include <vector>
#include <string>

#include "sync/replica/replica.h"

namespace testing_support {

struct TestReplica {
    std::unique_ptr<liaison::db::Db> db;
    std::unique_ptr<liaison::sync::Replica> rep;
    int64_t now = 1700000000000;

    explicit TestReplica(const std::string& device, int64_t skew_ms = 0) : now(1700000000000 + skew_ms) {
        db = std::move(*liaison::db::Db::open(":memory:"));
        (void)db->exec("CREATE TABLE notes(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0, title, body, n)");
        (void)liaison::sync::Replica::install(*db);
        (void)liaison::sync::Replica::set_device_id(*db, device);
        rep = std::move(*liaison::sync::Replica::open(*db, [this] { return now; }));
        rep->register_table({"notes", {"title", "body", "n"}});
    }

    liaison::Status write(const std::string& row, const std::string& col, liaison::sync::Value v) {
        LIAISON_ASSIGN_OR_RETURN(auto tx, liaison::db::Tx::begin(*db));
        LIAISON_TRY(rep->write("notes", row, "s1", {{col, std::move(v)}}));
        return tx.commit();
    }
    liaison::Status remove(const std::string& row) {
        LIAISON_ASSIGN_OR_RETURN(auto tx, liaison::db::Tx::begin(*db));
        LIAISON_TRY(rep->remove("notes", row, "s1"));
        return tx.commit();
    }
    std::vector<liaison::sync::FieldChange> local_changes() {
        std::vector<liaison::sync::FieldChange> out;
        auto p = rep->pending(1000000);
        for (auto& e : *p) out.push_back(e.change);
        return out;
    }
    std::string value(const std::string& row, const std::string& col) {
        auto& st = db->cached("SELECT " + col + " FROM notes WHERE id = ?");
        st.bind(1, row);
        auto r = st.step();
        if (!r || !*r || st.is_null(0)) return "<null>";
        return st.text(0);
    }
    // Every field's version, "row/col" -> stamp: its own clock row or its row change's. How it
    // is stored may differ between replicas (a row change merged whole or field by field).
    std::map<std::string, std::string> versions() {
        std::map<std::string, std::string> out;
        auto st = db->prepare("SELECT DISTINCT row FROM crr_clock ORDER BY row");
        std::vector<std::string> rows;
        while (true) {
            auto r = st->step();
            if (!r || !*r) break;
            rows.push_back(st->text(0));
        }
        for (const auto& row : rows) {
            auto fields = rep->field_clocks("notes", row);
            if (!fields) continue;
            for (const auto& [col, hlc] : *fields) out[row + "/" + col] = hlc.str();
            auto& del = db->cached("SELECT hlc FROM crr_clock WHERE tbl = 'notes' AND row = ? AND col = '_deleted'");
            del.bind(1, row);
            auto r = del.step();
            if (r && *r) out[row + "/_deleted"] = del.text(0);
            del.reset();
        }
        return out;
    }
    // Everything that must be identical across replicas after full exchange.
    std::string dump() {
        std::string out;
        for (const char* q : {"SELECT id, _deleted, quote(title), quote(body), quote(n) FROM notes ORDER BY id",
                              "SELECT tbl, row, col, hlc, value FROM crr_conflict ORDER BY 1, 2, 3, 4"}) {
            auto st = db->prepare(q);
            while (true) {
                auto r = st->step();
                if (!r || !*r) break;
                for (int i = 0; i < sqlite3_column_count(st->raw()); ++i) out += st->text(i) + "|";
                out += "\n";
            }
            out += "--\n";
        }
        for (const auto& [field, hlc] : versions()) out += field + "|" + hlc + "\n";
        return out;
    }
};

}  // namespace testing_support
