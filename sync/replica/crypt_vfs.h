// Encryption at rest for SQLite stores (docs/security.md, "Encryption at rest"): a VFS over the
// default one that encrypts every byte SQLite writes to the database, its WAL, its rollback
// journal and its temporary files, AES-256-XTS in 4096-byte blocks with the block number and the
// file's kind as the tweak. Length-preserving: sizes and offsets are SQLite's own.
// Db::open uses it when Db::Options::key is set; nothing else needs to name it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include <sqlite3.h>

#include "base/result.h"
#include "sync/replica/store_key.h"

namespace liaison::db {

// True when the file at `path` starts with SQLite's plaintext header ("SQLite format 3\0"): a
// store written without a key. False for an encrypted store, an empty or missing file.
bool file_is_plaintext(const std::string& path);

// OK when `key` decrypts the first block of the store at `path` to SQLite's header (or the file
// is empty or missing: a new store); an Error of kind WrongKey otherwise. Reads only.
Status check_store_key(const std::string& path, const StoreKey& key);

// Upgrades the plaintext store at `path` to one encrypted with `key`: its WAL checkpointed, a
// full copy written encrypted beside it, checked, then renamed over it, so a crash leaves either
// the old file or the new one. Needs the store to itself (no other connection: Locked
// otherwise). A store already encrypted with `key` is left as it is.
Status encrypt_in_place(const std::string& path, const std::shared_ptr<const StoreKey>& key);

// A store key from a key file (liaison-central --key-file): 32 to 64 random bytes in a regular
// file that neither its group nor others may read (0600 or 0400); the 64-byte key is their
// SHA-512 under a fixed label, so a 32-byte file gives as good a key as a 64-byte one. A file
// readable by others, too short or too long is refused with one line naming it.
Result<StoreKey> read_key_file(const std::string& path);

// The key of one open connection, registered with the VFS for as long as the connection lives:
// SQLite opens the WAL and the journal lazily, and finds their key through the URI parameter
// the lease names. Internal to sync/replica (Db and the backups hold one).
class KeyLease {
public:
    explicit KeyLease(std::shared_ptr<const StoreKey> key);
    ~KeyLease();
    KeyLease(const KeyLease&) = delete;
    KeyLease& operator=(const KeyLease&) = delete;
    uint64_t id() const { return id_; }

private:
    uint64_t id_;
};

// sqlite3_open_v2 on `path`, through the encrypting VFS when `key` is set (then `lease` holds
// the key's registration, to be kept until the connection is closed). Returns SQLite's code;
// `*out` is set as sqlite3_open_v2 sets it.
int open_connection(const std::string& path, int flags, const std::shared_ptr<const StoreKey>& key,
                    std::unique_ptr<KeyLease>& lease, sqlite3** out);

}  // namespace liaison::db
