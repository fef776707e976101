// The encrypting VFS (docs/security.md, "Encryption at rest"). Every file is a run of 4096-byte
// blocks, each encrypted on its own with AES-256-XTS (ciphertext stealing for a shorter last
// block); a last block under 16 bytes, too short for XTS, is XORed with an XTS-made pad. The
// tweak is the block number and the file's kind, so equal pages at different places or in
// different files encrypt differently. A write that covers part of a block re-encrypts the whole
// block (read, decrypt, modify, encrypt, write); a read decrypts the blocks it touches.
#include "sync/replica/crypt_vfs.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "sync/replica/backup.h"
#include "sync/replica/sqlite.h"

namespace liaison::db {
namespace {

constexpr int64_t kBlock = 4096;
constexpr int64_t kXtsMin = 16;  // XTS needs one AES block; shorter tails get a pad
constexpr char kVfsName[] = "liaison-crypt";
constexpr char kKeyParam[] = "liaison_key";
constexpr std::array<char, 16> kSqliteMagic = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f',
                                               'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};

// Part of the tweak: the same block number in the database and in its WAL encrypts differently.
enum class FileKind : unsigned char { MainDb = 1, Wal = 2, Journal = 3, Temp = 4 };

// ---- the cipher ---------------------------------------------------------------------------

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;
struct MdFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using CtxDigest = std::unique_ptr<EVP_MD_CTX, MdFree>;

// AES-256-XTS keyed once (two contexts: the key schedules differ by direction); each block sets
// only its tweak.
class BlockCipher {
public:
    bool init(const StoreKey& key) {
        enc_.reset(EVP_CIPHER_CTX_new());
        dec_.reset(EVP_CIPHER_CTX_new());
        return enc_ && dec_ &&
               EVP_EncryptInit_ex(enc_.get(), EVP_aes_256_xts(), nullptr, key.bytes.data(), nullptr) == 1 &&
               EVP_DecryptInit_ex(dec_.get(), EVP_aes_256_xts(), nullptr, key.bytes.data(), nullptr) == 1;
    }
    // In place; n >= 1.
    bool encrypt(FileKind kind, uint64_t block, unsigned char* data, size_t n) {
        return n < kXtsMin ? pad(kind, block, data, n) : run(enc_.get(), kind, block, data, n, false);
    }
    bool decrypt(FileKind kind, uint64_t block, unsigned char* data, size_t n) {
        return n < kXtsMin ? pad(kind, block, data, n) : run(dec_.get(), kind, block, data, n, false);
    }

private:
    static std::array<unsigned char, 16> tweak(FileKind kind, uint64_t block, bool for_pad) {
        std::array<unsigned char, 16> t{};
        for (int i = 0; i < 8; ++i) t[static_cast<size_t>(i)] = static_cast<unsigned char>(block >> (8 * i));
        t[8] = static_cast<unsigned char>(kind);
        t[9] = for_pad ? 1 : 0;
        return t;
    }
    bool run(EVP_CIPHER_CTX* c, FileKind kind, uint64_t block, unsigned char* data, size_t n, bool for_pad) {
        const auto iv = tweak(kind, block, for_pad);
        int outl = 0;
        return EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, iv.data(), -1) == 1 &&
               EVP_CipherUpdate(c, data, &outl, data, static_cast<int>(n)) == 1 && static_cast<size_t>(outl) == n;
    }
    // A tail under 16 bytes: XOR with the encryption of zeros under the block's own pad tweak.
    bool pad(FileKind kind, uint64_t block, unsigned char* data, size_t n) {
        std::array<unsigned char, 16> p{};
        if (!run(enc_.get(), kind, block, p.data(), p.size(), true)) return false;
        for (size_t i = 0; i < n; ++i) data[i] ^= p[i];
        OPENSSL_cleanse(p.data(), p.size());
        return true;
    }
    CtxPtr enc_, dec_;
};

// ---- keys of open connections --------------------------------------------------------------

struct Registry {
    std::mutex mu;
    std::map<uint64_t, std::shared_ptr<const StoreKey>> keys;
    uint64_t next = 1;
    std::shared_ptr<const StoreKey> temp_key;  // this process's temporary files: never reopened
};

Registry& registry() {
    static Registry r;
    return r;
}

std::shared_ptr<const StoreKey> key_for(sqlite3_filename name, FileKind kind) {
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    if (kind == FileKind::Temp) return r.temp_key;
    if (!name) return nullptr;
    const auto id = static_cast<uint64_t>(sqlite3_uri_int64(name, kKeyParam, 0));
    auto it = r.keys.find(id);
    return it == r.keys.end() ? nullptr : it->second;
}

// ---- one open file ---------------------------------------------------------------------------

// The unit of encryption that holds a byte: a 4096-byte block, or in a WAL its 32-byte header
// and then one unit per frame (24-byte frame header + page). A WAL's units never span two
// frames, so appending a frame never re-encrypts a committed one that readers may be reading
// at that moment (docs/security.md, "Encryption at rest").
struct Unit {
    uint64_t index;  // the tweak's number
    int64_t start;
    int64_t len;  // full length; the file's last unit may be shorter
};

constexpr int64_t kWalHeader = 32;
constexpr int64_t kWalFrameHeader = 24;

struct Codec {
    FileKind kind = FileKind::Temp;
    int64_t wal_page = 0;  // from the WAL's header; 0 until known
    BlockCipher cipher;
    std::vector<unsigned char> buf;  // raw units read and written, decrypted in place
    // A WAL frame's 24-byte header, held back until its page follows (SQLite writes the two
    // separately, always one after the other): the frame is then encrypted and written once,
    // without reading back the header. Any other call on the file writes it out first.
    bool pending = false;
    int64_t pending_off = 0;
    std::array<unsigned char, kWalFrameHeader> pending_header{};
    std::vector<unsigned char> frame;

