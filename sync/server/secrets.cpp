#include "sync/server/secrets.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include <openssl/evp.h>
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

std::string hex(const unsigned char* p, size_t n) {
    static const char d[] = "0123456789abcdef";
    std::string s(n * 2, '0');
    for (size_t i = 0; i < n; ++i) {
        s[2 * i] = d[p[i] >> 4];
        s[2 * i + 1] = d[p[i] & 15];
    }
    return s;
}

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

std::string sha256_hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr) != 1) std::abort();
    return hex(md, n);
}

bool same_secret(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace liaison::server
