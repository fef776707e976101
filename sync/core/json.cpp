#include "sync/core/json.h"

#include <string>

namespace liaison::sync {
namespace {

Result<nlohmann::json> checked(nlohmann::json j, std::string_view what) {
    if (j.is_discarded()) return invalid(std::string(what) + " is not valid JSON");
    return j;
}

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text, std::string_view what) {
    return checked(nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false), what);
}

Result<nlohmann::json> parse_json(std::istream& in, std::string_view what) {
    return checked(nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false), what);
}

}  // namespace liaison::sync
