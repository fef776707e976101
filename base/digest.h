// SHA-256 and secret comparison (OpenSSL's libcrypto), for the kiosk PIN on the tablet and the
// tokens and enrolment codes on the server.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace liaison {

std::string hex(const unsigned char* bytes, size_t n);  // lower case
// Aborts if libcrypto cannot hash (out of memory): an empty or wrong digest must never be stored
// or compared as if it were one.
std::string sha256_hex(std::string_view data);
// Constant time for strings of the same length: how long it takes tells nothing about where
// they differ.
bool same_secret(std::string_view a, std::string_view b);

}  // namespace liaison
