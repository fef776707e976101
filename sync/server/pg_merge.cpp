#include "sync/server/pg_merge.h"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sync/core/merge.h"
#include "sync/replica/replica.h"

namespace liaison::server::pg {
namespace {

using sync::FieldChange;
using sync::FieldHeads;
using sync::Hlc;
using sync::Version;

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

std::string join_hlcs(const std::vector<Hlc>& hs) {
    std::string s;
    for (const auto& h : hs) s += (s.empty() ? "" : " ") + h.str();
    return s;
}

// A 32-bit key for a row's advisory lock (FNV-1a): the same on every process. Two rows that
// share a key only wait for each other.
int32_t row_lock_key(const RowKey& k) {
    uint32_t h = 2166136261u;
    auto mix = [&](const std::string& s) {
        for (unsigned char ch : s) h = (h ^ ch) * 16777619u;
    };
    mix(k.first);
    mix(std::string(1, '\x1f'));
    mix(k.second);
    return static_cast<int32_t>(h);
}

// Advisory lock classes (the first key): 1 = a domain row being merged. (2 = a station's
// enrolments, 3 = schema migration: pg_storage.cpp, pg_schema.cpp.)
constexpr int kRowLockClass = 1;

}  // namespace

Result<Param> column_param(ColumnKind kind, const std::string& value_json) {
    auto v = nlohmann::json::parse(value_json, nullptr, false);
    if (v.is_discarded()) return invalid("stored value is not JSON");
    if (v.is_null()) return Param();
    // As SQLite stores it and reads it back (sync::canonical_value): true is 1, 1.50 is 1.5.
    LIAISON_ASSIGN_OR_RETURN(auto canon, sync::canonical_value(v));
    switch (kind) {
        case ColumnKind::Json: return Param(canon);
        case ColumnKind::Integer:
        case ColumnKind::Real:
            if (!v.is_number() && !v.is_boolean()) return invalid("a number column given " + canon);
            return Param(canon);
        case ColumnKind::Text: return Param(v.is_string() ? v.get<std::string>() : canon);
    }
    return Param(canon);
}

std::string column_json(ColumnKind kind, const std::optional<std::string>& stored) {
    if (!stored) return "null";
    switch (kind) {
        case ColumnKind::Json:
        case ColumnKind::Integer: return *stored;
        case ColumnKind::Real: return nlohmann::json(std::strtod(stored->c_str(), nullptr)).dump();
        case ColumnKind::Text: return nlohmann::json(*stored).dump();
    }
    return *stored;
}

ColumnKind Merger::kind(const std::string& table, const std::string& col) const {
    auto t = catalog_.find(table);
    if (t == catalog_.end()) return ColumnKind::Json;
    auto c = t->second.find(col);
    return c == t->second.end() ? ColumnKind::Json : c->second;
}

Status Merger::lock_rows(const std::set<RowKey>& rows) {
    std::set<int32_t> keys;
    for (const auto& r : rows) keys.insert(row_lock_key(r));
    if (keys.empty()) return {};
    std::string list;
    for (int32_t k : keys) list += (list.empty() ? "" : ",") + std::to_string(k);
    // The keys go in ascending (the set's order): every transaction takes them in that order.
    return c_.run(
        "SELECT count(*) FROM (SELECT pg_advisory_xact_lock($1::integer, k) "
        "FROM unnest(string_to_array($2, ',')::integer[]) AS k) locked",
        {p(static_cast<int64_t>(kRowLockClass)), p(list)});
}

Result<std::optional<std::string>> Merger::scope_of(const std::string& table, const std::string& row) {
    LIAISON_ASSIGN_OR_RETURN(
        auto r, c_.query("SELECT scope FROM crr_log WHERE tbl = $1 AND \"row\" = $2 LIMIT 1", {p(table), p(row)}));
    if (r.size() == 0) return std::optional<std::string>();
    return std::optional<std::string>(r.text(0, 0));
}

Result<std::string> Merger::read_value(const std::string& table, const std::string& row, const std::string& col) {
    LIAISON_ASSIGN_OR_RETURN(auto r,
                             c_.query("SELECT " + quoted(col) + " FROM " + quoted(table) + " WHERE id = $1", {p(row)}));
    if (r.size() == 0) return std::string("null");
    return column_json(kind(table, col), r.opt_text(0, 0));
}

Result<std::optional<Hlc>> Merger::clock_of(const std::string& table, const std::string& row, const std::string& col) {
    LIAISON_ASSIGN_OR_RETURN(auto r, c_.query("SELECT hlc FROM crr_clock WHERE tbl = $1 AND \"row\" = $2 AND col = $3",
                                              {p(table), p(row), p(col)}));
    if (r.size() == 0) return std::optional<Hlc>();
    return Hlc::parse(r.text(0, 0));
}

Result<std::vector<Hlc>> Merger::row_clocks(const std::string& table, const std::string& row) {
    LIAISON_ASSIGN_OR_RETURN(auto r,
                             c_.query("SELECT hlc FROM crr_clock WHERE tbl = $1 AND \"row\" = $2 AND col <> '_deleted'",
                                      {p(table), p(row)}));
    std::vector<Hlc> out;
    for (int i = 0; i < r.size(); ++i)
        if (auto h = Hlc::parse(r.text(i, 0))) out.push_back(*h);
    return out;
}

Status Merger::write_value(const std::string& table, const std::string& row, const std::string& col,
                           const std::string& value_json) {
    LIAISON_ASSIGN_OR_RETURN(auto v, column_param(kind(table, col), value_json));
    return c_.run("INSERT INTO " + quoted(table) + "(id, " + quoted(col) +
                      ") VALUES($1, $2) ON CONFLICT(id) DO UPDATE SET " + quoted(col) + " = excluded." + quoted(col),
                  {p(row), v});
}

Status Merger::apply(const FieldChange& c, bool local, bool* applied) {
    *applied = false;
    const std::string hlc = c.hlc.str();
    // One round trip for what decides the merge: known already, superseded by a known change or
    // hidden by the same value stamped later (sync/core/merge.h), and the field's winning stamp.
    LIAISON_ASSIGN_OR_RETURN(
        auto q,
        c_.query("SELECT EXISTS(SELECT 1 FROM crr_log WHERE hlc = $5), "
                 "EXISTS(SELECT 1 FROM crr_superseded WHERE tbl = $1 AND \"row\" = $2 AND col = $3 AND hlc = $5), "
                 "EXISTS(SELECT 1 FROM crr_log WHERE tbl = $1 AND \"row\" = $2 AND col = $3 AND value = $4 "
                 "AND hlc > $5), "
                 "(SELECT hlc FROM crr_clock WHERE tbl = $1 AND \"row\" = $2 AND col = $3)",
                 {p(c.table), p(c.row), p(c.column), p(c.value), p(hlc)}));
    if (!local && q.text(0, 0) == "t") return {};
    const bool superseded = q.text(0, 1) == "t" || q.text(0, 2) == "t";
    FieldHeads before;
    if (!q.null(0, 3)) {
        auto h = Hlc::parse(q.text(0, 3));
        if (!h) return Error{Error::Kind::Corrupt, "bad clock row"};
        LIAISON_ASSIGN_OR_RETURN(auto v, read_value(c.table, c.row, c.column));
        before.heads.push_back(Version{*h, v});
    }
    LIAISON_ASSIGN_OR_RETURN(auto cs, c_.query("SELECT hlc, value FROM crr_conflict WHERE tbl = $1 AND \"row\" = $2 "
                                               "AND col = $3",
                                               {p(c.table), p(c.row), p(c.column)}));
    for (int i = 0; i < cs.size(); ++i) {
        auto h = Hlc::parse(cs.text(i, 0));
        if (!h) return Error{Error::Kind::Corrupt, "bad conflict row"};
        before.heads.push_back(Version{*h, cs.text(i, 1)});
    }
    std::sort(before.heads.begin(), before.heads.end(),
              [](const Version& a, const Version& b) { return b.hlc < a.hlc; });
    const FieldHeads after = sync::merge_field(before, c, superseded);
    if (!c.supersedes.empty())
        LIAISON_TRY(
            c_.run("INSERT INTO crr_superseded(tbl, \"row\", col, hlc) "
                   "SELECT $1, $2, $3, unnest(string_to_array($4, ' ')) ON CONFLICT DO NOTHING",
                   {p(c.table), p(c.row), p(c.column), p(join_hlcs(c.supersedes))}));
    const Version* bw = before.winner();
    const Version* aw = after.winner();
    if (aw && (!bw || bw->hlc != aw->hlc)) {
        LIAISON_TRY(write_value(c.table, c.row, c.column, aw->value));
        LIAISON_TRY(
            c_.run("INSERT INTO crr_clock(tbl, \"row\", col, hlc) VALUES($1, $2, $3, $4) "
                   "ON CONFLICT(tbl, \"row\", col) DO UPDATE SET hlc = excluded.hlc",
                   {p(c.table), p(c.row), p(c.column), p(aw->hlc.str())}));
    }
    auto losers = [](const FieldHeads& f) {
        return std::vector<Version>(f.heads.size() > 1 ? f.heads.begin() + 1 : f.heads.end(), f.heads.end());
    };
    const auto bl = losers(before), al = losers(after);
    for (const auto& v : bl)
        if (std::find(al.begin(), al.end(), v) == al.end())
            LIAISON_TRY(c_.run("DELETE FROM crr_conflict WHERE tbl = $1 AND \"row\" = $2 AND col = $3 AND hlc = $4",
                               {p(c.table), p(c.row), p(c.column), p(v.hlc.str())}));
    for (const auto& v : al)
        if (std::find(bl.begin(), bl.end(), v) == bl.end())
            LIAISON_TRY(
                c_.run("INSERT INTO crr_conflict(tbl, \"row\", col, hlc, value) VALUES($1, $2, $3, $4, $5) "
                       "ON CONFLICT(tbl, \"row\", col, hlc) DO UPDATE SET value = excluded.value",
                       {p(c.table), p(c.row), p(c.column), p(v.hlc.str()), p(v.value)}));
    LIAISON_TRY(
        c_.run("INSERT INTO crr_log(seq, hlc, tbl, \"row\", col, value, supersedes, scope, extra, author, local) "
               "VALUES(-nextval('crr_log_staging'), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
               {p(hlc), p(c.table), p(c.row), p(c.column), p(c.value), p(join_hlcs(c.supersedes)), p(c.scope),
                p(c.extra), p(c.author), p(int64_t{local ? 1 : 0})}));
    ++staged_;
    *applied = true;
    return {};
}

Status Merger::assign_seqs() {
    if (staged_ == 0) return {};
    LIAISON_ASSIGN_OR_RETURN(
        auto last,
        c_.query("UPDATE srv_feed SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq", {p(staged_)}));
    if (last.size() != 1) return Error{Error::Kind::Corrupt, "the feed counter row is missing"};
    const int64_t first = last.i64(0, 0) - staged_ + 1;
    // Only this transaction's rows have a negative seq: others' are invisible until they
    // commit, and every transaction renumbers its rows before it commits.
    LIAISON_ASSIGN_OR_RETURN(
        auto moved,
        c_.query("UPDATE crr_log l SET seq = $1 + s.n - 1 FROM "
                 "(SELECT seq AS old, row_number() OVER (ORDER BY seq DESC) AS n FROM crr_log WHERE seq < 0) s "
                 "WHERE l.seq = s.old",
                 {p(first)}));
    if (moved.affected() != staged_) return Error{Error::Kind::Internal, "feed seqs: staged rows went missing"};
    staged_ = 0;
    return {};
}

}  // namespace liaison::server::pg
