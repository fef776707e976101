// The sync wire format (docs/protocol.md): JSON, versioned, unknown fields kept.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/core/change.h"
#include "sync/core/row.h"
#include "base/result.h"

namespace liaison::sync {

// The version this code speaks; the server still serves kProtocolV1 (docs/protocol.md, "Versions").
inline constexpr int kProtocolVersion = 2;
// The first version: field changes only. A row change goes to such a peer as its field changes.
inline constexpr int kProtocolV1 = 1;
inline bool supported_protocol(int v) { return v == kProtocolV1 || v == kProtocolVersion; }

// A row change (sync/core/row.h) is {"id","table","row","fields":{...},"scope","author"}.
nlohmann::json change_to_json(const FieldChange& c);
Result<FieldChange> change_from_json(const nlohmann::json& j);
// The JSON array of `changes` as a peer speaking `version` reads them.
nlohmann::json changes_to_json(const std::vector<FieldChange>& changes, int version);

// {"protocol":2,"changes":[...]}
std::string encode_changes(const std::vector<FieldChange>& changes, int version = kProtocolVersion);
Result<std::vector<FieldChange>> decode_changes(std::string_view body);
Result<std::vector<FieldChange>> changes_from_json_array(const nlohmann::json& arr);

}  // namespace liaison::sync
