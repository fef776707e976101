#include "client/store/duty_board.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "client/store/duty.h"
#include "platform/platform.h"

namespace liaison::store::duty {

using Json = nlohmann::json;

std::string board_path_in(const std::string& data_dir) { return data_dir + "/duty_board.json"; }

Status save_board(Store& s, const std::string& path) {
    const std::string today = platform::local_date(s.now());
    const std::string last = cases::date_of_day(cases::day_number(today) + kBoardDays - 1);
    LIAISON_ASSIGN_OR_RETURN(auto coming, slots(s, today, last));
    Json out = Json::array();
    for (const auto& d : coming)
        out.push_back({{"id", d.id}, {"date", d.date}, {"start", d.start}, {"end", d.end}, {"deputies", d.deputy_ids}});
    return platform::write_private_file(path, Json{{"version", 1}, {"slots", out}}.dump(1) + "\n");
}

Result<std::vector<DutySlot>> load_board(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::vector<DutySlot>{};
    std::stringstream text;
    text << in.rdbuf();
    try {
        const Json board = Json::parse(text.str());  // named: the loop below reads into it
        std::vector<DutySlot> out;
        for (const auto& j : board.at("slots")) {
            DutySlot d;
            d.id = j.at("id").get<std::string>();
            d.date = j.at("date").get<std::string>();
            d.start = j.at("start").get<std::string>();
            d.end = j.at("end").get<std::string>();
            d.deputy_ids = j.at("deputies").get<std::vector<std::string>>();
            out.push_back(std::move(d));
        }
        return out;
    } catch (const Json::exception&) {
        return Error{Error::Kind::Corrupt,
                     "the duty board " + path + " is damaged; it is written again after a sign-in"};
    }
}

}  // namespace liaison::store::duty
