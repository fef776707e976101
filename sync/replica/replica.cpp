#include "sync/replica/replica.h"

#include <algorithm>
#include <sstream>

#include "sync/core/row.h"
#include "sync/core/wire.h"
#include "sync/replica/sync_state.h"

namespace liaison::sync {
namespace {

std::string join_hlcs(const std::vector<Hlc>& hs) {
    std::string s;
    for (const auto& h : hs) {
        if (!s.empty()) s.push_back(' ');
        s += h.str();
    }
    return s;
}

std::vector<Hlc> split_hlcs(const std::string& s) {
    std::vector<Hlc> out;
    std::istringstream in(s);
    std::string tok;
    while (in >> tok)
        if (auto h = Hlc::parse(tok)) out.push_back(*h);
    return out;
}

// Column values read back from SQLite, as canonical JSON text.
std::string column_json(const db::Stmt& st, int col) {
    switch (st.type(col)) {
        case SQLITE_INTEGER: return std::to_string(st.i64(col));
        case SQLITE_FLOAT: return Value(st.f64(col)).dump();
        case SQLITE_TEXT:
        case SQLITE_BLOB: return Value(st.text(col)).dump();
        default: return "null";
    }
}

Status bind_json(db::Stmt& st, int i, const std::string& json) {
    auto v = Value::parse(json, nullptr, false);
    if (v.is_discarded()) return invalid("stored value is not JSON");
    if (v.is_null())
        st.bind(i, nullptr);
    else if (v.is_boolean())
        st.bind(i, static_cast<int64_t>(v.get<bool>() ? 1 : 0));
    else if (v.is_number_integer())
        st.bind(i, v.get<int64_t>());
    else if (v.is_number())
        st.bind(i, v.get<double>());
    else if (v.is_string())
        st.bind(i, v.get_ref<const std::string&>());
    else
        return invalid("value must be a scalar");
    return {};
}

FieldChange change_from_row(const db::Stmt& st, int first) {
    // columns: hlc, tbl, row, col, value, supersedes, scope, extra, author
    FieldChange c;
    c.hlc = Hlc::parse(st.text(first)).value_or(Hlc{});
    c.table = st.text(first + 1);
    c.row = st.text(first + 2);
    c.column = st.text(first + 3);
    c.value = st.text(first + 4);
    c.supersedes = split_hlcs(st.text(first + 5));
    c.scope = st.text(first + 6);
    c.extra = st.text(first + 7);
    c.author = st.text(first + 8);
    return c;
}

const char* kLogCols = "hlc, tbl, row, col, value, supersedes, scope, extra, author";

}  // namespace

Result<std::string> canonical_value(const Value& v) {
    if (v.is_null()) return std::string("null");
    if (v.is_boolean()) return std::string(v.get<bool>() ? "1" : "0");
    if (v.is_number_unsigned()) {
        if (v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return invalid("integer out of range");
        return std::to_string(v.get<int64_t>());
    }
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_number_float()) return Value(v.get<double>()).dump();
    if (v.is_string()) {
        // dump() refuses invalid UTF-8 with an exception; keep that inside this boundary.
        try {
            return v.dump();
        } catch (const std::exception&) {
            return invalid("text is not valid UTF-8");
        }
    }
    return invalid("value must be a scalar");
}

Status Replica::install(db::Db& db) {
    return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS crr_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS crr_clock(
  tbl TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL, hlc TEXT NOT NULL,
  PRIMARY KEY(tbl, row, col)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS crr_conflict(
  tbl TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL, hlc TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY(tbl, row, col, hlc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS crr_superseded(
  tbl TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL, hlc TEXT NOT NULL,
  PRIMARY KEY(tbl, row, col, hlc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS crr_log(
  seq INTEGER PRIMARY KEY,
  hlc TEXT NOT NULL UNIQUE,
  tbl TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL,
  value TEXT NOT NULL,
  supersedes TEXT NOT NULL DEFAULT '',
  scope TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  local INTEGER NOT NULL,
  pushed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS crr_log_outbox ON crr_log(seq) WHERE local = 1 AND pushed = 0;
CREATE INDEX IF NOT EXISTS crr_log_row ON crr_log(tbl, row);
)sql");
}

Status Replica::set_device_id(db::Db& db, const std::string& id) {
    auto& st = db.cached(
        "INSERT INTO crr_meta(key, value) VALUES('device_id', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    return st.bind(1, id).run();
}

Result<std::string> Replica::device_id(db::Db& db) {
    auto& st = db.cached("SELECT value FROM crr_meta WHERE key = 'device_id'");
    auto r = st.step();
    if (!r) return r.error();
    if (!*r) return not_found("this store has no device id: run `liaison init` first");
    std::string id = st.text(0);
    st.reset();  // a statement left on a row keeps a read snapshot: the next write could not wait
    return id;
}

Result<std::unique_ptr<Replica>> Replica::open(db::Db& db, WallClock wall) {
    auto id = device_id(db);
    if (!id) return id.error();
    std::unique_ptr<Replica> r(new Replica(db, std::move(wall), *id, Hlc{}));
    LIAISON_TRY(r->load_clock());
    LIAISON_TRY(sync_state::install(db));
    return r;
}

Replica::Replica(db::Db& db, WallClock wall, std::string device, Hlc last)
    : db_(db), wall_(std::move(wall)), device_(std::move(device)), clock_(device_, std::move(last)) {}

void Replica::register_table(TableSpec spec) {
    auto& cols = tables_[spec.name];
    cols.insert(spec.columns.begin(), spec.columns.end());
    cols.insert(kDeletedColumn);
}

Status Replica::load_clock() {
    // Several connections of one device (UI, sync worker) share the persisted clock; each write
    // transaction reloads it so no two changes ever get the same stamp. The persisted value is
    // taken even when lower than this connection's: only a clock correction lowers it, and it
    // saved the latest stamp it kept.
    auto& st = db_.cached("SELECT key, value FROM crr_meta WHERE key IN ('hlc', 'clock_offset_ms')");
    std::optional<Hlc> last;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        if (q.text(0) == "hlc")
            last = Hlc::parse(q.text(1));
        else
            offset_ms_ = std::strtoll(q.text(1).c_str(), nullptr, 10);
    }));
    if (last) clock_ = HlcClock(device_, *last);
    return {};
}

Status Replica::set_clock_offset(int64_t offset_ms) {
    auto& st = db_.cached(
        "INSERT INTO crr_meta(key, value) VALUES('clock_offset_ms', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    LIAISON_TRY(st.bind(1, std::to_string(offset_ms)).run());
    offset_ms_ = offset_ms;
    return {};
}

Status Replica::save_clock() {
    auto& st = db_.cached(
        "INSERT INTO crr_meta(key, value) VALUES('hlc', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    return st.bind(1, clock_.last().str()).run();
}

Status Replica::validate(const FieldChange& c) const {
    auto t = tables_.find(c.table);
    if (t == tables_.end()) return invalid("unknown table '" + c.table + "'");
    if (is_row_change(c)) {
        LIAISON_ASSIGN_OR_RETURN(auto fields, row_fields(c.value));
        for (const auto& f : fields)
            if (f.first == kDeletedColumn || !t->second.count(f.first))
                return invalid("unknown column '" + c.table + "." + f.first + "'");
        if (!c.supersedes.empty()) return invalid("a row change supersedes nothing");
        if (c.hlc.counter > UINT32_MAX - (fields.size() - 1)) return invalid("a row change's stamps overflow");
    } else if (!t->second.count(c.column)) {
        return invalid("unknown column '" + c.table + "." + c.column + "'");
    }
    if (c.hlc.node.empty()) return invalid("change without a device");
    if (c.row.empty() || c.row.size() > 64) return invalid("bad row id");
    if (c.scope.empty()) return invalid("change without a scope");
    if (c.column == kDeletedColumn && c.value != "0" && c.value != "1") return invalid("a tombstone is 0 or 1");
    return {};
}

Result<std::string> Replica::read_domain_value(const std::string& table, const std::string& row,
                                               const std::string& col) {
    auto& st = db_.cached("SELECT \"" + col + "\" FROM \"" + table + "\" WHERE id = ?");
    st.bind(1, row);
    auto r = st.step();
    if (!r) return r.error();
    if (!*r) return std::string("null");
    return column_json(st, 0);
}

Status Replica::write_domain_value(const std::string& table, const std::string& row, const std::string& col,
                                   const std::string& value_json) {
    auto& ins = db_.cached("INSERT INTO \"" + table + "\"(id) VALUES(?) ON CONFLICT(id) DO NOTHING");
    LIAISON_TRY(ins.bind(1, row).run());
    auto& up = db_.cached("UPDATE \"" + table + "\" SET \"" + col + "\" = ? WHERE id = ?");
    LIAISON_TRY(bind_json(up, 1, value_json));
    return up.bind(2, row).run();
}

Result<std::optional<Hlc>> Replica::field_clock(const std::string& table, const std::string& row,
                                                const std::string& col) {
    auto& w = db_.cached("SELECT col, hlc FROM crr_clock WHERE tbl = ? AND row = ? AND col IN (?, '*')");
    w.bind(1, table).bind(2, row).bind(3, col);
    std::optional<Hlc> own, created;
    LIAISON_TRY(w.for_each_row([&](const db::Stmt& q) -> Status {
        auto hlc = Hlc::parse(q.text(1));
        if (!hlc) return Error{Error::Kind::Corrupt, "bad clock row"};
        (q.text(0) == kRowColumn ? created : own) = *hlc;
        return {};
    }));
    if (own || !created) return own;
    // No version of its own: the field's version is its row change's, if the row change named it.
    LIAISON_ASSIGN_OR_RETURN(auto fields, row_change_fields(*created));
    for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i].first == col) return std::optional<Hlc>(field_stamp(*created, i));
    return std::optional<Hlc>();
}

Result<RowFields> Replica::row_change_fields(const Hlc& hlc) {
    auto& st = db_.cached("SELECT value FROM crr_log WHERE hlc = ? AND col = '*'");
    st.bind(1, hlc.str());
    auto r = st.step();
    if (!r) return r.error();
    if (!*r) return Error{Error::Kind::Corrupt, "a row's clock names no row change"};
    const std::string value = st.text(0);
    st.reset();
    return row_fields(value);
}

Result<std::vector<std::pair<std::string, Hlc>>> Replica::field_clocks(const std::string& table,
                                                                       const std::string& row) {
    std::vector<std::pair<std::string, Hlc>> out;
    std::optional<Hlc> created;
    auto& st = db_.cached("SELECT col, hlc FROM crr_clock WHERE tbl = ? AND row = ? AND col <> '_deleted'");
    st.bind(1, table).bind(2, row);
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        auto h = Hlc::parse(q.text(1));
        if (!h) return;
        if (q.text(0) == kRowColumn)
            created = *h;
        else
            out.emplace_back(q.text(0), *h);
    }));
    if (!created) return out;
    LIAISON_ASSIGN_OR_RETURN(auto fields, row_change_fields(*created));
    for (size_t i = 0; i < fields.size(); ++i) {
        const auto& col = fields[i].first;
        if (std::none_of(out.begin(), out.end(), [&](const auto& f) { return f.first == col; }))
            out.emplace_back(col, field_stamp(*created, i));
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<FieldHeads> Replica::load_heads(const FieldChange& c) {
    FieldHeads h;
    LIAISON_ASSIGN_OR_RETURN(auto winner, field_clock(c.table, c.row, c.column));
    if (winner) {
        auto v = read_domain_value(c.table, c.row, c.column);
        if (!v) return v.error();
        h.heads.push_back(Version{*winner, *v});
    }
    auto& cs = db_.cached("SELECT hlc, value FROM crr_conflict WHERE tbl = ? AND row = ? AND col = ?");
    cs.bind(1, c.table).bind(2, c.row).bind(3, c.column);
    LIAISON_TRY(cs.for_each_row([&](const db::Stmt& q) -> Status {
        auto hlc = Hlc::parse(q.text(0));
        if (!hlc) return Error{Error::Kind::Corrupt, "bad conflict row"};
        h.heads.push_back(Version{*hlc, q.text(1)});
        return {};
    }));
    std::sort(h.heads.begin(), h.heads.end(), [](const Version& a, const Version& b) { return b.hlc < a.hlc; });
    return h;
}

Status Replica::store_heads(const FieldChange& c, const FieldHeads& before, const FieldHeads& after) {
    const Version* bw = before.winner();
    const Version* aw = after.winner();
    if (aw && (!bw || bw->hlc != aw->hlc)) {
        LIAISON_TRY(write_domain_value(c.table, c.row, c.column, aw->value));
        auto& st = db_.cached(
            "INSERT INTO crr_clock(tbl, row, col, hlc) VALUES(?, ?, ?, ?) "
            "ON CONFLICT(tbl, row, col) DO UPDATE SET hlc = excluded.hlc");
        LIAISON_TRY(st.bind(1, c.table).bind(2, c.row).bind(3, c.column).bind(4, aw->hlc.str()).run());
        if (on_row_changed_) on_row_changed_(c.table, c.row);
    }
    auto losers = [](const FieldHeads& f) {
        return std::vector<Version>(f.heads.size() > 1 ? f.heads.begin() + 1 : f.heads.end(), f.heads.end());
    };
    const auto bl = losers(before), al = losers(after);
    for (const auto& v : bl) {
        if (std::find(al.begin(), al.end(), v) != al.end()) continue;
        auto& del = db_.cached("DELETE FROM crr_conflict WHERE tbl = ? AND row = ? AND col = ? AND hlc = ?");
        LIAISON_TRY(del.bind(1, c.table).bind(2, c.row).bind(3, c.column).bind(4, v.hlc.str()).run());
    }
    for (const auto& v : al) {
        if (std::find(bl.begin(), bl.end(), v) != bl.end()) continue;
        auto& ins = db_.cached("INSERT OR REPLACE INTO crr_conflict(tbl, row, col, hlc, value) VALUES(?, ?, ?, ?, ?)");
        LIAISON_TRY(ins.bind(1, c.table).bind(2, c.row).bind(3, c.column).bind(4, v.hlc.str()).bind(5, v.value).run());
    }
    return {};
}

Status Replica::apply_one(const FieldChange& c, bool local, bool* applied) {
    *applied = false;
    if (!local) {
        auto& known = db_.cached("SELECT col FROM crr_log WHERE hlc = ?");
        known.bind(1, c.hlc.str());
        auto r = known.step();
        if (!r) return r.error();
        const bool spelled_out = *r && is_row_change(c) && known.text(0) != kRowColumn;
        known.reset();
        if (spelled_out) {
            // Its first field came spelled out as a field change: the rest go the same way.
            LIAISON_ASSIGN_OR_RETURN(auto fields, expand_change(c));
            for (const auto& f : fields) {
                bool one = false;
                LIAISON_TRY(apply_one(f, false, &one));
                *applied = *applied || one;
            }
            return {};
        }
        if (*r) return {};
    }
    if (is_row_change(c)) {
        LIAISON_ASSIGN_OR_RETURN(bool fresh, row_is_fresh(c.table, c.row));
        if (fresh) {
            LIAISON_ASSIGN_OR_RETURN(auto fields, row_fields(c.value));
            LIAISON_TRY(insert_fresh(c.table, c.row, c.hlc, fields));
        } else {
            // The row is known already (an edit arrived first, or another device created it
            // too): its fields merge one by one, as the field changes the row change stands for.
            LIAISON_ASSIGN_OR_RETURN(auto fields, expand_change(c));
            for (const auto& f : fields) LIAISON_TRY(merge_one(f));
        }
    } else {
        LIAISON_ASSIGN_OR_RETURN(auto rows, row_changes_of(c.table, c.row));
        // A field version already known as part of a row change (a feed that spelled it out).
        for (const auto& [hlc, fields] : rows)
            if (!local && in_row_block(hlc, fields.size(), c.hlc)) return {};
        LIAISON_TRY(merge_one(c));
    }
    auto& log = db_.cached(
        "INSERT INTO crr_log(hlc, tbl, row, col, value, supersedes, scope, extra, author, local) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    log.bind(1, c.hlc.str()).bind(2, c.table).bind(3, c.row).bind(4, c.column).bind(5, c.value);
    log.bind(6, join_hlcs(c.supersedes)).bind(7, c.scope).bind(8, c.extra).bind(9, c.author);
    log.bind(10, static_cast<int64_t>(local ? 1 : 0));
    LIAISON_TRY(log.run());
    *applied = true;
    return {};
}

Result<bool> Replica::row_is_fresh(const std::string& table, const std::string& row) {
    auto& present = db_.cached("SELECT 1 FROM \"" + table + "\" WHERE id = ?");
    present.bind(1, row);
    auto in_table = present.step();
    if (!in_table) return in_table.error();
    present.reset();
    if (*in_table) return false;
    // A change superseded on arrival leaves no row but a log entry (and superseded versions).
    auto& logged = db_.cached("SELECT 1 FROM crr_log WHERE tbl = ? AND row = ? LIMIT 1");
    logged.bind(1, table).bind(2, row);
    auto in_log = logged.step();
    if (!in_log) return in_log.error();
    logged.reset();
    return !*in_log;
}

Result<std::vector<std::pair<Hlc, RowFields>>> Replica::row_changes_of(const std::string& table,
                                                                       const std::string& row) {
    std::vector<std::pair<Hlc, RowFields>> out;
    auto& st = db_.cached("SELECT hlc, value FROM crr_log WHERE tbl = ? AND row = ? AND col = '*'");
    st.bind(1, table).bind(2, row);
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) -> Status {
        auto h = Hlc::parse(q.text(0));
        auto fields = row_fields(q.text(1));
        if (!h || !fields) return Error{Error::Kind::Corrupt, "bad row change in the log"};
        out.emplace_back(*h, std::move(*fields));
        return {};
    }));
    return out;
}

// Whether a known version of c's field holds c's value with a later stamp (it hides c).
Result<bool> Replica::hidden_by_equal(const FieldChange& c) {
    auto& same = db_.cached("SELECT 1 FROM crr_log WHERE tbl = ? AND row = ? AND col = ? AND value = ? AND hlc > ?");
    same.bind(1, c.table).bind(2, c.row).bind(3, c.column).bind(4, c.value).bind(5, c.hlc.str());
    auto hidden = same.step();
    if (!hidden) return hidden.error();
    same.reset();
    if (*hidden) return true;
    LIAISON_ASSIGN_OR_RETURN(auto rows, row_changes_of(c.table, c.row));
    for (const auto& [hlc, fields] : rows)
        for (size_t i = 0; i < fields.size(); ++i)
            if (fields[i].first == c.column && fields[i].second == c.value && c.hlc < field_stamp(hlc, i)) return true;
    return false;
}

Status Replica::merge_one(const FieldChange& c) {
    auto& sup = db_.cached("SELECT 1 FROM crr_superseded WHERE tbl = ? AND row = ? AND col = ? AND hlc = ?");
    sup.bind(1, c.table).bind(2, c.row).bind(3, c.column).bind(4, c.hlc.str());
    auto superseded = sup.step();
    if (!superseded) return superseded.error();
    bool is_superseded = *superseded;
    sup.reset();
    if (!is_superseded) {
        LIAISON_ASSIGN_OR_RETURN(is_superseded, hidden_by_equal(c));
    }
    auto before = load_heads(c);
    if (!before) return before.error();
    const FieldHeads after = merge_field(*before, c, is_superseded);
    for (const auto& s : c.supersedes) {
        auto& ins = db_.cached("INSERT OR IGNORE INTO crr_superseded(tbl, row, col, hlc) VALUES(?, ?, ?, ?)");
        LIAISON_TRY(ins.bind(1, c.table).bind(2, c.row).bind(3, c.column).bind(4, s.str()).run());
    }
    return store_heads(c, *before, after);
}

Result<FieldChange> Replica::local_change(const std::string& table, const std::string& row, const std::string& col,
                                          const std::string& scope, std::string value_json,
                                          std::vector<Hlc> supersedes) {
    FieldChange c;
    c.table = table;
    c.row = row;
    c.column = col;
    c.scope = scope;
    c.value = std::move(value_json);
    c.author = author_;
    LIAISON_ASSIGN_OR_RETURN(auto current, field_clock(table, row, col));
    if (current) supersedes.push_back(*current);
    std::sort(supersedes.begin(), supersedes.end());
    supersedes.erase(std::unique(supersedes.begin(), supersedes.end()), supersedes.end());
    c.supersedes = std::move(supersedes);
    stamp_after_superseded(c);
    return c;
}

// An edit must be stamped after every version it replaces, also one a little ahead of this
// device's clock. A version further ahead than kObserveMaxAheadMs came from a clock that was
// wrong: following it would stamp every later edit there too (and the server refuses those),
// so the edit does not claim to replace it. Both stay heads, shown as a conflict: nothing lost.
void Replica::stamp_after_superseded(FieldChange& c) {
    const int64_t now = wall_ms();
    for (const auto& s : c.supersedes)
        if (!(s < clock_.last())) clock_.observe(s, now);
    c.hlc = clock_.tick(now);
    c.supersedes.erase(
        std::remove_if(c.supersedes.begin(), c.supersedes.end(), [&](const Hlc& s) { return !(s < c.hlc); }),
        c.supersedes.end());
}

Status Replica::write(const std::string& table, const std::string& row, const std::string& scope,
                      const std::vector<std::pair<std::string, Value>>& fields) {
    auto t = tables_.find(table);
    if (t == tables_.end()) return invalid("unknown table '" + table + "'");
    std::vector<std::string> canon;
    canon.reserve(fields.size());
    for (const auto& [col, v] : fields) {
        if (col == kDeletedColumn || !t->second.count(col))
            return invalid(std::string("unknown column '").append(table).append(".").append(col).append("'"));
        auto c = canonical_value(v);
        if (!c) return invalid(col + ": " + c.error().message);
        LIAISON_TRY(check_local(table, col, *c));
        canon.push_back(std::move(*c));
    }
    LIAISON_TRY(load_clock());
    LIAISON_ASSIGN_OR_RETURN(bool fresh, row_is_fresh(table, row));
    if (fresh) {
        // One change for the whole new row (docs/replication.md, "Row changes").
        RowFields row_fields_in;
        for (size_t i = 0; i < fields.size(); ++i) row_fields_in.emplace_back(fields[i].first, std::move(canon[i]));
        std::sort(row_fields_in.begin(), row_fields_in.end());
        for (size_t i = 1; i < row_fields_in.size(); ++i)
            if (row_fields_in[i].first == row_fields_in[i - 1].first)
                return invalid("column '" + row_fields_in[i].first + "' written twice");
        const Hlc h = clock_.tick_block(wall_ms(), static_cast<uint32_t>(row_fields_in.size()));
        const FieldChange c = make_row_change(h, table, row, scope, author_, std::move(row_fields_in));
        bool applied = false;
        LIAISON_TRY(apply_one(c, true, &applied));
    } else {
        for (size_t i = 0; i < fields.size(); ++i) {
            auto c = local_change(table, row, fields[i].first, scope, std::move(canon[i]), {});
            if (!c) return c.error();
            bool applied = false;
            LIAISON_TRY(apply_one(*c, true, &applied));
        }
    }
    LIAISON_TRY(flush());
    return save_clock();
}

// A row no change has ever touched has no heads, conflicts or superseded versions, so merging
// its row change reduces to "its fields become the values": the row is written once, and one
// clock row under the pseudo-column '*' gives every field its version (field_clock).
Status Replica::insert_fresh(const std::string& table, const std::string& row, const Hlc& hlc,
                             const RowFields& fields) {
    std::string cols = "id", marks = "?";
    for (const auto& f : fields) {
        cols += ", \"" + f.first + "\"";
        marks += ", ?";
    }
    auto& ins = db_.cached("INSERT INTO \"" + table + "\"(" + cols + ") VALUES(" + marks + ")");
    ins.bind(1, row);
    for (size_t i = 0; i < fields.size(); ++i) LIAISON_TRY(bind_json(ins, static_cast<int>(i) + 2, fields[i].second));
    LIAISON_TRY(ins.run());
    auto& ck = db_.cached("INSERT INTO crr_clock(tbl, row, col, hlc) VALUES(?, ?, '*', ?)");
    LIAISON_TRY(ck.bind(1, table).bind(2, row).bind(3, hlc.str()).run());
    if (on_row_changed_) on_row_changed_(table, row);
    return {};
}

Status Replica::check_local(const std::string& table, const std::string& column, const std::string& value_json) const {
    if (author_.size() > kMaxAuthorBytes)
        return invalid("the author's name is longer than " + std::to_string(kMaxAuthorBytes) + " bytes");
    return field_check_ ? field_check_(table, column, value_json) : Status{};
}

Status Replica::remove(const std::string& table, const std::string& row, const std::string& scope) {
    if (!tables_.count(table)) return invalid("unknown table '" + table + "'");
    LIAISON_TRY(check_local(table, kDeletedColumn, "1"));
    LIAISON_TRY(load_clock());
    std::vector<Hlc> seen;
    LIAISON_ASSIGN_OR_RETURN(auto clocks, field_clocks(table, row));
    for (const auto& f : clocks) seen.push_back(f.second);
    auto c = local_change(table, row, kDeletedColumn, scope, "1", std::move(seen));
    if (!c) return c.error();
    bool applied = false;
    LIAISON_TRY(apply_one(*c, true, &applied));
    LIAISON_TRY(flush());
    return save_clock();
}

bool Replica::exists(const std::string& table, const std::string& row) {
    if (!tables_.count(table)) return false;
    auto& st = db_.cached("SELECT 1 FROM \"" + table + "\" WHERE id = ? AND _deleted = 0");
    st.bind(1, row);
    auto r = st.step();
    return r && *r;
}

std::optional<std::string> Replica::scope_of(const std::string& table, const std::string& row) {
    auto& st = db_.cached("SELECT scope FROM crr_log WHERE tbl = ? AND row = ? LIMIT 1");
    st.bind(1, table).bind(2, row);
    auto r = st.step();
    if (!r || !*r) return std::nullopt;
    return st.text(0);
}

Result<ApplyStats> Replica::apply_remote(const std::vector<FieldChange>& changes) {
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db_));
    auto stats = apply_remote_in_tx(changes);
    if (!stats) return stats.error();
    LIAISON_TRY(tx.commit());
    return stats;
}

