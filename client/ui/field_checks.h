// The field checks the views use to word errors as the user types. Plain functions: the views
// need no store (nor SQLite) for them; field_checks.cpp defers to the domain's rules
// (domain/rules.h), the store's too, so the form and the store can never disagree.
#pragma once
#include <string>

namespace liaison::ui::checks {

bool date(const std::string& s);      // YYYY-MM-DD, a real calendar date
bool datetime(const std::string& s);  // YYYY-MM-DD HH:MM
bool phone(const std::string& s);     // 11-digit mainland mobile or landline with area code

}  // namespace liaison::ui::checks
