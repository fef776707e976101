// Tokens and enrolment codes. The database keeps only their SHA-256, so a copied database file
// does not let anyone sync as a station.
#pragma once
#include <string>
#include <string_view>

namespace liaison::server {

std::string new_token();        // 256 random bits, hex
std::string new_enrol_code();   // 50 random bits, Crockford base32 "XXXXX-XXXXX" (easy to type)
std::string normalise_code(std::string_view typed);  // upper case, no dashes/spaces, O->0, I/L->1
std::string sha256_hex(std::string_view data);
bool same_secret(std::string_view a, std::string_view b);  // constant time

}  // namespace liaison::server
