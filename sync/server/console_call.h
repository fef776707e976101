// The console's handlers as its files share them (console.cpp routes; console_cases.cpp and
// console_admin.cpp answer): one API request with its signed-in user, and the handlers.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/platform.h"
#include "sync/net/http.h"
#include "sync/server/console.h"
#include "sync/server/console_accounts.h"
#include "sync/server/storage.h"

namespace liaison::server::console {

inline constexpr const char* kCookie = "liaison_session";

enum Role : unsigned { kAdmin = 1, kOffice = 2, kDepartment = 4, kAnyone = 7 };

// One API request once its session is known.
struct Call {
    Storage& storage;
    ConsoleStorage& cs;
    const ConsoleOptions& opt;
    const sync::HttpRequest& req;
    ConsoleUser user;
    ConsoleSession session;
    std::vector<StationRecord> stations;
    accounts::Scope scope;
    std::vector<std::string> args;  // the {id} segments of the route
    std::map<std::string, std::string> q;
    nlohmann::json body = nlohmann::json::object();
    int64_t now = 0;
    std::string note;  // for the log line: what was done, never voters' data

    std::string today() const { return platform::local_date(now); }
    std::string author() const { return user.display.empty() ? user.name : user.display; }
    std::string station_name(const std::string& id) const {
        for (const auto& s : stations)
            if (s.id == id) return s.name;
        return "";
    }
    std::string text(const char* key) const {
        return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : "";
    }
};

using Handler = sync::HttpResponse (*)(Call&);

nlohmann::json user_json(const ConsoleUser& u, ConsoleStorage& cs);
nlohmann::json case_row_json(const CaseListRow& r, const std::string& today);
// The filter of a case list or export from the query, inside the user's scope.
Result<CaseFilter> case_filter(const Call& c);

// console_cases.cpp
sync::HttpResponse me(Call& c);
sync::HttpResponse logout(Call& c);
sync::HttpResponse lookups(Call& c);
sync::HttpResponse list_cases(Call& c);
sync::HttpResponse get_case(Call& c);
sync::HttpResponse case_phone(Call& c);
sync::HttpResponse case_step(Call& c);
sync::HttpResponse bulk_assign(Call& c);
// console_admin.cpp
sync::HttpResponse overview(Call& c);
sync::HttpResponse report(Call& c);
sync::HttpResponse export_cases(Call& c);
sync::HttpResponse list_stations(Call& c);
sync::HttpResponse add_station(Call& c);
sync::HttpResponse enrol_code(Call& c);
sync::HttpResponse list_devices(Call& c);
sync::HttpResponse revoke_device(Call& c);
sync::HttpResponse list_departments(Call& c);
sync::HttpResponse add_department(Call& c);
sync::HttpResponse list_users(Call& c);
sync::HttpResponse add_user(Call& c);
sync::HttpResponse user_state(Call& c);
sync::HttpResponse user_password(Call& c);

}  // namespace liaison::server::console
