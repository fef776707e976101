#include "sync/server/secrets.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include <openssl/rand.h>

namespace liaison::server {
namespace {

const char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

template <size_t N>
std::array<unsigned char, N> random_bytes() {
    std::array<unsigned char, N> b{};
    if (RAND_bytes(b.data(), static_cast<int>(N)) != 1) std::abort();  // no entropy: refuse to mint secrets
    return b;
}

using liaison::hex;

}  // namespace

std::string new_token() {
    auto b = random_bytes<32>();
    return hex(b.data(), b.size());
}

std::string new_enrol_code() {
    auto b = random_bytes<10>();
    std::string s;
    for (int i = 0; i < 10; ++i) {
        s.push_back(kCrockford[b[i] & 31]);
        if (i == 4) s.push_back('-');
    }
    return s;
}

std::string normalise_code(std::string_view typed) {
    std::string s;
    for (char c : typed) {
        if (c == '-' || c == ' ') continue;
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        s.push_back(c);
    }
    return s;
}

}  // namespace liaison::server
