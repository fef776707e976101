#include "base/ids.h"

namespace liaison::sync {

std::string make_uuid_v7(int64_t unix_ms, const std::array<uint8_t, 10>& r) {
    uint8_t b[16];
    const uint64_t ms = static_cast<uint64_t>(unix_ms);
    for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
    b[6] = static_cast<uint8_t>(0x70 | (r[0] & 0x0f));
    b[7] = r[1];
    b[8] = static_cast<uint8_t>(0x80 | (r[2] & 0x3f));
    for (int i = 9; i < 16; ++i) b[i] = r[i - 6];
    static const char* hex = "0123456789abcdef";
    std::string s;
    s.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
        s.push_back(hex[b[i] >> 4]);
        s.push_back(hex[b[i] & 15]);
    }
    return s;
}

bool looks_like_uuid(const std::string& s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

}  // namespace liaison::sync
