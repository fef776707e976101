// Retention of voters' personal data: docs/retention.md.
#include "domain/retention.h"

#include <cstdio>

#include "base/dates.h"
#include "base/utf8.h"
#include "domain/search.h"

namespace liaison::domain::retention {
namespace {

// The code points of a valid UTF-8 text as byte slices (a malformed byte is a slice of its own).
std::vector<std::string> characters(const std::string& s) {
    std::vector<std::string> out;
    for (size_t i = 0; i < s.size();) {
        const size_t from = i;
        (void)utf8::next_code_point(s, i);
        out.push_back(s.substr(from, i - from));
    }
    return out;
}

std::string join(const std::vector<std::string>& chars, size_t from, size_t to) {
    std::string out;
    for (size_t i = from; i < to; ++i) out += chars[i];
    return out;
}

}  // namespace

Result<int> parse_months(const std::string& text) {
    if (text == "off" || text == "0") return 0;
    const bool digits = !text.empty() && text.size() <= 4 && text.find_first_not_of("0123456789") == std::string::npos;
    const int n = digits ? std::stoi(text) : -1;
    if (n < kMinMonths || n > kMaxMonths)
        return invalid("the retention period is a number of months from " + std::to_string(kMinMonths) + " to " +
                       std::to_string(kMaxMonths) + ", or 0 / off to switch retention off");
    return n;
}

std::string mask_name(const std::string& name) {
    const auto chars = characters(name);
    if (chars.empty()) return "";
    return chars.front() + "**";
}

// At least four characters are always hidden: 11 or more keep 3 + 4, 5..10 keep the last 2,
// shorter ones nothing. Each mask is its own mask, so masking again changes nothing.
std::string mask_phone(const std::string& phone) {
    const auto chars = characters(phone);
    const size_t n = chars.size();
    if (n == 0) return "";
    if (n >= 11) return join(chars, 0, 3) + "****" + join(chars, n - 4, n);
    if (n >= 5) return "****" + join(chars, n - 2, n);
    return "****";
}

std::string mask_json(const std::string& column, const std::string& value_json) {
    auto v = sync::Value::parse(value_json, nullptr, false);
    if (v.is_discarded() || !v.is_string()) return value_json;
    const std::string& text = v.get_ref<const std::string&>();
    const std::string masked = column == "phone" ? mask_phone(text) : mask_name(text);
    if (masked == text) return value_json;
    return sync::Value(masked).dump();
}

std::string cutoff(const std::string& now, int months) {
    int y = 0, m = 0, d = 0, hh = 0, mm = 0;
    if (std::sscanf(now.c_str(), "%d-%d-%d %d:%d", &y, &m, &d, &hh, &mm) < 3) return "";
    int64_t total = static_cast<int64_t>(y) * 12 + (m - 1) - months;
    const int64_t cy = total / 12, cm = total % 12 + 1;
    const int64_t first = dates::days_from_civil(cy, cm, 1);
    const int64_t next = cm == 12 ? dates::days_from_civil(cy + 1, 1, 1) : dates::days_from_civil(cy, cm + 1, 1);
    const int64_t day = std::min<int64_t>(d, next - first);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld %02d:%02d", static_cast<long long>(cy),
                  static_cast<long long>(cm), static_cast<long long>(day), hh, mm);
    return buf;
}

Result<int> period(db::Db& db) {
    auto& st = db.cached("SELECT value FROM centre_settings WHERE id = ? AND _deleted = 0");
    st.bind(1, kPeriodRow);
    auto r = st.step();
    if (!r) return r.error();
    const int64_t months = *r && st.type(0) == SQLITE_INTEGER ? st.i64(0) : 0;
    st.reset();
    return months >= kMinMonths && months <= kMaxMonths ? static_cast<int>(months) : 0;
}

const std::vector<std::string>& masked_columns() {
    static const std::vector<std::string> cols = {"name", "phone"};
    return cols;
}

Result<std::vector<DueVisitor>> due_visitors(db::Db& db, const std::string& cut) {
    // Every stored version of the two columns, of the visitors of the visits past the period.
    // One pass over the visits before the cutoff (indexed by received_at) and their log rows.
    auto st = db.prepare(R"sql(
WITH due AS (
  SELECT vv.visit_id AS visit_id, vv.id AS visitor_id, vv.name AS name, vv.phone AS phone
  FROM visits v JOIN visit_visitors vv ON vv.visit_id = v.id
  WHERE v.received_at < ?1 AND NOT EXISTS (
    SELECT 1 FROM cases c WHERE c.visit_id = v.id AND c._deleted = 0 AND coalesce(c.status, '') <> 'rated'))
SELECT visit_id, visitor_id, 'name', json_quote(name) FROM due WHERE typeof(name) = 'text'
UNION ALL SELECT visit_id, visitor_id, 'phone', json_quote(phone) FROM due WHERE typeof(phone) = 'text'
UNION ALL SELECT d.visit_id, d.visitor_id, l.col, l.value FROM due d
  JOIN crr_log l ON l.tbl = 'visit_visitors' AND l.row = d.visitor_id AND l.col IN ('name', 'phone')
UNION ALL SELECT d.visit_id, d.visitor_id, j.key, json_quote(j.value) FROM due d
  JOIN crr_log l ON l.tbl = 'visit_visitors' AND l.row = d.visitor_id AND l.col = '*', json_each(l.value) j
  WHERE j.key IN ('name', 'phone') AND j.type = 'text'
UNION ALL SELECT d.visit_id, d.visitor_id, c.col, c.value FROM due d
  JOIN crr_conflict c ON c.tbl = 'visit_visitors' AND c.row = d.visitor_id AND c.col IN ('name', 'phone')
ORDER BY 1, 2
)sql");
    if (!st) return st.error();
    st->bind(1, cut);
    std::vector<DueVisitor> out;
    LIAISON_TRY(st->for_each_row([&](const db::Stmt& q) {
        const std::string visitor = q.text(1);
        if (!out.empty() && out.back().visitor_id == visitor) return;
        const std::string value = q.text(3);
        if (mask_json(q.text(2), value) != value) out.push_back(DueVisitor{q.text(0), visitor});
    }));
    return out;
}

Result<RunStats> scrub(sync::Replica& replica, const std::vector<DueVisitor>& due, int64_t now_ms) {
    RunStats stats;
    std::string last_visit;
    int64_t visit_fields = 0;
    auto record = [&]() -> Status {
        if (last_visit.empty()) return {};
        auto& ins = replica.db().cached("INSERT INTO retention_purges(visit_id, at_ms, by, fields) VALUES(?, ?, ?, ?)");
        LIAISON_TRY(ins.bind(1, last_visit).bind(2, now_ms).bind(3, kAuthor).bind(4, visit_fields).run());
        ++stats.visits;
        return {};
    };
    for (const auto& d : due) {
        if (d.visit_id != last_visit) {
            LIAISON_TRY(record());
            last_visit = d.visit_id;
            visit_fields = 0;
        }
        for (const auto& col : masked_columns()) {
            auto n = replica.scrub_field("visit_visitors", d.visitor_id, col,
                                         [&col](const std::string& v) { return mask_json(col, v); });
            if (!n) return n.error();
            stats.values += static_cast<int64_t>(*n);
            visit_fields += static_cast<int64_t>(*n);
        }
        ++stats.visitors;
    }
    LIAISON_TRY(record());
    // The index's old segments still hold the names' tokens: merging them into one drops the
    // deleted entries (and secure_delete zeroes the freed pages).
    if (stats.visitors > 0) LIAISON_TRY(optimize_search(replica.db()));
    return stats;
}

}  // namespace liaison::domain::retention
