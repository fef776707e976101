// Queue ticket series (docs/queue.md): each device of a station issues tickets under a letter of
// its own. The letters, and the centre's choice of one at enrolment, shared by the tablet's
// queue and the server.
#pragma once
#include <set>
#include <string>

namespace liaison::domain {

// Letters a series may use: A-Z without I and O, which voters read as 1 and 0.
inline constexpr const char* kSeriesLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
// The letter of the device that created the station, until the centre gives one.
inline constexpr const char* kCreatorSeries = "A";

bool valid_series(const std::string& letter);
// The centre's choice at enrolment: `wish` (the letter the device already uses) when it is
// valid and not in `taken`, else the first free letter; "" when all 24 are taken.
std::string free_series(const std::string& wish, const std::set<std::string>& taken);

}  // namespace liaison::domain
