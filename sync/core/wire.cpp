#include "sync/core/wire.h"
#include "sync/core/json.h"

namespace liaison::sync {
namespace {
const char* const kKnown[] = {"id", "table", "row", "column", "value", "supersedes", "scope", "author", "fields"};

bool is_known(const std::string& k) {
    for (const char* n : kKnown)
        if (k == n) return true;
    return false;
}

bool valid_name(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}
}  // namespace

nlohmann::json change_to_json(const FieldChange& c) {
    nlohmann::json j = nlohmann::json::object();
    if (!c.extra.empty()) {
        // Unknown fields kept from a newer peer; anything but an object is dropped.
        auto extra = parse_json(c.extra, "extra");
        if (extra && extra->is_object()) j = std::move(*extra);
    }
    j["id"] = c.hlc.str();
    j["table"] = c.table;
    j["row"] = c.row;
    if (is_row_change(c)) {
        j["fields"] = parse_json(c.value).value_or(nlohmann::json::object());
        j["scope"] = c.scope;
        if (!c.author.empty()) j["author"] = c.author;
        return j;
    }
    j["column"] = c.column;
    // Values are checked JSON when stored; were one not, it would go out as a discarded value, as before.
    j["value"] = parse_json(c.value).value_or(nlohmann::json(nlohmann::json::value_t::discarded));
    if (j["value"].is_discarded()) j["value"] = nullptr;
    auto sup = nlohmann::json::array();
    for (const auto& h : c.supersedes) sup.push_back(h.str());
    j["supersedes"] = std::move(sup);
    j["scope"] = c.scope;
    if (!c.author.empty()) j["author"] = c.author;
    return j;
}

namespace {
// The fields of a row change: an object of scalars under column names; stored as its JSON text.
Result<std::string> row_fields_from_json(const nlohmann::json& fields, const Hlc& hlc) {
    if (!fields.is_object()) return invalid("a row change's fields are not an object");
    for (auto it = fields.begin(); it != fields.end(); ++it)
        if (!valid_name(it.key())) return invalid("bad column name");
    const std::string text = fields.dump();
    LIAISON_ASSIGN_OR_RETURN(auto parsed, row_fields(text));
    if (hlc.counter > UINT32_MAX - (parsed.size() - 1)) return invalid("a row change's stamps overflow");
    return row_value(std::move(parsed));
}
}  // namespace

Result<FieldChange> change_from_json(const nlohmann::json& j) {
    if (!j.is_object()) return invalid("change is not a JSON object");
    const bool row = !j.contains("column") && j.contains("fields");
    for (const char* k : {"id", "table", "row", "column", "scope"})
        if ((!row || std::string(k) != "column") && (!j.contains(k) || !j[k].is_string()))
            return invalid(std::string("change lacks string field '") + k + "'");
    if (!row && !j.contains("value")) return invalid("change lacks field 'value'");
    FieldChange c;
    auto h = Hlc::parse(j["id"].get<std::string>());
    if (!h) return invalid("change id is not a clock stamp");
    c.hlc = *h;
    c.table = j["table"].get<std::string>();
    c.row = j["row"].get<std::string>();
    c.column = row ? kRowColumn : j["column"].get<std::string>();
    c.scope = j["scope"].get<std::string>();
    if (j.contains("author")) {
        if (!j["author"].is_string()) return invalid("author is not a string");
        c.author = j["author"].get<std::string>();
        if (c.author.size() > kMaxAuthorBytes)
            return invalid("author is longer than " + std::to_string(kMaxAuthorBytes) + " bytes");
    }
    if (!valid_name(c.table)) return invalid("bad table name");
    if (!row && c.column != kDeletedColumn && !valid_name(c.column)) return invalid("bad column name");
    if (c.row.empty() || c.row.size() > 64) return invalid("bad row id");
    if (row) {
        LIAISON_ASSIGN_OR_RETURN(c.value, row_fields_from_json(j["fields"], c.hlc));
    } else {
        const auto& v = j["value"];
        if (v.is_object() || v.is_array()) return invalid("change value must be a scalar");
        c.value = v.dump();
    }
    if (j.contains("supersedes") && row) {
        if (!j["supersedes"].is_array() || !j["supersedes"].empty()) return invalid("a row change supersedes nothing");
    } else if (j.contains("supersedes")) {
        if (!j["supersedes"].is_array()) return invalid("supersedes is not an array");
        // Counted before any entry is parsed: the merge compares every entry with every head.
        if (j["supersedes"].size() > kMaxSupersedes)
            return invalid("supersedes has more than " + std::to_string(kMaxSupersedes) + " entries");
        for (const auto& s : j["supersedes"]) {
            if (!s.is_string()) return invalid("supersedes entry is not a string");
            auto sh = Hlc::parse(s.get<std::string>());
            if (!sh) return invalid("supersedes entry is not a clock stamp");
            if (!(*sh < c.hlc)) return invalid("a change can only supersede earlier versions");
            c.supersedes.push_back(*sh);
        }
    }
    nlohmann::json extra = nlohmann::json::object();
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!is_known(it.key())) extra[it.key()] = it.value();
    if (!extra.empty()) c.extra = extra.dump();
    return c;
}

nlohmann::json changes_to_json(const std::vector<FieldChange>& changes, int version) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& c : changes) {
        if (version == kProtocolV1 && is_row_change(c)) {
            // A stored row change expands (it was checked when made or received); were one not
            // to, it is left out rather than sent half.
            auto fields = expand_change(c);
            if (fields)
                for (const auto& f : *fields) arr.push_back(change_to_json(f));
        } else {
            arr.push_back(change_to_json(c));
        }
    }
    return arr;
}

std::string encode_changes(const std::vector<FieldChange>& changes, int version) {
    nlohmann::json doc = {{"protocol", version}, {"changes", changes_to_json(changes, version)}};
    return doc.dump();
}

Result<std::vector<FieldChange>> changes_from_json_array(const nlohmann::json& arr) {
    if (!arr.is_array()) return invalid("'changes' is not an array");
    std::vector<FieldChange> out;
    out.reserve(arr.size());
    for (size_t i = 0; i < arr.size(); ++i) {
        auto c = change_from_json(arr[i]);
        if (!c) return invalid("change " + std::to_string(i) + ": " + c.error().message);
        out.push_back(std::move(*c));
    }
    return out;
}

Result<std::vector<FieldChange>> decode_changes(std::string_view body) {
    auto parsed = parse_json(body, "body");
    if (!parsed) return parsed.error();
    auto& doc = *parsed;
    if (!doc.is_object()) return invalid("body is not a JSON object");
    if (!doc.contains("protocol") || !doc["protocol"].is_number_integer())
        return invalid("body lacks the protocol version");
    if (!supported_protocol(doc["protocol"].get<int>()))
        return invalid("unsupported protocol version " + doc["protocol"].dump());
    if (!doc.contains("changes")) return invalid("body lacks 'changes'");
    return changes_from_json_array(doc["changes"]);
}

}  // namespace liaison::sync
