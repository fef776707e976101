// The sync wire format (docs/protocol.md): JSON, versioned, unknown fields kept.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/core/change.h"
#include "base/result.h"

namespace liaison::sync {

inline constexpr int kProtocolVersion = 1;

nlohmann::json change_to_json(const FieldChange& c);
Result<FieldChange> change_from_json(const nlohmann::json& j);

// {"protocol":1,"changes":[...]}
std::string encode_changes(const std::vector<FieldChange>& changes);
Result<std::vector<FieldChange>> decode_changes(std::string_view body);
Result<std::vector<FieldChange>> changes_from_json_array(const nlohmann::json& arr);

}  // namespace liaison::sync
