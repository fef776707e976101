#include "client/ui/field_checks.h"

#include "client/store/store.h"

namespace liaison::ui::checks {

bool date(const std::string& s) { return store::valid_date(s); }
bool datetime(const std::string& s) { return store::valid_datetime(s); }
bool phone(const std::string& s) { return store::valid_phone(s); }

}  // namespace liaison::ui::checks