Result<ApplyStats> Replica::apply_remote_in_tx(const std::vector<FieldChange>& changes) {
    for (const auto& c : changes) LIAISON_TRY(validate(c));
    LIAISON_TRY(load_clock());
    ApplyStats stats;
    for (const auto& c : changes) {
        bool applied = false;
        LIAISON_TRY(apply_one(c, false, &applied));
        if (applied) {
            ++stats.applied;
            clock_.observe(c.hlc, wall_ms());
        } else {
            ++stats.duplicates;
        }
    }
    LIAISON_TRY(flush());
    LIAISON_TRY(save_clock());
    return stats;
}

namespace {
// The stamps of crr_* tables that name a version, rewritten from the map crr_restamp(old, new).
// The new text goes in behind a '#' first (it sorts before every digit) so that no unique key
// sees an old and a new stamp collide half-way, then the mark is taken off.
Status apply_restamp_map(db::Db& db) {
    for (const char* t : {"crr_log", "crr_clock", "crr_conflict", "crr_superseded"}) {
        const std::string tbl = t;
        std::string mark = "UPDATE ";
        mark.append(tbl).append(" SET hlc = '#' || (SELECT new FROM crr_restamp WHERE old = ").append(tbl);
        mark.append(".hlc) WHERE hlc IN (SELECT old FROM crr_restamp)");
        LIAISON_TRY(db.exec(mark));
        LIAISON_TRY(db.exec("UPDATE " + tbl + " SET hlc = substr(hlc, 2) WHERE hlc < '0'"));
    }
    return {};
}
}  // namespace

