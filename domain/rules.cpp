#include "domain/rules.h"
#include "base/utf8.h"
#include "sync/core/json.h"
#include "sync/core/row.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

namespace liaison::domain {
namespace {

FieldRule text(const char* t, const char* c, size_t max_chars) { return {t, c, Kind::Text, max_chars}; }
FieldRule integer(const char* t, const char* c, int64_t min, int64_t max) { return {t, c, Kind::Integer, 0, min, max}; }
template <size_t N>
FieldRule one_of(const char* t, const char* c, const char* const (&values)[N]) {
    return {t, c, Kind::Enum, 0, 0, 0, values, N};
}
FieldRule kind(const char* t, const char* c, Kind k) { return {t, c, k}; }

constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();

// The rules, one function per group of tables (each fits a screen).
std::vector<FieldRule> reference_rules() {
    const size_t S = kShortTextChars;
    return {
        text("stations", "name", S),
        text("stations", "kind", S),
        text("stations", "district", S),
        text("stations", "township", S),
        text("stations", "address", S),

        text("deputies", "name", S),
        one_of("deputies", "level", kDeputyLevels),
        kind("deputies", "station_id", Kind::StationRef),
        text("deputies", "grp", S),
        text("deputies", "phone", kPhoneChars),
        integer("deputies", "active", 0, 1),

        text("departments", "name", S),

        text("categories", "name_zh", S),
        text("categories", "name_en", S),
        integer("categories", "sort", -1000000, 1000000),

        integer("centre_settings", "value", 0, 1000000),
    };
}

std::vector<FieldRule> visit_rules() {
    const size_t S = kShortTextChars, L = kLongTextChars;
    return {
        kind("duty_slots", "station_id", Kind::StationRef),
        kind("duty_slots", "date", Kind::Date),
        kind("duty_slots", "start_time", Kind::Time),
        kind("duty_slots", "end_time", Kind::Time),
        kind("duty_slots", "deputy_ids", Kind::IdList),
        text("duty_slots", "note", L),

        kind("visits", "station_id", Kind::StationRef),
        kind("visits", "received_at", Kind::DateTime),
        kind("visits", "deputy_ids", Kind::IdList),
        one_of("visits", "channel", kChannels),
        integer("visits", "people", 1, kMaxPeople),
        kind("visits", "category", Kind::Id),
        text("visits", "subject", S),
        text("visits", "content", L),
        one_of("visits", "route", kRoutes),
        text("visits", "route_reason", L),
        text("visits", "notes", L),
        kind("visits", "queue_ticket_id", Kind::Id),
        kind("visits", "created_at", Kind::DateTime),

        kind("visit_visitors", "visit_id", Kind::Id),
        text("visit_visitors", "name", S),
        text("visit_visitors", "phone", kPhoneChars),
        text("visit_visitors", "id_number", kIdNumberChars),
        text("visit_visitors", "address", S),
    };
}

std::vector<FieldRule> case_rules() {
    const size_t S = kShortTextChars, L = kLongTextChars;
    return {
        kind("cases", "station_id", Kind::StationRef),
        kind("cases", "visit_id", Kind::Id),
        text("cases", "title", S),
        text("cases", "content", L),
        kind("cases", "category", Kind::Id),
        one_of("cases", "status", kCaseStatuses),
        kind("cases", "department_id", Kind::Id),
        kind("cases", "deadline", Kind::Date),
        text("cases", "result", L),
        one_of("cases", "satisfaction", kSatisfactions),
        text("cases", "satisfaction_comment", L),
        one_of("cases", "feedback_channel", kFeedbackChannels),
        kind("cases", "created_at", Kind::DateTime),
        kind("cases", "deputy_ids", Kind::IdList),
        kind("cases", "resolved_at", Kind::DateTime),

        kind("case_events", "case_id", Kind::Id),
        kind("case_events", "at", Kind::DateTime),
        text("case_events", "author", S),
        text("case_events", "kind", S),
        text("case_events", "note", L),

        kind("activities", "deputy_id", Kind::Id),
        kind("activities", "station_id", Kind::StationRef),
        one_of("activities", "type", kActivityTypes),
        kind("activities", "date", Kind::Date),
        text("activities", "notes", L),

        kind("duty_shifts", "station_id", Kind::StationRef),
        kind("duty_shifts", "deputy_id", Kind::Id),
        kind("duty_shifts", "slot_id", Kind::Id),
        kind("duty_shifts", "started_at", Kind::DateTime),
        kind("duty_shifts", "ended_at", Kind::DateTime),
    };
}

std::vector<FieldRule> queue_rules() {
    const size_t S = kShortTextChars;
    return {
        kind("queue_tickets", "station_id", Kind::StationRef),
        kind("queue_tickets", "date", Kind::Date),
        integer("queue_tickets", "number", 0, 1000000),
        text("queue_tickets", "visitor_name", S),
        text("queue_tickets", "phone", kPhoneChars),
        integer("queue_tickets", "people", 1, kMaxPeople),
        text("queue_tickets", "category", S),
        text("queue_tickets", "topic", S),
        kind("queue_tickets", "wished_deputy_id", Kind::Id),
        one_of("queue_tickets", "status", kTicketStatuses),
        kind("queue_tickets", "visit_id", Kind::Id),
        kind("queue_tickets", "created_at", Kind::DateTime),
        text("queue_tickets", "series", 1),
        kind("queue_tickets", "device_id", Kind::Id),
        integer("queue_tickets", "issued_ms", 0, kI64Max),

        kind("queue_devices", "station_id", Kind::StationRef),
        text("queue_devices", "series", 1),
        kind("queue_devices", "claimed_at", Kind::DateTime),
    };
}

std::vector<FieldRule> all_rules() {
    std::vector<FieldRule> all;
    for (auto group : {reference_rules(), visit_rules(), case_rules(), queue_rules()})
        all.insert(all.end(), group.begin(), group.end());
    return all;
}

bool digits(const std::string& s, size_t at, size_t n) {
    if (at + n > s.size()) return false;
    for (size_t i = at; i < at + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool valid_id(std::string_view s) {
    if (s.size() > kIdBytes) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f && c != ','; });
}

bool valid_id_list(std::string_view s) {
    size_t n = 0, start = 0;
    while (start <= s.size()) {
        size_t comma = s.find(',', start);
        if (comma == std::string_view::npos) comma = s.size();
        const auto id = s.substr(start, comma - start);
        if (!id.empty() && (!valid_id(id) || ++n > kMaxListedIds)) return false;
        start = comma + 1;
    }
    return true;
}

std::string field_name(const FieldRule& r) { return std::string(r.table) + "." + r.column; }

Status check_integer(const FieldRule& r, const nlohmann::json& v) {
    const std::string name = field_name(r);
    // An unsigned above the int64 range (2^64-1) would read back from SQLite as a negative number.
    const std::vector<std::string> params = {r.column, std::to_string(r.min), std::to_string(r.max)};
    const std::string range = name + " must be a whole number from " + params[1] + " to " + params[2];
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(kI64Max))
        return invalid("field.range", params, range);
    if (!v.is_number_integer()) return invalid("field.range", params, name + " must be a whole number");
    const int64_t n = v.get<int64_t>();
    if (n < r.min || n > r.max) return invalid("field.range", params, range);
    return {};
}

Status check_string(const FieldRule& r, const std::string& s) {
    const std::string name = field_name(r);
    if (!valid_utf8(s)) return invalid(name + " is not valid UTF-8 text");
    switch (r.kind) {
        case Kind::Text:
            // Bytes first: a huge value is refused without counting its characters.
            if (s.size() > 4 * r.max_chars || utf8_chars(s) > r.max_chars)
                return invalid("field.too_long", {r.column, std::to_string(r.max_chars)},
                               name + " is longer than " + std::to_string(r.max_chars) + " characters");
            return {};
        case Kind::Enum:
            if (s.empty() || std::any_of(r.values, r.values + r.n_values, [&](const char* v) { return s == v; }))
                return {};
            return invalid("field.unknown_value", {r.column}, name + " has an unknown value");
        case Kind::Date:
            return s.empty() || valid_date(s) ? Status{}
                                              : invalid("field.date", {r.column}, name + " must be a date YYYY-MM-DD");
        case Kind::DateTime:
            return s.empty() || valid_datetime(s)
                       ? Status{}
                       : invalid("field.datetime", {r.column}, name + " must be a time YYYY-MM-DD HH:MM");
        case Kind::Time:
            return s.empty() || valid_time(s) ? Status{}
                                              : invalid("field.time", {r.column}, name + " must be a time HH:MM");
        case Kind::Id:
        case Kind::StationRef: return valid_id(s) ? Status{} : invalid(name + " is not an id");
        case Kind::IdList:
            return valid_id_list(s) ? Status{}
                                    : invalid(name + " must be at most " + std::to_string(kMaxListedIds) + " ids");
        case Kind::Integer: break;
    }
    return invalid(name + " must be a whole number");
}

}  // namespace

