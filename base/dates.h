// Calendar arithmetic on "YYYY-MM-DD" text, and bounds for comparing "YYYY-MM-DD[ HH:MM]" text in
// SQL (the figures and the duty record): an open end ("") becomes the extreme, and the upper bound
// takes in the whole last day ('~' sorts after any time of day). Pure: no clock is read here.
#pragma once
#include <cstdint>
#include <string>

namespace liaison::dates {

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d);
void civil_from_days(int64_t day, int64_t& y, int64_t& m, int64_t& d);

// Days since 1970-01-01 of a valid "YYYY-MM-DD..." (only the first 10 characters are read), and back.
int64_t day_number(const std::string& date);
std::string date_of_day(int64_t day);
// The month after "YYYY-MM".
std::string next_month(const std::string& ym);

inline std::string date_lo(const std::string& from) { return from.empty() ? std::string("0000") : from; }
inline std::string date_hi(const std::string& to) { return (to.empty() ? std::string("9999") : to) + "~"; }

}  // namespace liaison::dates
