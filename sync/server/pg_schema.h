// The schema on PostgreSQL (docs/server.md, "PostgreSQL"): the server's own tables written for
// PostgreSQL, and the domain tables translated step by step from the very migrations the tablets
// and the SQLite server run (domain/schema.cpp), so both backends have one schema history.
#pragma once
#include <map>
#include <string>

#include "base/result.h"
#include "sync/replica/sqlite.h"
#include "sync/server/pg.h"

namespace liaison::server::pg {

// How a domain column is stored. SQLite's replicated columns have no type and keep whatever
// scalar was written; PostgreSQL has no such column, so each holds the value's canonical JSON
// text (NULL for null) and reads back byte for byte, which the merge relies on.
enum class ColumnKind { Json, Integer, Text, Real };
using Catalog = std::map<std::string, std::map<std::string, ColumnKind>>;  // table -> column -> kind

// Creates or upgrades the schema (one transaction per step, under a lock, so processes starting
// together do it once) and returns the domain tables' columns. Fails on a database written by a
// newer Liaison.
Result<Catalog> migrate(Conn& c);

// The domain schema's version a PostgreSQL database has reached (0 when new).
Result<int> domain_version(Conn& c);

// A SQLite column value as a PostgreSQL column of `kind` stores it (NULL stays NULL).
Param sqlite_param(const db::Stmt& q, int col, ColumnKind kind);

}  // namespace liaison::server::pg