Result<size_t> Replica::restamp_unsent(int64_t shift_ms) {
    LIAISON_TRY(load_clock());
    struct Unsent {
        int64_t seq;
        Hlc hlc;
        std::vector<Hlc> supersedes;
        size_t versions;  // a row change names one per field
    };
    std::vector<Unsent> unsent;
    {
        auto& st = db_.cached(
            "SELECT seq, hlc, supersedes, col, value FROM crr_log WHERE local = 1 AND pushed <> 1 ORDER BY seq");
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) -> Status {
            auto h = Hlc::parse(q.text(1));
            if (!h) return Error{Error::Kind::Corrupt, "bad change id in the log"};
            size_t versions = 1;
            if (q.text(3) == kRowColumn) {
                auto fields = row_fields(q.text(4));
                if (!fields) return Error{Error::Kind::Corrupt, "bad row change in the log"};
                versions = fields->size();
            }
            unsent.push_back(Unsent{q.i64(0), *h, split_hlcs(q.text(2)), versions});
            return {};
        }));
    }
    // The new stamps start after the latest one that stays and is within reach of the corrected
    // clock (a stamp further ahead came from a wrong clock and must not pull these along).
    const int64_t now = wall_ms();
    Hlc floor;
    {
        auto& st = db_.cached("SELECT max(hlc) FROM crr_log WHERE NOT (local = 1 AND pushed <> 1) AND hlc < ?");
        st.bind(1, Hlc{std::min(now + kObserveMaxAheadMs + 1, kMaxWallMs), 0, ""}.str());
        auto r = st.step();
        if (!r) return r.error();
        if (*r && st.type(0) != SQLITE_NULL) floor = Hlc::parse(st.text(0)).value_or(Hlc{});
        st.reset();
    }
    HlcClock fresh(device_, floor);
    if (unsent.empty()) {
        clock_ = fresh;
        LIAISON_TRY(save_clock());
        return size_t{0};
    }
    LIAISON_TRY(
        db_.exec("CREATE TEMP TABLE IF NOT EXISTS crr_restamp(old TEXT PRIMARY KEY, new TEXT NOT NULL); "
                 "DELETE FROM crr_restamp"));
    std::map<Hlc, Hlc> renamed;
    for (auto& u : unsent) {
        const int64_t moved = std::clamp<int64_t>(u.hlc.wall_ms + shift_ms, 0, now);
        const Hlc h = fresh.tick_block(moved, static_cast<uint32_t>(u.versions));
        for (size_t i = 0; i < u.versions; ++i) {
            renamed[field_stamp(u.hlc, i)] = field_stamp(h, i);
            auto& map = db_.cached("INSERT INTO crr_restamp(old, new) VALUES(?, ?)");
            LIAISON_TRY(map.bind(1, field_stamp(u.hlc, i).str()).bind(2, field_stamp(h, i).str()).run());
        }
        for (auto& s : u.supersedes)
            if (auto it = renamed.find(s); it != renamed.end()) s = it->second;
        auto& up = db_.cached("UPDATE crr_log SET supersedes = ?, pushed = 0 WHERE seq = ? AND pushed = 3");
        LIAISON_TRY(up.bind(1, join_hlcs(u.supersedes)).bind(2, u.seq).run());
        auto& sup = db_.cached("UPDATE crr_log SET supersedes = ? WHERE seq = ?");
        LIAISON_TRY(sup.bind(1, join_hlcs(u.supersedes)).bind(2, u.seq).run());
    }
    LIAISON_TRY(apply_restamp_map(db_));
    LIAISON_TRY(db_.exec("DELETE FROM crr_restamp"));
    clock_ = HlcClock(device_, fresh.last());
    LIAISON_TRY(save_clock());
    return unsent.size();
}

