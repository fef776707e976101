// JSON text to a value without exceptions: exceptions never cross a module boundary
// (docs/architecture.md), so every parse of outside text goes through here.
#pragma once
#include <istream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace liaison::sync {

// The parsed value, or an Invalid error ("<what> is not valid JSON") for malformed text.
Result<nlohmann::json> parse_json(std::string_view text, std::string_view what = "text");
Result<nlohmann::json> parse_json(std::istream& in, std::string_view what = "stream");

}  // namespace liaison::sync
