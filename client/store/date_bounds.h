// Bounds for comparing "YYYY-MM-DD[ HH:MM]" text in SQL (the figures and the duty record): an open
// end ("") becomes the extreme, and the upper bound takes in the whole last day ('~' sorts after
// any time of day).
#pragma once
#include <string>

namespace liaison::store {

inline std::string date_lo(const std::string& from) { return from.empty() ? std::string("0000") : from; }
inline std::string date_hi(const std::string& to) { return (to.empty() ? std::string("9999") : to) + "~"; }

}  // namespace liaison::store
