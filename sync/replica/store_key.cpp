#include "sync/replica/store_key.h"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace liaison::db {

StoreKey::~StoreKey() { OPENSSL_cleanse(bytes.data(), bytes.size()); }

StoreKey::StoreKey(StoreKey&& o) noexcept : bytes(o.bytes) { OPENSSL_cleanse(o.bytes.data(), o.bytes.size()); }

StoreKey& StoreKey::operator=(StoreKey&& o) noexcept {
    if (this != &o) {
        bytes = o.bytes;
        OPENSSL_cleanse(o.bytes.data(), o.bytes.size());
    }
    return *this;
}

Result<StoreKey> StoreKey::random() {
    StoreKey k;
    if (RAND_bytes(k.bytes.data(), static_cast<int>(k.bytes.size())) != 1)
        return Error{Error::Kind::Internal, "no randomness for a new store key"};
    return k;
}

Result<StoreKey> StoreKey::from_bytes(std::span<const unsigned char> raw) {
    if (raw.size() != kSize) return invalid("a store key has " + std::to_string(kSize) + " bytes");
    StoreKey k;
    std::copy(raw.begin(), raw.end(), k.bytes.begin());
    return k;
}

}  // namespace liaison::db