const std::vector<FieldRule>& field_rules() {
    static const std::vector<FieldRule> rules = all_rules();
    return rules;
}

const FieldRule* rule_for(std::string_view table, std::string_view column) {
    for (const auto& r : field_rules())
        if (table == r.table && column == r.column) return &r;
    return nullptr;
}

Status check_field(std::string_view table, std::string_view column, const std::string& value_json) {
    if (column == sync::kDeletedColumn) {
        if (value_json == "0" || value_json == "1") return {};
        return invalid("a tombstone is 0 or 1");
    }
    const FieldRule* r = rule_for(table, column);
    if (!r) return invalid("unknown column '" + std::string(table) + "." + std::string(column) + "'");
    const auto parsed = sync::parse_json(value_json);
    if (!parsed) return invalid(field_name(*r) + " is not a JSON value");
    const auto& v = *parsed;
    if (v.is_null()) return {};
    if (r->kind == Kind::Integer) return check_integer(*r, v);
    if (!v.is_string()) return invalid(field_name(*r) + " must be text");
    return check_string(*r, v.get_ref<const std::string&>());
}

Status check_text(std::string_view table, std::string_view column, const std::string& s) {
    const FieldRule* r = rule_for(table, column);
    if (!r) return invalid("unknown column '" + std::string(table) + "." + std::string(column) + "'");
    if (r->kind == Kind::Integer) return invalid(field_name(*r) + " must be a whole number");
    return check_string(*r, s);
}