Result<size_t> Replica::correct_clock(int64_t measured_offset_ms, int64_t tolerance_ms) {
    LIAISON_TRY(load_clock());
    const int64_t delta = measured_offset_ms - offset_ms_;
    if (delta >= -tolerance_ms && delta <= tolerance_ms) return size_t{0};
    LIAISON_TRY(set_clock_offset(measured_offset_ms));
    if (delta >= -kMaxClockAheadMs && delta <= kMaxClockAheadMs) return size_t{0};
    return restamp_unsent(delta);
}

Result<std::vector<OutboxEntry>> Replica::pending(size_t limit, int64_t after_seq) {
    auto& st = db_.cached(std::string("SELECT seq, ") + kLogCols +
                          " FROM crr_log WHERE local = 1 AND pushed = 0 AND seq > ? ORDER BY seq LIMIT ?");
    st.bind(1, after_seq).bind(2, static_cast<int64_t>(limit));
    std::vector<OutboxEntry> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        out.push_back(OutboxEntry{q.i64(0), change_from_row(q, 1)});
    }));
    return out;
}

Result<int64_t> Replica::pending_count() {
    auto& st = db_.cached("SELECT count(*) FROM crr_log WHERE local = 1 AND pushed = 0");
    auto r = st.step();
    if (!r) return r.error();
    const int64_t n = st.i64(0);
    st.reset();
    return n;
}

