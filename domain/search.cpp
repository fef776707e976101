#include "domain/search.h"

namespace liaison::domain {

// "路灯 abc" -> "路 灯 a b c": every character its own token (see schema v2 in domain/schema.cpp).
std::string search_text(const std::string& s) {
    std::string out;
    out.reserve(s.size() * 2);
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
        if (!out.empty()) out.push_back(' ');
        out.append(s, i, n);
        i += n;
    }
    return out;
}

Status reindex_visit(db::Db& db, const std::string& visit_id) {
    auto& get =
        db.cached("SELECT rowid, _deleted, coalesce(subject, ''), coalesce(content, '') FROM visits WHERE id = ?");
    get.bind(1, visit_id);
    auto r = get.step();
    if (!r) return r.error();
    if (!*r) return {};
    const int64_t rowid = get.i64(0);
    const bool deleted = get.i64(1) != 0;
    const std::string subject = get.text(2), content = get.text(3);
    get.reset();
    // FTS5 deletes cost a read of the old tokens: skip them for rows never indexed (new visits).
    auto& had = db.cached("SELECT 1 FROM visit_search WHERE rowid = ?");
    had.bind(1, rowid);
    auto indexed = had.step();
    if (!indexed) return indexed.error();
    had.reset();
    if (*indexed) {
        auto& del = db.cached("DELETE FROM visit_search WHERE rowid = ?");
        LIAISON_TRY(del.bind(1, rowid).run());
    }
    if (deleted) return {};
    std::string names;
    auto& ns = db.cached("SELECT name FROM visit_visitors WHERE visit_id = ? AND _deleted = 0 ORDER BY id");
    ns.bind(1, visit_id);
    LIAISON_TRY(ns.for_each_row([&](const db::Stmt& q) { names += q.text(0) + " "; }));
    auto& ins = db.cached("INSERT INTO visit_search(rowid, subject, content, names) VALUES(?, ?, ?, ?)");
    return ins.bind(1, rowid)
        .bind(2, search_text(subject))
        .bind(3, search_text(content))
        .bind(4, search_text(names))
        .run();
}

Status optimize_search(db::Db& db) { return db.exec("INSERT INTO visit_search(visit_search) VALUES('optimize')"); }

}  // namespace liaison::domain
