// Tokens and enrolment codes. The database keeps only their SHA-256, so a copied database file
// does not let anyone sync as a station.
#pragma once
#include <string>
#include <string_view>

#include "base/digest.h"

namespace liaison::server {

std::string new_token();                             // 256 random bits, hex
std::string new_enrol_code();                        // 50 random bits, Crockford base32 "XXXXX-XXXXX" (easy to type)
std::string normalise_code(std::string_view typed);  // upper case, no dashes/spaces, O->0, I/L->1
using liaison::same_secret;                          // constant time
using liaison::sha256_hex;

}  // namespace liaison::server
