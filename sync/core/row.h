// Row changes (docs/replication.md, "Row changes"): a row created in one write travels and is
// stored as one change carrying all its fields. It is a compact spelling of the field changes it
// stands for, so the merge stays per field: field i (in column-name order) has the version
// stamped with the row change's stamp plus i on the counter, as if each had its own change.
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "sync/core/change.h"

namespace liaison::sync {

// Pseudo-column of a row change; its value is the JSON object {column: value} of the new row.
inline constexpr const char* kRowColumn = "*";
// A row change names at most this many fields (far above any table's columns).
inline constexpr size_t kMaxRowFields = 64;

inline bool is_row_change(const FieldChange& c) { return c.column == kRowColumn; }

// The version of the i-th field (column-name order) of a row change stamped `row`.
Hlc field_stamp(const Hlc& row, size_t i);

// (column, canonical JSON value) of a row change's value, in column-name order, which is the
// order of their stamps. Refused when the value is not an object of scalars under valid names.
using RowFields = std::vector<std::pair<std::string, std::string>>;
Result<RowFields> row_fields(const std::string& value_json);
// The value of a row change for `fields` (canonical JSON values, any order).
std::string row_value(RowFields fields);

// A new row's change: fields go in column-name order, `hlc` is the first stamp of a block as
// long as the fields (HlcClock::tick_block).
FieldChange make_row_change(const Hlc& hlc, std::string table, std::string row, std::string scope, std::string author,
                            RowFields fields);

// The field changes a row change stands for; any other change as it is.
Result<std::vector<FieldChange>> expand_change(const FieldChange& c);
Result<std::vector<FieldChange>> expand_changes(const std::vector<FieldChange>& changes);

// Whether `version` is one of the field versions of the row change `row` holding `n` fields.
bool in_row_block(const Hlc& row, size_t n, const Hlc& version);

}  // namespace liaison::sync
