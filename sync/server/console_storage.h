// What the web console (docs/console.md) keeps and reads, behind one interface: console users,
// their sessions, and the case and figure queries of its pages. The SQLite implementation is
// sqlite_console.cpp; the console's writes to cases go through Storage::write_as_centre like
// every other write of the centre, so tablets pull them as changes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "domain/figures.h"

namespace liaison::server {

struct ConsoleUser {
    std::string name, display;
    std::string role;           // admin | office | department
    std::string department_id;  // department users only
    std::string stations;       // office: "*", "ID,ID,..." or "district:NAME"
    std::string password_hash;  // libsodium's crypto_pwhash_str string
    int64_t created_ms = 0, disabled_ms = 0;
    int64_t failures = 0, locked_until_ms = 0;  // wrong passwords in a row, and the lock they earned
};

struct ConsoleSession {
    std::string token_hash, user, csrf;
    int64_t created_ms = 0, seen_ms = 0;
};

// Which cases a console page asks for. The scope (stations, department) is the user's, set by
// the console from the role, never from the request.
struct CaseFilter {
    bool all_stations = false;
    std::vector<std::string> stations;  // when !all_stations
    std::string department_id;          // "" = any (a department user: its own)
    std::string station, status, category, department, q, from, to;
    bool overdue = false;
    bool open_only = false;        // not yet 已办结 (a department's to-do list)
    std::string due_by;            // open cases due from today to this date
    std::string today;             // YYYY-MM-DD, for overdue and deadline states
    std::string sort = "created";  // created | deadline | status | station | inbox
    bool descending = true;
    int64_t limit = 50, offset = 0;  // limit 0: the total alone
};

struct CaseListRow {
    std::string id, title, status, category, station_id, station_name, department_id, department_name;
    std::string deadline, created_at;
};

struct CaseList {
    int64_t total = 0;
    std::vector<CaseListRow> rows;
};

struct StationFigures {
    std::string id, name, district;
    domain::stats::Figures figures;
};

struct MonthStatusCount {
    std::string month, status;
    int64_t cases = 0;
};

class ConsoleStorage {
public:
    virtual ~ConsoleStorage() = default;

    // ---- users ----
    virtual Status add_user(const ConsoleUser& u) = 0;              // Conflict when the name is taken
    virtual Result<ConsoleUser> user(const std::string& name) = 0;  // NotFound
    virtual Result<std::vector<ConsoleUser>> users() = 0;
    virtual Status set_password(const std::string& name, const std::string& hash) = 0;
    virtual Status set_disabled(const std::string& name, int64_t disabled_ms) = 0;  // 0 = enabled
    // Counts a wrong password and returns the count in a row (atomic across processes).
    virtual Result<int64_t> add_failure(const std::string& name) = 0;
    virtual Status set_lock(const std::string& name, int64_t locked_until_ms) = 0;
    virtual Status clear_failures(const std::string& name) = 0;

    // ---- sessions ----
    virtual Status add_session(const ConsoleSession& s) = 0;
    virtual Result<ConsoleSession> session(const std::string& token_hash) = 0;  // Auth when unknown
    virtual Status touch_session(const std::string& token_hash, int64_t now_ms) = 0;
    virtual Status end_session(const std::string& token_hash) = 0;
    virtual Status end_sessions_of(const std::string& user) = 0;
    virtual Status purge_sessions(int64_t seen_before_ms, int64_t created_before_ms) = 0;

    // ---- reads for the pages ----
    virtual Result<CaseList> cases(const CaseFilter& f) = 0;
    // The case row with its station and department names; nullopt when absent or deleted.
    virtual Result<std::optional<CaseListRow>> case_row(const std::string& id) = 0;
    virtual Result<nlohmann::json> case_fields(const std::string& id) = 0;     // every column
    virtual Result<nlohmann::json> case_events(const std::string& id) = 0;     // [{at, author, kind, note}]
    virtual Result<nlohmann::json> visit(const std::string& id) = 0;           // null when absent
    virtual Result<nlohmann::json> visitors(const std::string& visit_id) = 0;  // [{name, phone}]
    // Figures per station over a date range (every station with anything to count).
    virtual Result<std::vector<StationFigures>> station_figures(const domain::stats::Range& r) = 0;
    // Cases registered in the range by month and status, of the given stations ("*" = all).
    virtual Result<std::vector<MonthStatusCount>> cases_by_month(const CaseFilter& scope) = 0;
    virtual Result<nlohmann::json> departments() = 0;  // [{id, name}], by name
    // The stations that have cases assigned to a department.
    virtual Result<std::vector<std::string>> stations_of_department(const std::string& department_id) = 0;
    virtual Result<nlohmann::json> categories() = 0;  // [{id, zh, en}], in their order
    // A department by id or exact name.
    virtual Result<std::optional<std::pair<std::string, std::string>>> department(const std::string& key) = 0;
};

}  // namespace liaison::server