    Unit unit_at(int64_t off) const {
        if (kind != FileKind::Wal) return {static_cast<uint64_t>(off / kBlock), off / kBlock * kBlock, kBlock};
        if (off < kWalHeader) return {0, 0, kWalHeader};
        const int64_t frame_len = kWalFrameHeader + (wal_page ? wal_page : kBlock);
        const int64_t i = (off - kWalHeader) / frame_len;
        return {static_cast<uint64_t>(i + 1), kWalHeader + i * frame_len, frame_len};
    }
    // The end of the unit holding the byte before `end`: where a span covering [.., end) stops.
    int64_t unit_end(int64_t end) const {
        const Unit u = unit_at(end - 1);
        return u.start + u.len;
    }
    // The page size from a WAL header's plaintext (magic 0x377f0682/3, big-endian page size).
    void learn_wal_page(const unsigned char* h) {
        const uint32_t magic = (uint32_t{h[0]} << 24) | (uint32_t{h[1]} << 16) | (uint32_t{h[2]} << 8) | h[3];
        const uint32_t page = (uint32_t{h[8]} << 24) | (uint32_t{h[9]} << 16) | (uint32_t{h[10]} << 8) | h[11];
        if ((magic & 0xfffffffeU) == 0x377f0682U && page >= 512 && page <= 65536 && (page & (page - 1)) == 0)
            wal_page = page;
    }
};

struct CryptFile {
    sqlite3_file base;   // pMethods: the crypt methods
    Codec* codec;        // owned; deleted by xClose; null for a file passed through as it is
    sqlite3_file* real;  // the default VFS's file, right after this struct
};

CryptFile* cf(sqlite3_file* f) { return reinterpret_cast<CryptFile*>(f); }

// Decrypts (or encrypts) in place the units in buf, which holds the file's bytes
// [start, start + n) of a file `size` bytes long; start is a unit's start and the span ends at a
// unit's end or at size.
bool crypt_span(Codec& c, int64_t start, int64_t n, int64_t size, bool encrypt) {
    for (int64_t at = start; at < start + n;) {
        const Unit u = c.unit_at(at);
        const int64_t len = std::min(u.len, size - at);
        unsigned char* p = c.buf.data() + (at - start);
        const bool wal_header = c.kind == FileKind::Wal && u.index == 0 && len == kWalHeader;
        if (wal_header && encrypt) c.learn_wal_page(p);
        if (!(encrypt ? c.cipher.encrypt(c.kind, u.index, p, static_cast<size_t>(len))
                      : c.cipher.decrypt(c.kind, u.index, p, static_cast<size_t>(len))))
            return false;
        if (wal_header && !encrypt) c.learn_wal_page(p);
        at += u.len;
    }
    return true;
}

int file_size(CryptFile* f, int64_t* size) {
    sqlite3_int64 s = 0;
    const int rc = f->real->pMethods->xFileSize(f->real, &s);
    *size = s;
    return rc;
}

// The default VFS moves at most 128 KiB less a byte per call (SQLite's own I/O is a page or a
// frame); a hole or a truncation that grows the file can make a span longer, so it goes in parts.
constexpr int64_t kIoChunk = 65536;

int real_read(CryptFile* f, unsigned char* out, int64_t n, int64_t off) {
    for (int64_t done = 0; done < n; done += kIoChunk) {
        const int part = static_cast<int>(std::min(kIoChunk, n - done));
        if (int rc = f->real->pMethods->xRead(f->real, out + done, part, off + done); rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

int real_write(CryptFile* f, const unsigned char* in, int64_t n, int64_t off) {
    for (int64_t done = 0; done < n; done += kIoChunk) {
        const int part = static_cast<int>(std::min(kIoChunk, n - done));
        if (int rc = f->real->pMethods->xWrite(f->real, in + done, part, off + done); rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

// The plaintext of [start, end) into c.buf, start a unit's start, end <= size and a unit's end
// or size.
int read_units(CryptFile* f, int64_t start, int64_t end, int64_t size) {
    Codec& c = *f->codec;
    const int64_t n = end - start;
    if (n <= 0) return SQLITE_OK;
    const int rc = real_read(f, c.buf.data(), n, start);
    if (rc != SQLITE_OK) return rc;
    return crypt_span(c, start, n, size, false) ? SQLITE_OK : SQLITE_IOERR_READ;
}

// A WAL handle opened before its header was written learns the page size when it next needs it.
int know_wal_page(CryptFile* f) {
    Codec& c = *f->codec;
    if (c.kind != FileKind::Wal || c.wal_page) return SQLITE_OK;
    int64_t size = 0;
    if (int rc = file_size(f, &size); rc != SQLITE_OK || size < kWalHeader) return rc;
    c.buf.resize(kWalHeader);
    return read_units(f, 0, kWalHeader, size);
}

int settle(CryptFile* f);

int x_read(sqlite3_file* file, void* out, int amt, sqlite3_int64 off) {
    CryptFile* f = cf(file);
    if (!f->codec) return f->real->pMethods->xRead(f->real, out, amt, off);
    if (int rc = settle(f); rc != SQLITE_OK) return rc;
    try {
        if (int rc = know_wal_page(f); rc != SQLITE_OK) return rc;
        Codec& c = *f->codec;
        auto* dst = static_cast<unsigned char*>(out);
        // First as if the units were all there (a page, a frame): then each is whole, and the
        // file's size is not needed.
        const int64_t start = c.unit_at(off).start;
        const int64_t stop = c.unit_end(off + amt);
        c.buf.resize(static_cast<size_t>(stop - start));
        int rc = real_read(f, c.buf.data(), stop - start, start);
        if (rc == SQLITE_OK) {
            if (!crypt_span(c, start, stop - start, stop, false)) return SQLITE_IOERR_READ;
            std::memcpy(dst, c.buf.data() + (off - start), static_cast<size_t>(amt));
            return SQLITE_OK;
        }
        if (rc != SQLITE_IOERR_SHORT_READ) return rc;
        // The read reaches past the end of the file: its last unit may be a short one.
        int64_t size = 0;
        if (rc = file_size(f, &size); rc != SQLITE_OK) return rc;
        const int64_t have = std::max<int64_t>(0, std::min<int64_t>(amt, size - off));
        if (have > 0) {
            const int64_t end = std::min(size, c.unit_end(off + have));
            if (rc = read_units(f, start, end, size); rc != SQLITE_OK) return rc;
            std::memcpy(dst, c.buf.data() + (off - start), static_cast<size_t>(have));
        }
        if (have == amt) return SQLITE_OK;
        std::memset(dst + have, 0, static_cast<size_t>(amt - have));
        return SQLITE_IOERR_SHORT_READ;
    } catch (const std::bad_alloc&) {
        return SQLITE_IOERR_NOMEM;
    }
}

// Writes `amt` bytes of `in` (null: zeros) at `off`. The span rewritten starts at the unit of
// min(off, old size), so a partial old last unit and any hole are re-encrypted too, and ends at
// the end of the unit the write ends in (or the new size).
int write_plain(CryptFile* f, const unsigned char* in, int64_t amt, int64_t off) {
    Codec& c = *f->codec;
    int64_t size0 = 0;
    if (off > 0 || amt < kWalHeader)
        if (int rc = know_wal_page(f); rc != SQLITE_OK) return rc;
    if (int rc = file_size(f, &size0); rc != SQLITE_OK) return rc;
    const int64_t end = off + amt;
    const int64_t size1 = std::max(size0, end);
    const int64_t start = c.unit_at(std::min(off, size0)).start;
    const int64_t stop = std::min(size1, c.unit_end(end));
    c.buf.assign(static_cast<size_t>(stop - start), 0);
    // Old bytes are needed only where the span is wider than the write.
    const int64_t old_end = std::min(stop, size0);
    if ((start < off || end < old_end) && old_end > start) {
        if (int rc = read_units(f, start, old_end, size0); rc != SQLITE_OK) return rc;
    }
    if (in)
        std::memcpy(c.buf.data() + (off - start), in, static_cast<size_t>(amt));
    else
        std::fill(c.buf.begin() + (off - start), c.buf.begin() + (end - start), 0);
    if (!crypt_span(c, start, stop - start, size1, true)) return SQLITE_IOERR_WRITE;
    return real_write(f, c.buf.data(), stop - start, start);
}

// Writes out a held-back frame header (see Codec::pending).
int settle(CryptFile* f) {
    if (!f->codec || !f->codec->pending) return SQLITE_OK;
    Codec& c = *f->codec;
    c.pending = false;
    try {
        return write_plain(f, c.pending_header.data(), kWalFrameHeader, c.pending_off);
    } catch (const std::bad_alloc&) {
        return SQLITE_IOERR_NOMEM;
    }
}

int write_wal(CryptFile* f, const unsigned char* in, int64_t amt, int64_t off) {
    Codec& c = *f->codec;
    if (c.pending) {
        const Unit u = c.unit_at(c.pending_off);
        if (off == c.pending_off + kWalFrameHeader && off + amt == u.start + u.len) {
            c.pending = false;
            c.frame.resize(static_cast<size_t>(u.len));
            std::memcpy(c.frame.data(), c.pending_header.data(), kWalFrameHeader);
            std::memcpy(c.frame.data() + kWalFrameHeader, in, static_cast<size_t>(amt));
            // A whole frame is encrypted on its own, whatever follows it; only a hole before it
            // (SQLite appends frames in order, so never in practice) needs the general path.
            int64_t size = 0;
            if (int rc = file_size(f, &size); rc != SQLITE_OK) return rc;
            if (u.start > size) return write_plain(f, c.frame.data(), u.len, u.start);
            std::swap(c.buf, c.frame);
            if (!crypt_span(c, u.start, u.len, u.start + u.len, true)) return SQLITE_IOERR_WRITE;
            return real_write(f, c.buf.data(), u.len, u.start);
        }
        if (int rc = settle(f); rc != SQLITE_OK) return rc;
    }
    if (amt == kWalFrameHeader && off >= kWalHeader && c.unit_at(off).start == off) {
        std::memcpy(c.pending_header.data(), in, kWalFrameHeader);
        c.pending_off = off;
        c.pending = true;
        return SQLITE_OK;
    }
    return write_plain(f, in, amt, off);
}

int x_write(sqlite3_file* file, const void* in, int amt, sqlite3_int64 off) {
    CryptFile* f = cf(file);
    if (!f->codec) return f->real->pMethods->xWrite(f->real, in, amt, off);
    try {
        const auto* bytes = static_cast<const unsigned char*>(in);
        return f->codec->kind == FileKind::Wal ? write_wal(f, bytes, amt, off) : write_plain(f, bytes, amt, off);
    } catch (const std::bad_alloc&) {
        return SQLITE_IOERR_NOMEM;
    }
}

// Shrinking re-encrypts a last unit that becomes shorter; growing writes encrypted zeros (the
// default VFS would leave plaintext zeros, which decrypt to noise).
int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
    CryptFile* f = cf(file);
    if (!f->codec) return f->real->pMethods->xTruncate(f->real, size);
    if (int rc = settle(f); rc != SQLITE_OK) return rc;
    try {
        int64_t size0 = 0;
        if (int rc = file_size(f, &size0); rc != SQLITE_OK) return rc;
        if (size > size0) return write_plain(f, nullptr, size - size0, size0);
        if (int rc = know_wal_page(f); rc != SQLITE_OK) return rc;
        const Unit u = f->codec->unit_at(size);
        const int64_t tail = u.start;
        const bool reshape = size < size0 && size != tail;
        if (reshape) {
            const int64_t old_end = std::min(size0, tail + u.len);
            f->codec->buf.resize(static_cast<size_t>(old_end - tail));
            if (int rc = read_units(f, tail, old_end, size0); rc != SQLITE_OK) return rc;
        }
        if (int rc = f->real->pMethods->xTruncate(f->real, size); rc != SQLITE_OK) return rc;
        if (!reshape) return SQLITE_OK;
        Codec& c = *f->codec;
        if (!crypt_span(c, tail, size - tail, size, true)) return SQLITE_IOERR_TRUNCATE;
        return real_write(f, c.buf.data(), size - tail, tail);
    } catch (const std::bad_alloc&) {
        return SQLITE_IOERR_NOMEM;
    }
}

int x_close(sqlite3_file* file) {
    CryptFile* f = cf(file);
    const int held = settle(f);
    const int rc = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    delete f->codec;
    f->codec = nullptr;
    return held != SQLITE_OK ? held : rc;
}

int x_sync(sqlite3_file* f, int flags) {
    if (int rc = settle(cf(f)); rc != SQLITE_OK) return rc;
    return cf(f)->real->pMethods->xSync(cf(f)->real, flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* s) {
    if (int rc = settle(cf(f)); rc != SQLITE_OK) return rc;
    return cf(f)->real->pMethods->xFileSize(cf(f)->real, s);
}
int x_lock(sqlite3_file* f, int l) {
    if (int rc = settle(cf(f)); rc != SQLITE_OK) return rc;
    return cf(f)->real->pMethods->xLock(cf(f)->real, l);
}
int x_unlock(sqlite3_file* f, int l) {
    if (int rc = settle(cf(f)); rc != SQLITE_OK) return rc;
    return cf(f)->real->pMethods->xUnlock(cf(f)->real, l);
}
int x_check_reserved(sqlite3_file* f, int* out) { return cf(f)->real->pMethods->xCheckReservedLock(cf(f)->real, out); }

// Size hints and chunk sizes would make the default VFS extend the file with plaintext zeros.
int x_file_control(sqlite3_file* f, int op, void* arg) {
    if (op == SQLITE_FCNTL_SIZE_HINT || op == SQLITE_FCNTL_CHUNK_SIZE) return SQLITE_OK;
    if (int rc = settle(cf(f)); rc != SQLITE_OK) return rc;
    return cf(f)->real->pMethods->xFileControl(cf(f)->real, op, arg);
}
// 4096 at least, so a new database's pages are whole blocks: a page written never re-encrypts a
// neighbour that another connection may be reading.
int x_sector_size(sqlite3_file* f) {
    return std::max(cf(f)->real->pMethods->xSectorSize(cf(f)->real), static_cast<int>(kBlock));
}
// A write re-encrypts whole 4096-byte blocks, so bytes around it are rewritten too: not
// power-safe-overwrite, and no atomic-write promises of the device carry over.
int x_device_characteristics(sqlite3_file* f) {
    const int d = cf(f)->real->pMethods->xDeviceCharacteristics(cf(f)->real);
    return d & ~(SQLITE_IOCAP_POWERSAFE_OVERWRITE | SQLITE_IOCAP_BATCH_ATOMIC | SQLITE_IOCAP_ATOMIC |
                 SQLITE_IOCAP_ATOMIC512 | SQLITE_IOCAP_ATOMIC1K | SQLITE_IOCAP_ATOMIC2K | SQLITE_IOCAP_ATOMIC4K |
                 SQLITE_IOCAP_ATOMIC8K | SQLITE_IOCAP_ATOMIC16K | SQLITE_IOCAP_ATOMIC32K | SQLITE_IOCAP_ATOMIC64K);
}
// The wal-index (-shm) holds page numbers, frame counts and checksums, never page contents: it is
// shared memory between processes and stays as the default VFS makes it.
int x_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** out) {
    return cf(f)->real->pMethods->xShmMap(cf(f)->real, pg, sz, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return cf(f)->real->pMethods->xShmLock(cf(f)->real, offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { cf(f)->real->pMethods->xShmBarrier(cf(f)->real); }
int x_shm_unmap(sqlite3_file* f, int del) { return cf(f)->real->pMethods->xShmUnmap(cf(f)->real, del); }

// Version 2: no xFetch, so SQLite never memory-maps a file and every read comes through x_read.
const sqlite3_io_methods kCryptIo = {2,
                                     x_close,
                                     x_read,
                                     x_write,
                                     x_truncate,
                                     x_sync,
                                     x_file_size,
                                     x_lock,
                                     x_unlock,
                                     x_check_reserved,
                                     x_file_control,
                                     x_sector_size,
                                     x_device_characteristics,
                                     x_shm_map,
                                     x_shm_lock,
                                     x_shm_barrier,
                                     x_shm_unmap,
                                     nullptr,
                                     nullptr};

sqlite3_vfs* base_vfs(sqlite3_vfs* v) { return static_cast<sqlite3_vfs*>(v->pAppData); }

std::optional<FileKind> kind_of(int flags) {
    if (flags & SQLITE_OPEN_MAIN_DB) return FileKind::MainDb;
    if (flags & SQLITE_OPEN_WAL) return FileKind::Wal;
    if (flags & SQLITE_OPEN_MAIN_JOURNAL) return FileKind::Journal;
    if (flags & (SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_TRANSIENT_DB | SQLITE_OPEN_SUBJOURNAL))
        return FileKind::Temp;
    return std::nullopt;  // a super-journal: the names of the journals of an ATTACHed transaction
}

int x_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    CryptFile* f = cf(file);
    f->base.pMethods = nullptr;
    f->codec = nullptr;
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    sqlite3_vfs* base = base_vfs(vfs);
    const auto kind = kind_of(flags);
    if (!kind) {
        // Passed through unencrypted (no codec): it holds file names only.
        const int rc = base->xOpen(base, name, f->real, flags, out_flags);
        if (f->real->pMethods) f->base.pMethods = &kCryptIo;
        return rc;
    }
    auto key = key_for(name, *kind);
    if (!key) return SQLITE_CANTOPEN;
    try {
        auto codec = std::make_unique<Codec>();
        codec->kind = *kind;
        if (!codec->cipher.init(*key)) return SQLITE_CANTOPEN;
        const int rc = base->xOpen(base, name, f->real, flags, out_flags);
        if (rc != SQLITE_OK) {
            if (f->real->pMethods) f->real->pMethods->xClose(f->real);
            return rc;
        }
        f->codec = codec.release();
        f->base.pMethods = &kCryptIo;
        (void)know_wal_page(f);  // on failure: at first use
        return SQLITE_OK;
    } catch (const std::bad_alloc&) {
        return SQLITE_NOMEM;
    }
}

int x_delete(sqlite3_vfs* v, const char* n, int sync) { return base_vfs(v)->xDelete(base_vfs(v), n, sync); }
int x_access(sqlite3_vfs* v, const char* n, int flags, int* out) {
    return base_vfs(v)->xAccess(base_vfs(v), n, flags, out);
}
int x_full_pathname(sqlite3_vfs* v, const char* n, int size, char* out) {
    return base_vfs(v)->xFullPathname(base_vfs(v), n, size, out);
}
void* x_dl_open(sqlite3_vfs* v, const char* n) { return base_vfs(v)->xDlOpen(base_vfs(v), n); }
void x_dl_error(sqlite3_vfs* v, int n, char* out) { base_vfs(v)->xDlError(base_vfs(v), n, out); }
void (*x_dl_sym(sqlite3_vfs* v, void* h, const char* s))(void) { return base_vfs(v)->xDlSym(base_vfs(v), h, s); }
void x_dl_close(sqlite3_vfs* v, void* h) { base_vfs(v)->xDlClose(base_vfs(v), h); }
int x_randomness(sqlite3_vfs* v, int n, char* out) { return base_vfs(v)->xRandomness(base_vfs(v), n, out); }
int x_sleep(sqlite3_vfs* v, int us) { return base_vfs(v)->xSleep(base_vfs(v), us); }
int x_current_time(sqlite3_vfs* v, double* out) { return base_vfs(v)->xCurrentTime(base_vfs(v), out); }
int x_last_error(sqlite3_vfs* v, int n, char* out) { return base_vfs(v)->xGetLastError(base_vfs(v), n, out); }
int x_current_time64(sqlite3_vfs* v, sqlite3_int64* out) { return base_vfs(v)->xCurrentTimeInt64(base_vfs(v), out); }

// Registered once per process, never as the default: plaintext connections keep SQLite's own.
Status register_vfs() {
    static std::once_flag once;
    static Status result;
    std::call_once(once, [] {
        sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
        auto temp = StoreKey::random();
        if (!base || !temp) {
            result = Error{Error::Kind::Internal, "the encrypting file layer cannot start"};
            return;
        }
        registry().temp_key = std::make_shared<const StoreKey>(std::move(*temp));
        static sqlite3_vfs vfs{};
        vfs.iVersion = 2;
        vfs.szOsFile = static_cast<int>(sizeof(CryptFile)) + base->szOsFile;
        vfs.mxPathname = base->mxPathname;
        vfs.zName = kVfsName;
        vfs.pAppData = base;
        vfs.xOpen = x_open;
        vfs.xDelete = x_delete;
        vfs.xAccess = x_access;
        vfs.xFullPathname = x_full_pathname;
        vfs.xDlOpen = x_dl_open;
        vfs.xDlError = x_dl_error;
        vfs.xDlSym = x_dl_sym;
        vfs.xDlClose = x_dl_close;
        vfs.xRandomness = x_randomness;
        vfs.xSleep = x_sleep;
        vfs.xCurrentTime = x_current_time;
        vfs.xGetLastError = x_last_error;
        vfs.xCurrentTimeInt64 = x_current_time64;
        const int rc = sqlite3_vfs_register(&vfs, 0);
        if (rc != SQLITE_OK) result = from_sqlite(rc, "register the encrypting file layer", nullptr);
    });
    return result;
}

// A path as a URI filename (RFC 3986 percent-encoding of what SQLite would read specially).
std::string uri_for(const std::string& path, uint64_t key_id) {
    std::string u = "file:";
    for (const char ch : path) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '%' || c == '?' || c == '#' || c < 0x20) {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            u += hex;
        } else {
            u += ch;
        }
    }
    return u + "?" + kKeyParam + "=" + std::to_string(key_id);
}

Error wrong_key(const std::string& path) {
    return Error{Error::Kind::WrongKey,
                 "the store could not be decrypted: wrong key or not a Liaison store (" + path + ")",
                 "wrong_key",
                 {}};
}

}  // namespace

KeyLease::KeyLease(std::shared_ptr<const StoreKey> key) {
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    id_ = r.next++;
    r.keys.emplace(id_, std::move(key));
}

KeyLease::~KeyLease() {
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    r.keys.erase(id_);
}

int open_connection(const std::string& path, int flags, const std::shared_ptr<const StoreKey>& key,
                    std::unique_ptr<KeyLease>& lease, sqlite3** out) {
    if (!key) return sqlite3_open_v2(path.c_str(), out, flags, nullptr);
    if (!register_vfs()) {
        *out = nullptr;
        return SQLITE_CANTOPEN;
    }
    lease = std::make_unique<KeyLease>(key);
    return sqlite3_open_v2(uri_for(path, lease->id()).c_str(), out, flags | SQLITE_OPEN_URI, kVfsName);
}

bool file_is_plaintext(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<char, 16> head{};
    if (!in.read(head.data(), head.size())) return false;
    return head == kSqliteMagic;
}

Status check_store_key(const std::string& path, const StoreKey& key) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return {};
    const auto size = static_cast<int64_t>(std::filesystem::file_size(path, ec));
    if (ec) return Error{Error::Kind::Io, "cannot read " + path + ": " + ec.message()};
    if (size == 0) return {};
    if (file_is_plaintext(path))
        return Error{Error::Kind::WrongKey,
                     "the store is not encrypted (" + path + "): encrypt it in place first",
                     "wrong_key",
                     {}};
    if (size < static_cast<int64_t>(kSqliteMagic.size())) return wrong_key(path);
    std::ifstream in(path, std::ios::binary);
    Codec c;
    c.kind = FileKind::MainDb;
    c.buf.resize(static_cast<size_t>(std::min(size, kBlock)));
    if (!in.read(reinterpret_cast<char*>(c.buf.data()), static_cast<std::streamsize>(c.buf.size())))
        return Error{Error::Kind::Io, "cannot read " + path};
    if (!c.cipher.init(key) || !crypt_span(c, 0, static_cast<int64_t>(c.buf.size()), size, false))
        return Error{Error::Kind::Internal, "cannot decrypt " + path};
    const bool ok = std::memcmp(c.buf.data(), kSqliteMagic.data(), kSqliteMagic.size()) == 0;
    OPENSSL_cleanse(c.buf.data(), c.buf.size());
    return ok ? Status{} : Status{wrong_key(path)};
}

Result<StoreKey> read_key_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return not_found("no key file " + path);
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return invalid("the key file " + path + " is readable by others (mode " + mode + "): chmod 600 " + path);
    }
    if (st.st_size < 32 || st.st_size > 64)
        return invalid("the key file " + path + " must hold 32 to 64 random bytes (head -c 64 /dev/urandom)");
    std::ifstream in(path, std::ios::binary);
    std::array<unsigned char, 64> raw{};
    const auto n = static_cast<size_t>(st.st_size);
    if (!in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(n)))
        return Error{Error::Kind::Io, "cannot read the key file " + path};
    static constexpr char kLabel[] = "liaison store key v1";
    StoreKey key;
    unsigned int len = 0;
    CtxDigest md(EVP_MD_CTX_new());
    const bool ok = md && EVP_DigestInit_ex(md.get(), EVP_sha512(), nullptr) == 1 &&
                    EVP_DigestUpdate(md.get(), kLabel, sizeof kLabel - 1) == 1 &&
                    EVP_DigestUpdate(md.get(), raw.data(), n) == 1 &&
                    EVP_DigestFinal_ex(md.get(), key.bytes.data(), &len) == 1 && len == key.bytes.size();
    OPENSSL_cleanse(raw.data(), raw.size());
    if (!ok) return Error{Error::Kind::Internal, "cannot derive a key from " + path};
    return key;
}

Status encrypt_in_place(const std::string& path, const std::shared_ptr<const StoreKey>& key) {
    if (!key) return invalid("encrypt_in_place needs a key");
    if (!file_is_plaintext(path)) {
        // Already encrypted with this key (a second run, or a crash after the rename): done.
        LIAISON_TRY(check_store_key(path, *key));
        return {};
    }
    const std::string encrypted = path + ".encrypting";
    {
        auto src = Db::open(path);
        if (!src) return src.error();
        // The store to ourselves: no other connection may write while the copy is taken, nor
        // keep the plaintext file open after the rename.
        LIAISON_TRY((*src)->exec("PRAGMA locking_mode=EXCLUSIVE"));
        LIAISON_TRY((*src)->exec("BEGIN EXCLUSIVE"));
        LIAISON_TRY((*src)->exec("COMMIT"));
        LIAISON_TRY((*src)->exec("PRAGMA wal_checkpoint(TRUNCATE)"));
        LIAISON_TRY(backup_to(**src, encrypted, key));
    }
    std::error_code ec;
    std::filesystem::rename(encrypted, path, ec);
    if (ec) return Error{Error::Kind::Io, "cannot replace " + path + ": " + ec.message()};
    for (const char* suffix : {"-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
    // The rename reaches the disk before anyone writes into the new file.
    const std::string dir = std::filesystem::path(path).parent_path().string();
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    return {};
}

}  // namespace liaison::db
