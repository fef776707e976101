#include "sync/server/import.h"

#include <stdexcept>
#include <algorithm>
#include <map>
#include <set>

#include "platform/platform.h"
#include "base/csv.h"
#include "base/text_encoding.h"

namespace liaison::server {
namespace {

using nlohmann::json;

struct Kind {
    const char* name;
    const char* table;
    std::vector<std::string> columns;  // CSV columns accepted (id optional)
    std::vector<std::string> required;
};

const std::vector<Kind>& kinds() {
    static const std::vector<Kind> k = {
        {"stations", "stations", {"id", "name", "kind", "district", "township", "address"}, {"name"}},
        {"deputies", "deputies", {"id", "name", "level", "station", "group", "phone", "active"}, {"name"}},
        {"departments", "departments", {"id", "name"}, {"name"}},
        {"categories", "categories", {"id", "name_zh", "name_en", "sort"}, {"id", "name_zh"}},
    };
    return k;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

// The file's columns by name: each must be one the kind accepts, the required ones present.
using Columns = std::map<std::string, size_t>;
Result<Columns> header_columns(const Kind& kind, const std::vector<std::string>& header) {
    Columns col;
    for (size_t i = 0; i < header.size(); ++i) {
        const std::string h = trim(header[i]);
        if (std::find(kind.columns.begin(), kind.columns.end(), h) == kind.columns.end())
            return invalid("unknown column '" + h + "' for " + kind.name);
        col[h] = i;
    }
    for (const auto& r : kind.required)
        if (!col.count(r)) return invalid(std::string(kind.name) + " CSV needs a '" + r + "' column");
    return col;
}

// Existing rows' ids by name (+ station for deputies), so that a line without an id updates the
// row it names and importing the same file again writes nothing.
Result<std::map<std::string, std::string>> existing_keys(Storage& storage, const Kind& kind) {
    auto existing = storage.records(sync::kReferenceScope, kind.table, 1000000, 0);
    if (!existing) return existing.error();
    std::map<std::string, std::string> by_key;
    for (const auto& e : *existing) {
        std::string key = e.contains("name") && e["name"].is_string() ? e["name"].get<std::string>() : "";
        if (std::string(kind.name) == "deputies" && e.contains("station_id") && e["station_id"].is_string())
            key += "\x1f" + e["station_id"].get<std::string>();
        if (!key.empty()) by_key[key] = e["id"].get<std::string>();
    }
    return by_key;
}

// One data line of the file: its trimmed cells by column name ("" where absent).
struct Line {
    const Columns& col;
    const sync::CsvRecord& rec;
    std::string where;  // "line N: " for errors

    std::string cell(const std::string& c) const {
        auto it = col.find(c);
        return it == col.end() || it->second >= rec.fields.size() ? std::string() : trim(rec.fields[it->second]);
    }
    bool has(const char* c) const { return col.count(c) != 0; }
};

// A station named by id or by name: exactly one must fit.
Result<std::string> station_of(const Line& line, const std::vector<StationRecord>& stations) {
    const std::string st = line.cell("station");
    if (st.empty()) return std::string();
    std::vector<std::string> hits;
    for (const auto& s : stations)
        if (s.id == st || s.name == st) hits.push_back(s.id);
    if (hits.size() != 1)
        return invalid(line.where + (hits.empty() ? "unknown station '" : "ambiguous station '") + st + "'");
    return hits[0];
}

// A deputy's fields; the key (name + station) matches it to an existing row.
Status deputy_fields(const Line& line, const std::vector<StationRecord>& stations, CentreWrite& w, std::string& key) {
    auto station_id = station_of(line, stations);
    if (!station_id) return station_id.error();
    static const char* const kLevels[] = {"全国", "省", "市", "县区", "乡镇"};
    const std::string level = line.cell("level");
    if (!level.empty() &&
        std::none_of(std::begin(kLevels), std::end(kLevels), [&](const char* l) { return level == l; }))
        return invalid(line.where + "unknown level '" + level + "' (全国/省/市/县区/乡镇)");
    w.fields = {{"name", line.cell("name")}, {"station_id", *station_id}};
    if (line.has("level")) w.fields.emplace_back("level", level);
    if (line.has("group")) w.fields.emplace_back("grp", line.cell("group"));
    if (line.has("phone")) w.fields.emplace_back("phone", line.cell("phone"));
    const std::string active = line.cell("active");
    w.fields.emplace_back(
        "active", active.empty() || active == "1" || active == "yes" || active == "true" || active == "是" ? 1 : 0);
    key += "\x1f" + *station_id;
    return {};
}

// The fields one line writes; key is what matches it to an existing row ("" for categories,
// whose id is required).
Status line_fields(const Kind& kind, const Line& line, const std::vector<StationRecord>& stations, CentreWrite& w,
                   std::string& key) {
    const std::string kind_name = kind.name;
    key = line.cell("name");
    if (kind_name == "stations") {
        w.fields = {{"name", line.cell("name")}};
        for (const char* c : {"kind", "district", "township", "address"})
            if (line.has(c)) w.fields.emplace_back(c, line.cell(c));
    } else if (kind_name == "departments") {
        w.fields = {{"name", line.cell("name")}};
    } else if (kind_name == "categories") {
        w.fields = {{"name_zh", line.cell("name_zh")}};
        if (line.has("name_en")) w.fields.emplace_back("name_en", line.cell("name_en"));
        if (line.has("sort")) {
            try {
                w.fields.emplace_back("sort", static_cast<int64_t>(std::stoll(line.cell("sort"))));
            } catch (const std::logic_error&) {  // std::invalid_argument or std::out_of_range
                return invalid(line.where + "sort must be a whole number");
            }
        }
        key.clear();
    } else {
        return deputy_fields(line, stations, w, key);
    }
    return {};
}

}  // namespace

Result<ImportReport> import_reference_csv(Storage& storage, const std::string& kind_name, const std::string& text) {
    auto kind = std::find_if(kinds().begin(), kinds().end(), [&](const Kind& k) { return kind_name == k.name; });
    if (kind == kinds().end())
        return invalid("unknown reference data '" + kind_name + "' (stations, deputies, departments, categories)");
    // UTF-8 or GBK, as the tablet's import reads them (docs/import.md).
    LIAISON_ASSIGN_OR_RETURN(const auto decoded, text::decode_text(text));
    auto records = sync::parse_csv(decoded.text);
    if (!records) return records.error();
    if (records->empty()) return invalid("the CSV file is empty");
    auto col = header_columns(*kind, (*records)[0].fields);
    if (!col) return col.error();
    auto by_key = existing_keys(storage, *kind);
    if (!by_key) return by_key.error();
    std::vector<StationRecord> stations;
    if (kind_name == "deputies") {
        auto s = storage.stations();
        if (!s) return s.error();
        stations = std::move(*s);
    }

    ImportReport rep;
    std::vector<CentreWrite> writes;
    std::set<std::string> ids;
    for (size_t li = 1; li < records->size(); ++li) {
        const Line line{*col, (*records)[li], "line " + std::to_string((*records)[li].line) + ": "};
        for (const auto& r : kind->required)
            if (line.cell(r).empty()) return invalid(line.where + "'" + r + "' is empty");
        CentreWrite w;
        w.table = kind->table;
        w.scope = sync::kReferenceScope;
        std::string key;
        LIAISON_TRY(line_fields(*kind, line, stations, w, key));
        w.row = line.cell("id");
        if (w.row.empty()) {
            auto it = key.empty() ? by_key->end() : by_key->find(key);
            w.row = it != by_key->end() ? it->second : platform::new_id();
            if (!key.empty()) (*by_key)[key] = w.row;
        }
        if (!ids.insert(w.row).second) return invalid(line.where + "row " + w.row + " appears twice in the file");
        writes.push_back(std::move(w));
        ++rep.rows;
    }
    auto n = storage.write_as_centre(writes, "centre import");
    if (!n) return n.error();
    rep.fields = *n;
    return rep;
}

}  // namespace liaison::server
