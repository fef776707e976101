#include "client/ui/field_checks.h"

#include "domain/rules.h"

namespace liaison::ui::checks {

bool date(const std::string& s) { return domain::valid_date(s); }
bool datetime(const std::string& s) { return domain::valid_datetime(s); }
bool phone(const std::string& s) { return domain::valid_phone(s); }

}  // namespace liaison::ui::checks
