#include "client/cli/csv.h"

#include <cstring>
#include <string_view>

namespace liaison::cli {

namespace {
// A cell starting with one of these is a formula to Excel and WPS (CSV injection): a voter's
// "=HYPERLINK(...)" must stay text. The export puts an apostrophe before it, the import takes
// exactly that apostrophe away again, so export and import round-trip.
bool formula_lead(char c) { return c != '\0' && std::strchr("=+-@\t\r", c) != nullptr; }
// Needs the apostrophe: a formula character after any number of apostrophes ("=x", "'=x",
// "''=x" ...), so that text which already looks escaped also round-trips.
bool needs_escape(std::string_view s) {
    const size_t i = s.find_first_not_of('\'');
    return i != std::string_view::npos && formula_lead(s[i]);
}
}  // namespace

Result<std::vector<CsvRecord>> parse_csv(const std::string& text) {
    auto records = sync::parse_csv(text);
    if (!records) return records.error();
    for (auto& rec : *records)
        for (auto& f : rec.fields)
            if (!f.empty() && f[0] == '\'' && needs_escape(std::string_view(f).substr(1))) f.erase(0, 1);
    return records;
}

std::string csv_field(const std::string& s0) {
    std::string s = needs_escape(s0) ? "'" + s0 : s0;
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q.push_back('"');
        q.push_back(c);
    }
    q.push_back('"');
    return q;
}

}  // namespace liaison::cli
