#include "base/csv.h"

#include <cstring>
#include <optional>
#include <string_view>

namespace liaison::sync {

namespace {

// Reads one record from text at i; line counts the line breaks passed, quoted ones included.
// Without at_end, a record that runs to the end of text may go on in the next piece: nullopt.
Result<std::optional<CsvRecord>> read_record(const std::string& text, size_t& i, size_t& line, bool at_end) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool in_quotes = false, quoted = false, ended = false;
    while (i < text.size() && !ended) {
        const char c = text[i++];
        if (in_quotes) {
            if (c == '"' && i == text.size() && !at_end) return std::optional<CsvRecord>();  // "" may be split
            if (c == '"' && i < text.size() && text[i] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') {
                in_quotes = false;
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
        } else if (c == '\n') {
            ++line;
            ended = true;
        } else if (c != '\r') {  // a '\r' is part of "\r\n"
            if (quoted) return invalid("line " + std::to_string(line) + ": text after a closing quote");
            field.push_back(c);
        }
    }
    if (!ended && !at_end) return std::optional<CsvRecord>();
    if (in_quotes) return invalid("line " + std::to_string(rec.line) + ": unterminated quoted field");
    rec.fields.push_back(std::move(field));
    return std::optional<CsvRecord>(std::move(rec));
}

}  // namespace

void CsvReader::feed(std::string_view text) {
    buf_.erase(0, pos_);
    pos_ = 0;
    buf_.append(text);
}

Result<std::optional<CsvRecord>> CsvReader::next() {
    if (!bom_checked_) {
        if (buf_.size() < 3 && !at_end_) return std::optional<CsvRecord>();  // a BOM may be split
        if (buf_.rfind("\xEF\xBB\xBF", 0) == 0) pos_ = 3;
        bom_checked_ = true;
    }
    while (pos_ < buf_.size()) {
        size_t i = pos_, line = line_;
        auto rec = read_record(buf_, i, line, at_end_);
        if (!rec) return rec.error();
        if (!*rec) return std::optional<CsvRecord>();  // the record goes on in the next piece
        pos_ = i;
        line_ = line;
        const bool blank = (*rec)->fields.size() == 1 && (*rec)->fields[0].empty();
        if (!blank) return rec;
    }
    return std::optional<CsvRecord>();
}

Result<std::vector<CsvRecord>> parse_csv(const std::string& text) {
    std::vector<CsvRecord> out;
    CsvReader reader;
    reader.feed(text);
    reader.finish();
    for (;;) {
        auto rec = reader.next();
        if (!rec) return rec.error();
        if (!*rec) return out;
        out.push_back(std::move(**rec));
    }
}

namespace {
// A cell starting with one of these is a formula to Excel and WPS (CSV injection).
bool formula_lead(char c) { return c != '\0' && std::strchr("=+-@\t\r", c) != nullptr; }
// A formula character after any number of apostrophes ("=x", "'=x", "''=x" ...), so that text
// which already looks escaped also round-trips.
bool needs_escape(std::string_view s) {
    const size_t i = s.find_first_not_of('\'');
    return i != std::string_view::npos && formula_lead(s[i]);
}
}  // namespace

bool csv_apostrophe_escaped(const std::string& cell) {
    return !cell.empty() && cell[0] == '\'' && needs_escape(std::string_view(cell).substr(1));
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

std::string csv_document(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::string out = "\xEF\xBB\xBF";
    auto line = [&](const std::vector<std::string>& fields) {
        for (size_t i = 0; i < fields.size(); ++i) {
            if (i) out += ',';
            out += csv_field(fields[i]);
        }
        out += "\r\n";
    };
    line(header);
    for (const auto& r : rows) line(r);
    return out;
}

}  // namespace liaison::sync
