// Outbox and scope bookkeeping the sync client asks for: withholding changes it may not push,
// settling the server's answer to a pushed change, and moving never-pushed records from a
// provisional scope to the one the centre assigned (docs/protocol.md, enrolment).
#include <nlohmann/json.hpp>

#include "sync/replica/replica.h"

namespace liaison::sync {

Status Replica::withhold(const std::vector<int64_t>& seqs) {
    if (seqs.empty()) return {};
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db_));
    for (int64_t s : seqs) {
        auto& st = db_.cached("UPDATE crr_log SET pushed = 2 WHERE seq = ?");
        LIAISON_TRY(st.bind(1, s).run());
    }
    return tx.commit();
}

Status Replica::settle_in_tx(int64_t seq, bool accepted) {
    auto& st = db_.cached("UPDATE crr_log SET pushed = ? WHERE seq = ?");
    return st.bind(1, static_cast<int64_t>(accepted ? 1 : 3)).bind(2, seq).run();
}

Result<bool> Replica::scope_synced(const std::string& scope) {
    auto& st = db_.cached("SELECT count(*) FROM crr_log WHERE scope = ? AND (local = 0 OR pushed = 1)");
    st.bind(1, scope);
    auto r = st.step();
    if (!r) return r.error();
    const int64_t synced = st.i64(0);
    st.reset();
    return synced > 0;
}

Status Replica::forget_local_row(const std::string& table, const std::string& row) {
    if (!has_table(table)) return invalid("unknown table '" + table + "'");
    for (const char* sql :
         {"DELETE FROM crr_clock WHERE tbl = ?1 AND row = ?2", "DELETE FROM crr_conflict WHERE tbl = ?1 AND row = ?2",
          "DELETE FROM crr_log WHERE tbl = ?1 AND row = ?2 AND local = 1"}) {
        auto st = db_.prepare(sql);
        if (!st) return st.error();
        LIAISON_TRY(st->bind(1, table).bind(2, row).run());
    }
    auto st = db_.prepare("DELETE FROM \"" + table + "\" WHERE id = ?1");
    if (!st) return st.error();
    return st->bind(1, row).run();
}

Result<std::vector<std::string>> Replica::tables_with_column(const std::string& column) {
    auto st = db_.prepare(
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p "
        "WHERE m.type = 'table' AND p.name = ?1");
    if (!st) return st.error();
    st->bind(1, column);
    std::vector<std::string> tables;
    LIAISON_TRY(st->for_each_row([&](const db::Stmt& q) {
        if (has_table(q.text(0))) tables.push_back(q.text(0));
    }));
    return tables;
}

Result<size_t> Replica::rescope_unpushed(const std::string& from, const std::string& to,
                                         const std::string& ref_column) {
    // Never-pushed changes are still only ours: their scope and references can be rewritten
    // without any other replica ever having seen the old text.
    const std::string from_json = Value(from).dump(), to_json = Value(to).dump();
    auto moved = db_.prepare("UPDATE crr_log SET scope = ?2 WHERE scope = ?1 AND local = 1");
    if (!moved) return moved.error();
    LIAISON_TRY(moved->bind(1, from).bind(2, to).run());
    const size_t changes = static_cast<size_t>(db_.changes());
    auto refs = db_.prepare("UPDATE crr_log SET value = ?2 WHERE col = ?3 AND value = ?1 AND local = 1");
    if (!refs) return refs.error();
    LIAISON_TRY(refs->bind(1, from_json).bind(2, to_json).bind(3, ref_column).run());
    auto in_rows = rewrite_row_changes(
        "", "", ref_column, [&](const std::string& v) { return v == from_json ? to_json : v; }, true);
    if (!in_rows) return in_rows.error();
    // The rows themselves: every replicated table with that column.
    auto tables = tables_with_column(ref_column);
    if (!tables) return tables.error();
    for (const auto& t : *tables) {
        std::string sql = "UPDATE \"";
        sql.append(t).append("\" SET \"").append(ref_column).append("\" = ?2 WHERE \"").append(ref_column);
        auto st = db_.prepare(sql.append("\" = ?1"));
        if (!st) return st.error();
        LIAISON_TRY(st->bind(1, from).bind(2, to).run());
    }
    return changes;
}

}  // namespace liaison::sync
