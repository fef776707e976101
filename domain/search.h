// The visits' full-text index (the visit_search table of schema v2): its form of a text, and
// refreshing one visit's entry. Shared by the store (after every write) and the migrations.
#pragma once
#include <string>

#include "base/result.h"
#include "sync/replica/sqlite.h"

namespace liaison::domain {

// The search index's form of a text: every character a token of its own ("路灯" -> "路 灯").
std::string search_text(const std::string& s);
// Rewrites the index entry of one visit from its row and its visitors' names (none if deleted).
Status reindex_visit(db::Db& db, const std::string& visit_id);
// Merges the index's segments into one, which drops the tokens of deleted and replaced entries
// for good (FTS5 otherwise keeps them until its own merges reach them): docs/retention.md.
Status optimize_search(db::Db& db);

}  // namespace liaison::domain