Status Replica::mark_pushed(const std::vector<int64_t>& seqs) {
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db_));
    for (int64_t s : seqs) {
        auto& st = db_.cached("UPDATE crr_log SET pushed = 1 WHERE seq = ?");
        LIAISON_TRY(st.bind(1, s).run());
    }
    return tx.commit();
}

Result<std::vector<OutboxEntry>> Replica::log_after(int64_t after, const std::vector<std::string>& scopes,
                                                    size_t limit) {
    std::string sql = std::string("SELECT seq, ") + kLogCols + " FROM crr_log WHERE seq > ?";
    if (!scopes.empty()) {
        sql += " AND scope IN (";
        for (size_t i = 0; i < scopes.size(); ++i) sql += i ? ", ?" : "?";
        sql += ")";
    }
    sql += " ORDER BY seq LIMIT ?";
    auto& st = db_.cached(sql);
    int i = 1;
    st.bind(i++, after);
    for (const auto& s : scopes) st.bind(i++, s);
    st.bind(i, static_cast<int64_t>(limit));
    std::vector<OutboxEntry> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        out.push_back(OutboxEntry{q.i64(0), change_from_row(q, 1)});
    }));
    return out;
}

Result<std::vector<FieldChange>> Replica::history(const std::string& table, const std::string& row) {
    auto& st = db_.cached(std::string("SELECT ") + kLogCols + " FROM crr_log WHERE tbl = ? AND row = ? ORDER BY hlc");
    st.bind(1, table).bind(2, row);
    std::vector<FieldChange> logged;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) { logged.push_back(change_from_row(q, 0)); }));
    // The audit trail is per field: a row change shows as the field changes it stands for.
    LIAISON_ASSIGN_OR_RETURN(auto out, expand_changes(logged));
    std::stable_sort(out.begin(), out.end(), [](const FieldChange& a, const FieldChange& b) { return a.hlc < b.hlc; });
    return out;
}

