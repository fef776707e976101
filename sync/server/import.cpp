#include "sync/server/import.h"

#include <algorithm>
#include <map>
#include <set>

#include "platform/platform.h"

namespace liaison::server {
namespace {

using nlohmann::json;

// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. A UTF-8 BOM is skipped.
Result<std::vector<std::vector<std::string>>> parse_csv(const std::string& in) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    size_t i = in.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    bool quoted = false, any = false;
    for (; i < in.size(); ++i) {
        const char c = in[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < in.size() && in[i + 1] == '"') {
                    field.push_back('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field.push_back(c);
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            quoted = true;
            any = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ++i;
            if (any || !field.empty()) {
                row.push_back(std::move(field));
                rows.push_back(std::move(row));
            }
            row.clear();
            field.clear();
            any = false;
        } else {
            field.push_back(c);
            any = true;
        }
    }
    if (quoted) return invalid("CSV: a quoted field is not closed");
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

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

}  // namespace

Result<ImportReport> import_reference_csv(Storage& storage, const std::string& kind_name, const std::string& text) {
    auto kind = std::find_if(kinds().begin(), kinds().end(), [&](const Kind& k) { return kind_name == k.name; });
    if (kind == kinds().end()) return invalid("unknown reference data '" + kind_name + "' (stations, deputies, departments, categories)");
    auto rows = parse_csv(text);
    if (!rows) return rows.error();
    if (rows->empty()) return invalid("the CSV file is empty");
    const auto header = (*rows)[0];
    std::map<std::string, size_t> col;
    for (size_t i = 0; i < header.size(); ++i) {
        const std::string h = trim(header[i]);
        if (std::find(kind->columns.begin(), kind->columns.end(), h) == kind->columns.end())
            return invalid("unknown column '" + h + "' for " + kind_name);
        col[h] = i;
    }
    for (const auto& r : kind->required)
        if (!col.count(r)) return invalid(kind_name + " CSV needs a '" + r + "' column");

    // Existing rows, to match lines without an id by name (re-importing the same file updates).
    auto existing = storage.records(sync::kReferenceScope, kind->table, 1000000, 0);
    if (!existing) return existing.error();
    std::map<std::string, std::string> by_key;  // name (+ station for deputies) -> id
    for (const auto& e : *existing) {
        std::string key = e.contains("name") && e["name"].is_string() ? e["name"].get<std::string>() : "";
        if (kind_name == "deputies" && e.contains("station_id") && e["station_id"].is_string())
            key += "\x1f" + e["station_id"].get<std::string>();
        if (!key.empty()) by_key[key] = e["id"].get<std::string>();
    }
    std::vector<StationRecord> stations;
    if (kind_name == "deputies") {
        auto s = storage.stations();
        if (!s) return s.error();
        stations = std::move(*s);
    }

    ImportReport rep;
    std::vector<CentreWrite> writes;
    std::set<std::string> ids;
    for (size_t li = 1; li < rows->size(); ++li) {
        const auto& line = (*rows)[li];
        const std::string where = "line " + std::to_string(li + 1) + ": ";
        auto cell = [&](const std::string& c) -> std::string {
            auto it = col.find(c);
            return it == col.end() || it->second >= line.size() ? std::string() : trim(line[it->second]);
        };
        for (const auto& r : kind->required)
            if (cell(r).empty()) return invalid(where + "'" + r + "' is empty");
        CentreWrite w;
        w.table = kind->table;
        w.scope = sync::kReferenceScope;
        std::string key = cell("name");
        if (kind_name == "stations") {
            w.fields = {{"name", cell("name")}};
            for (const char* c : {"kind", "district", "township", "address"})
                if (col.count(c)) w.fields.emplace_back(c, cell(c));
        } else if (kind_name == "departments") {
            w.fields = {{"name", cell("name")}};
        } else if (kind_name == "categories") {
            w.fields = {{"name_zh", cell("name_zh")}};
            if (col.count("name_en")) w.fields.emplace_back("name_en", cell("name_en"));
            if (col.count("sort")) {
                try {
                    w.fields.emplace_back("sort", static_cast<int64_t>(std::stoll(cell("sort"))));
                } catch (...) {
                    return invalid(where + "sort must be a whole number");
                }
            }
            key.clear();
        } else {  // deputies
            std::string station_id;
            const std::string st = cell("station");
            if (!st.empty()) {
                std::vector<std::string> hits;
                for (const auto& s : stations)
                    if (s.id == st || s.name == st) hits.push_back(s.id);
                if (hits.size() != 1)
                    return invalid(where + (hits.empty() ? "unknown station '" : "ambiguous station '") + st + "'");
                station_id = hits[0];
            }
            static const char* const kLevels[] = {"全国", "省", "市", "县区", "乡镇"};
            const std::string level = cell("level");
            if (!level.empty() && std::none_of(std::begin(kLevels), std::end(kLevels), [&](const char* l) { return level == l; }))
                return invalid(where + "unknown level '" + level + "' (全国/省/市/县区/乡镇)");
            w.fields = {{"name", cell("name")}, {"station_id", station_id}};
            if (col.count("level")) w.fields.emplace_back("level", level);
            if (col.count("group")) w.fields.emplace_back("grp", cell("group"));
            if (col.count("phone")) w.fields.emplace_back("phone", cell("phone"));
            const std::string active = cell("active");
            w.fields.emplace_back("active", active.empty() || active == "1" || active == "yes" || active == "true" || active == "是" ? 1 : 0);
            key += "\x1f" + station_id;
        }
        w.row = cell("id");
        if (w.row.empty()) {
            auto it = key.empty() ? by_key.end() : by_key.find(key);
            w.row = it != by_key.end() ? it->second : platform::new_id();
            if (!key.empty()) by_key[key] = w.row;
        }
        if (!ids.insert(w.row).second) return invalid(where + "row " + w.row + " appears twice in the file");
        writes.push_back(std::move(w));
        ++rep.rows;
    }
    auto n = storage.write_as_centre(writes, "centre import");
    if (!n) return n.error();
    rep.fields = *n;
    return rep;
}

}  // namespace liaison::server