Status check_change(const sync::FieldChange& c) {
    if (sync::is_row_change(c)) {
        // A row change obeys the rules when each field change it stands for does.
        LIAISON_ASSIGN_OR_RETURN(auto fields, sync::expand_change(c));
        for (const auto& f : fields) LIAISON_TRY(check_change(f));
        return {};
    }
    if (c.author.size() > kMaxAuthorBytes)
        return invalid("the author is longer than " + std::to_string(kMaxAuthorBytes) + " bytes");
    if (c.supersedes.size() > kMaxSupersedes)
        return invalid("a change supersedes more than " + std::to_string(kMaxSupersedes) + " versions");
    return check_field(c.table, c.column, c.value);
}

const std::vector<ColumnRef>& station_columns() {
    static const std::vector<ColumnRef> cols = [] {
        std::vector<ColumnRef> out;
        for (const auto& r : field_rules())
            if (r.kind == Kind::StationRef) out.push_back({r.table, r.column});
        return out;
    }();
    return cols;
}

Status check_claims(const std::string& station_id, const sync::FieldChange& c) {
    if (sync::is_row_change(c)) {
        LIAISON_ASSIGN_OR_RETURN(auto fields, sync::expand_change(c));
        for (const auto& f : fields) LIAISON_TRY(check_claims(station_id, f));
        return {};
    }
    const FieldRule* r = rule_for(c.table, c.column);
    if (!r || r->kind != Kind::StationRef) return {};
    const auto v = sync::parse_json(c.value).value_or(nlohmann::json());  // malformed: not a station id
    if (v.is_string() && v.get_ref<const std::string&>() == station_id) return {};
    return Error{Error::Kind::Forbidden, std::string(r->table) + "." + r->column + " names another station"};
}

// ---------------------------------------------------------------- value checks

bool valid_utf8(std::string_view s) { return utf8::valid(s); }

size_t utf8_chars(std::string_view s) {
    size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
    return n;
}

bool valid_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4) || !digits(s, 5, 2) || !digits(s, 8, 2))
        return false;
    const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + ((m == 2 && leap) ? 1 : 0);
}

bool valid_time(const std::string& s) {
    return s.size() == 5 && s[2] == ':' && digits(s, 0, 2) && digits(s, 3, 2) && std::stoi(s.substr(0, 2)) < 24 &&
           std::stoi(s.substr(3, 2)) < 60;
}

bool valid_datetime(const std::string& s) {
    return s.size() == 16 && s[10] == ' ' && valid_date(s.substr(0, 10)) && valid_time(s.substr(11, 5));
}

bool valid_phone(const std::string& raw) {
    std::string s;
    for (char c : raw)
        if (c != ' ' && c != '-') s.push_back(c);
    if (s.size() == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && digits(s, 0, 11)) return true;  // mobile
    // landline with area code: 0 + 2-3 digit area code + 7-8 digit number (10 to 12 digits)
    return s.size() >= 10 && s.size() <= 12 && s[0] == '0' && s[1] != '0' && digits(s, 0, s.size());
}

std::string join_ids(const std::vector<std::string>& ids) {
    std::string s;
    for (const auto& id : ids) {
        if (!s.empty()) s.push_back(',');
        s += id;
    }
    return s;
}

std::vector<std::string> split_ids(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string tok;
    while (std::getline(in, tok, ','))
        if (!tok.empty()) out.push_back(tok);
    return out;
}

}  // namespace liaison::domain