Result<std::vector<Conflict>> Replica::conflicts() {
    std::vector<Conflict> out;
    // Field conflicts: losing heads kept beside the winner.
    auto& st = db_.cached("SELECT tbl, row, col, hlc, value FROM crr_conflict ORDER BY tbl, row, col, hlc");
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        Conflict c;
        c.table = q.text(0);
        c.row = q.text(1);
        c.column = q.text(2);
        c.id = q.text(3);
        c.loser = Version{Hlc::parse(c.id).value_or(Hlc{}), q.text(4)};
        out.push_back(std::move(c));
    }));
    for (auto& c : out) {
        LIAISON_ASSIGN_OR_RETURN(auto winner, field_clock(c.table, c.row, c.column));
        c.winner.hlc = winner.value_or(Hlc{});
        auto v = read_domain_value(c.table, c.row, c.column);
        if (!v) return v.error();
        c.winner.value = *v;
        c.loser_is_mine = c.loser.hlc.node == device_;
    }
    // Delete conflicts: a deleted row whose field holds a version the delete had not seen.
    auto& dels = db_.cached(
        "SELECT k.tbl, k.row, k.hlc, l.supersedes FROM crr_clock k "
        "JOIN crr_log l ON l.hlc = k.hlc "
        "WHERE k.col = '_deleted' AND l.value = '1'");
    std::vector<std::tuple<std::string, std::string, std::string, std::vector<Hlc>>> deleted;
    LIAISON_TRY(dels.for_each_row(
        [&](const db::Stmt& q) { deleted.emplace_back(q.text(0), q.text(1), q.text(2), split_hlcs(q.text(3))); }));
    for (const auto& [tbl, row, del_hlc, seen] : deleted) {
        LIAISON_ASSIGN_OR_RETURN(auto fields, field_clocks(tbl, row));
        for (const auto& [col, hlc] : fields) {
            if (std::find(seen.begin(), seen.end(), hlc) != seen.end()) continue;
            Conflict c;
            c.id = hlc.str();
            c.table = tbl;
            c.row = row;
            c.column = col;
            c.delete_conflict = true;
            c.winner = Version{Hlc::parse(del_hlc).value_or(Hlc{}), "null"};
            auto v = read_domain_value(tbl, row, col);
            if (!v) return v.error();
            c.loser = Version{hlc, *v};
            c.loser_is_mine = hlc.node == device_;
            out.push_back(std::move(c));
        }
    }
    return out;
}

