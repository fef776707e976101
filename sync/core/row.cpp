#include "sync/core/row.h"

#include <algorithm>

#include "sync/core/json.h"

namespace liaison::sync {

Hlc field_stamp(const Hlc& row, size_t i) {
    Hlc h = row;
    h.counter += static_cast<uint32_t>(i);
    return h;
}

bool in_row_block(const Hlc& row, size_t n, const Hlc& version) {
    return version.node == row.node && version.wall_ms == row.wall_ms && version.counter >= row.counter &&
           version.counter - row.counter < n;
}

Result<RowFields> row_fields(const std::string& value_json) {
    auto j = parse_json(value_json, "row change");
    if (!j) return j.error();
    if (!j->is_object() || j->empty()) return invalid("a row change's fields are not a non-empty object");
    if (j->size() > kMaxRowFields)
        return invalid("a row change names more than " + std::to_string(kMaxRowFields) + " fields");
    RowFields out;
    out.reserve(j->size());
    // nlohmann keeps object keys in std::map order: column-name order.
    for (auto it = j->begin(); it != j->end(); ++it) {
        if (it.value().is_object() || it.value().is_array()) return invalid("a row change's values must be scalars");
        out.emplace_back(it.key(), it.value().dump());
    }
    return out;
}

std::string row_value(RowFields fields) {
    std::sort(fields.begin(), fields.end());
    std::string out = "{";
    for (const auto& [col, value] : fields) {
        if (out.size() > 1) out += ",";
        out += nlohmann::json(col).dump() + ":" + value;
    }
    return out + "}";
}

FieldChange make_row_change(const Hlc& hlc, std::string table, std::string row, std::string scope, std::string author,
                            RowFields fields) {
    FieldChange c;
    c.hlc = hlc;
    c.table = std::move(table);
    c.row = std::move(row);
    c.column = kRowColumn;
    c.value = row_value(std::move(fields));
    c.scope = std::move(scope);
    c.author = std::move(author);
    return c;
}

Result<std::vector<FieldChange>> expand_change(const FieldChange& c) {
    if (!is_row_change(c)) return std::vector<FieldChange>{c};
    LIAISON_ASSIGN_OR_RETURN(auto fields, row_fields(c.value));
    if (c.hlc.counter > UINT32_MAX - (fields.size() - 1)) return invalid("a row change's stamps overflow");
    std::vector<FieldChange> out;
    out.reserve(fields.size());
    for (size_t i = 0; i < fields.size(); ++i) {
        FieldChange f = c;
        f.hlc = field_stamp(c.hlc, i);
        f.column = std::move(fields[i].first);
        f.value = std::move(fields[i].second);
        f.supersedes.clear();
        out.push_back(std::move(f));
    }
    return out;
}

Result<std::vector<FieldChange>> expand_changes(const std::vector<FieldChange>& changes) {
    std::vector<FieldChange> out;
    out.reserve(changes.size());
    for (const auto& c : changes) {
        LIAISON_ASSIGN_OR_RETURN(auto fs, expand_change(c));
        for (auto& f : fs) out.push_back(std::move(f));
    }
    return out;
}

}  // namespace liaison::sync
