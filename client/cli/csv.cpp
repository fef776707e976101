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
    std::vector<CsvRecord> out;
    size_t i = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    size_t line = 1;
    while (i < text.size()) {
        CsvRecord rec;
        rec.line = line;
        std::string field;
        bool in_quotes = false, quoted = false, end = false;
        while (!end) {
            if (i >= text.size()) {
                if (in_quotes) return invalid("line " + std::to_string(rec.line) + ": unterminated quoted field");
                end = true;
                break;
            }
            const char c = text[i++];
            if (in_quotes) {
                if (c == '"') {
                    if (i < text.size() && text[i] == '"') {
                        field.push_back('"');
                        ++i;
                    } else {
                        in_quotes = false;
                    }
                } else {
                    if (c == '\n') ++line;
                    field.push_back(c);
                }
            } else if (c == '"') {
                if (!field.empty() || quoted)
                    return invalid("line " + std::to_string(line) + ": stray quote inside a field");
                in_quotes = quoted = true;
            } else if (c == ',') {
                rec.fields.push_back(std::move(field));
                field.clear();
                quoted = false;
            } else if (c == '\r') {
                // part of \r\n
            } else if (c == '\n') {
                ++line;
                end = true;
            } else {
                if (quoted) return invalid("line " + std::to_string(line) + ": text after a closing quote");
                field.push_back(c);
            }
        }
        rec.fields.push_back(std::move(field));
        for (auto& f : rec.fields)
            if (!f.empty() && f[0] == '\'' && needs_escape(std::string_view(f).substr(1))) f.erase(0, 1);
        const bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
        if (!blank) out.push_back(std::move(rec));
    }
    return out;
}

std::string csv_field(const std::string& s0) {
    const std::string s = needs_escape(s0) ? "'" + s0 : s0;
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