Result<int64_t> Replica::conflict_count() {
    auto all = conflicts();
    if (!all) return all.error();
    return static_cast<int64_t>(all->size());
}

Status Replica::resolve(const std::string& conflict_id, const Value& chosen) {
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db_));
    LIAISON_TRY(resolve_in_tx(conflict_id, chosen));
    return tx.commit();
}

Status Replica::resolve_in_tx(const std::string& conflict_id, const Value& chosen) {
    auto all = conflicts();
    if (!all) return all.error();
    auto it = std::find_if(all->begin(), all->end(), [&](const Conflict& c) { return c.id == conflict_id; });
    if (it == all->end()) return not_found("no open conflict " + conflict_id);
    const Conflict c = *it;
    const std::string scope = scope_of(c.table, c.row).value_or(kReferenceScope);
    LIAISON_TRY(load_clock());
    bool applied = false;
    if (c.delete_conflict) {
        if (chosen.is_null()) {
            // Keep the delete: a new tombstone that has now seen the concurrent edit.
            std::vector<Hlc> seen{c.loser.hlc};
            LIAISON_ASSIGN_OR_RETURN(auto clocks, field_clocks(c.table, c.row));
            for (const auto& f : clocks) seen.push_back(f.second);
            auto ch = local_change(c.table, c.row, kDeletedColumn, scope, "1", std::move(seen));
            if (!ch) return ch.error();
            LIAISON_TRY(apply_one(*ch, true, &applied));
        } else {
            // Keep the edit: bring the row back.
            auto ch = local_change(c.table, c.row, kDeletedColumn, scope, "0", {});
            if (!ch) return ch.error();
            LIAISON_TRY(apply_one(*ch, true, &applied));
        }
        LIAISON_TRY(flush());
        return save_clock();
    }
    auto canon = canonical_value(chosen);
    if (!canon) return canon.error();
    LIAISON_TRY(check_local(c.table, c.column, *canon));
    auto ch = local_change(c.table, c.row, c.column, scope, std::move(*canon), {c.loser.hlc, c.winner.hlc});
    if (!ch) return ch.error();
    LIAISON_TRY(apply_one(*ch, true, &applied));
    LIAISON_TRY(flush());
    return save_clock();
}

}  // namespace liaison::sync
