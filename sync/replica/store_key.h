// The data key of one encrypted store (docs/security.md, "Encryption at rest"): 64 random bytes,
// the two AES-256 keys of XTS. Held in memory only, wiped when the last holder lets go; callers
// share it as std::shared_ptr<const StoreKey> (Db::Options::key). Wrapping it by a PIN or a
// recovery key is the caller's business, not this layer's.
#pragma once
#include <array>
#include <cstddef>
#include <span>

#include "base/result.h"

namespace liaison::db {

struct StoreKey {
    static constexpr size_t kSize = 64;
    std::array<unsigned char, kSize> bytes{};

    StoreKey() = default;
    ~StoreKey();  // OPENSSL_cleanse: the key does not outlive its holder in freed memory
    // Not copyable: one copy, wiped once. Moving copies the bytes and wipes the source.
    StoreKey(const StoreKey&) = delete;
    StoreKey& operator=(const StoreKey&) = delete;
    StoreKey(StoreKey&& o) noexcept;
    StoreKey& operator=(StoreKey&& o) noexcept;

    // 64 bytes from OpenSSL's CSPRNG; an error only when it has no entropy.
    static Result<StoreKey> random();
    // Exactly kSize bytes taken as they are (an unwrapped data key).
    static Result<StoreKey> from_bytes(std::span<const unsigned char> raw);
};

}  // namespace liaison::db
