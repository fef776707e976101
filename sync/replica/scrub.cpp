// Scrubbing one field's history for retention (docs/retention.md): the SQL that rewrites the
// stored versions of a field lives here, with the rest of the crr_* tables' SQL.
#include "sync/core/row.h"
#include "sync/replica/replica.h"

namespace liaison::sync {

Result<size_t> Replica::scrub_field(const std::string& table, const std::string& row, const std::string& column,
                                    const Mask& mask) {
    if (!has_table(table) || !tables_.at(table).count(column) || column == kDeletedColumn)
        return invalid("unknown column '" + table + "." + column + "'");
    size_t rewritten = 0;
    auto current = read_domain_value(table, row, column);
    if (!current) return current.error();
    const std::string now_value = mask(*current);
    if (now_value != *current) {
        auto& up = db_.cached("UPDATE \"" + table + "\" SET \"" + column + "\" = ? WHERE id = ?");
        auto v = Value::parse(now_value, nullptr, false);
        if (v.is_discarded() || !v.is_string()) return invalid("a mask must be text");
        LIAISON_TRY(up.bind(1, v.get_ref<const std::string&>()).bind(2, row).run());
        ++rewritten;
        if (on_row_changed_) on_row_changed_(table, row);
    }
    // The log and the conflict rows: every version of the field, whoever wrote it.
    for (const char* t : {"crr_log", "crr_conflict"}) {
        const std::string key = std::string(t) == "crr_log" ? "seq" : "hlc";
        std::vector<std::pair<std::string, std::string>> changed;
        auto& st = db_.cached("SELECT " + key + ", value FROM " + t + " WHERE tbl = ? AND row = ? AND col = ?");
        st.bind(1, table).bind(2, row).bind(3, column);
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
            const std::string v = q.text(1);
            if (std::string m = mask(v); m != v) changed.emplace_back(q.text(0), std::move(m));
        }));
        for (const auto& [k, masked] : changed) {
            auto& up = db_.cached(std::string("UPDATE ") + t +
                                  " SET value = ? WHERE tbl = ? AND row = ? AND col = ? AND " + key + " = ?");
            up.bind(1, masked).bind(2, table).bind(3, row).bind(4, column);
            if (key == "seq")
                up.bind(5, static_cast<int64_t>(std::stoll(k)));
            else
                up.bind(5, k);
            LIAISON_TRY(up.run());
        }
        rewritten += changed.size();
    }
    LIAISON_ASSIGN_OR_RETURN(size_t in_rows, rewrite_row_changes(table, row, column, mask, false));
    rewritten += in_rows;
    auto& agree = db_.cached("DELETE FROM crr_conflict WHERE tbl = ? AND row = ? AND col = ? AND value = ?");
    LIAISON_TRY(agree.bind(1, table).bind(2, row).bind(3, column).bind(4, now_value).run());
    LIAISON_TRY(flush());
    return rewritten;
}

Result<size_t> Replica::rewrite_row_changes(const std::string& table, const std::string& row, const std::string& column,
                                            const Mask& mask, bool local_only) {
    std::vector<std::pair<int64_t, std::string>> changed;
    auto& st = db_.cached(std::string("SELECT seq, value FROM crr_log WHERE col = '*'") +
                          (local_only ? " AND local = 1" : " AND tbl = ? AND row = ?"));
    if (!local_only) st.bind(1, table).bind(2, row);
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) -> Status {
        auto fields = row_fields(q.text(1));
        if (!fields) return Error{Error::Kind::Corrupt, "bad row change in the log"};
        bool moved = false;
        for (auto& [col, value] : *fields) {
            if (col != column) continue;
            std::string m = mask(value);
            moved = moved || m != value;
            value = std::move(m);
        }
        if (moved) changed.emplace_back(q.i64(0), row_value(std::move(*fields)));
        return {};
    }));
    for (const auto& [seq, value] : changed) {
        auto& up = db_.cached("UPDATE crr_log SET value = ? WHERE seq = ?");
        LIAISON_TRY(up.bind(1, value).bind(2, seq).run());
    }
    return changed.size();
}

}  // namespace liaison::sync
