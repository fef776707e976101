// Device-made ids: UUIDv7 (RFC 9562), time-ordered so new rows append to B-tree indexes.
#pragma once
#include <array>
#include <cstdint>
#include <string>

namespace liaison::sync {

// Pure: time and randomness come from the caller.
std::string make_uuid_v7(int64_t unix_ms, const std::array<uint8_t, 10>& random);
bool looks_like_uuid(const std::string& s);

}  // namespace liaison::sync
