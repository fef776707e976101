// Encryption at rest (docs/security.md, "Encryption at rest"): the encrypting VFS keeps every
// row readable through SQLite and no plaintext in any file of the store's folder, crash included.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <cstring>
#include <poll.h>
#include <random>
#include <atomic>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/db_scalar.h"
#include "client/store/store.h"
#include "domain/search.h"
#include "sync/replica/backup.h"
#include "sync/replica/crypt_vfs.h"
#include "sync/replica/sqlite.h"

using namespace liaison;
using testing_support::scalar;

namespace {

const std::string kName = "刘䶮测";
const std::string kPhone = "13912345678";

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& tag)
        : path(std::filesystem::temp_directory_path() / ("liaison-crypt-" + tag + "-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

std::shared_ptr<const db::StoreKey> new_key() {
    auto k = db::StoreKey::random();
    REQUIRE(k);
    return std::make_shared<const db::StoreKey>(std::move(*k));
}

std::unique_ptr<db::Db> open_db(const std::string& path, std::shared_ptr<const db::StoreKey> key) {
    db::Db::Options o;
    o.key = std::move(key);
    auto d = db::Db::open(path, o);
    REQUIRE_MESSAGE(d, (d ? "" : d.error().message));
    return std::move(*d);
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every file of the folder whose bytes contain `needle`.
std::vector<std::string> files_containing(const std::filesystem::path& dir, const std::string& needle) {
    std::vector<std::string> hits;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.is_regular_file() && slurp(e.path()).find(needle) != std::string::npos)
            hits.push_back(e.path().filename().string());
    return hits;
}

void no_plaintext(const std::filesystem::path& dir) {
    CHECK(files_containing(dir, kName).empty());
    CHECK(files_containing(dir, kPhone).empty());
    CHECK(files_containing(dir, "SQLite format 3").empty());
}

void add_people(db::Db& d, int from, int n) {
    auto tx = db::Tx::begin(d);
    REQUIRE(tx);
    for (int i = from; i < from + n; ++i) {
        auto& st = d.cached("INSERT INTO people(id, name, phone, note) VALUES (?, ?, ?, ?)");
        st.bind(1, i).bind(2, kName + std::to_string(i)).bind(3, kPhone).bind(4, std::string(300 + i % 700, 'n'));
        REQUIRE(st.run());
    }
    REQUIRE(tx->commit());
}

// Opened again with its key, the store holds `count` rows matching `where` and checks clean.
void reopens_with(const std::string& path, const std::shared_ptr<const db::StoreKey>& key, int64_t count,
                  const std::string& where = "1") {
    auto d = open_db(path, key);
    CHECK(scalar(*d, "SELECT count(*) FROM people WHERE " + where) == count);
    CHECK(db::check_integrity(*d, true));
}

void make_people(db::Db& d) {
    REQUIRE(d.exec("CREATE TABLE IF NOT EXISTS people(id INTEGER PRIMARY KEY, name TEXT, phone TEXT, note TEXT)"));
}

// A folder with one encrypted store of `people` rows in it, closed again.
struct EncryptedStore {
    TempDir dir;
    std::string path;
    std::shared_ptr<const db::StoreKey> key = new_key();
    EncryptedStore(const std::string& tag, int people) : dir(tag), path(dir.file("s.db")) {
        auto d = open_db(path, key);
        make_people(*d);
        if (people > 0) add_people(*d, 0, people);
    }
};

// Runs `child` in a forked process that signals on the returned pipe end when it is ready
// (`child` writes a byte to the fd it is given); the parent reads that end.
struct Child {
    pid_t pid = -1;
    int ready = -1;
    template <class F>
    explicit Child(F child) {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::close(fds[0]);
            _exit(child(fds[1]));
        }
        ::close(fds[1]);
        ready = fds[0];
    }
    // SIGKILL, reaped; true if it died of the signal.
    bool kill() {
        ::kill(pid, SIGKILL);
        int status = 0;
        const bool reaped = ::waitpid(pid, &status, 0) == pid;
        ::close(ready);
        return reaped && WIFSIGNALED(status);
    }
};

}  // namespace

TEST_CASE("an encrypted store reads back what it wrote and holds no plaintext") {
    EncryptedStore s("roundtrip", 500);
    CHECK_FALSE(db::file_is_plaintext(s.path));
    no_plaintext(s.dir.path);
    auto d = open_db(s.path, s.key);
    CHECK(scalar(*d, "SELECT count(*) FROM people WHERE phone = '13912345678'") == 500);
    auto st = d->prepare("SELECT name FROM people WHERE id = 321");
    REQUIRE(st);
    REQUIRE(*st->step());
    CHECK(st->text(0) == kName + "321");
    CHECK(db::check_integrity(*d, true));
}

TEST_CASE("odd page sizes, a rollback journal and temporary files go through the cipher") {
    TempDir dir("shapes");
    const auto key = new_key();
    for (const int page : {512, 1024, 8192, 65536}) {
        CAPTURE(page);
        const auto path = dir.file("p" + std::to_string(page) + ".db");
        {
            db::Db::Options o;
            o.key = key;
            // Before WAL is switched on, so the page size takes: a fresh file, then the pragma.
            std::unique_ptr<db::KeyLease> lease;
            sqlite3* raw = nullptr;
            REQUIRE(db::open_connection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, key, lease, &raw) ==
                    SQLITE_OK);
            const std::string sql = "PRAGMA page_size=" + std::to_string(page) + "; CREATE TABLE t(x)";
            REQUIRE(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
            sqlite3_close_v2(raw);
        }
        {
            auto d = open_db(path, key);
            CHECK(scalar(*d, "PRAGMA page_size") == page);
            make_people(*d);
            REQUIRE(d->exec("PRAGMA journal_mode=DELETE"));  // the rollback journal: 4-byte writes
            add_people(*d, 0, 300);
            REQUIRE(d->exec("PRAGMA temp_store=FILE"));  // a sort that spills to a temporary file
            CHECK(scalar(*d, "SELECT count(*) FROM (SELECT DISTINCT note || id FROM people ORDER BY 1 DESC)") == 300);
            REQUIRE(d->exec("DELETE FROM people WHERE id % 3 = 0"));
            REQUIRE(d->exec("VACUUM"));
        }
        reopens_with(path, key, 200);
    }
    no_plaintext(dir.path);
}

// The visits' index form (domain/search.h): one token per character, a query is their phrase.
TEST_CASE("FTS5 works on an encrypted store") {
    TempDir dir("fts");
    const auto key = new_key();
    auto d = open_db(dir.file("s.db"), key);
    REQUIRE(d->exec("CREATE VIRTUAL TABLE search USING fts5(body, tokenize='unicode61')"));
    auto tx = db::Tx::begin(*d);
    REQUIRE(tx);
    for (int i = 0; i < 2000; ++i) {
        auto& st = d->cached("INSERT INTO search(rowid, body) VALUES (?, ?)");
        st.bind(1, i).bind(
            2, domain::search_text((i % 10 == 0 ? kName : std::string("王五")) + "反映小区停车难" + std::to_string(i)));
        REQUIRE(st.run());
    }
    REQUIRE(tx->commit());
    CHECK(scalar(*d, "SELECT count(*) FROM search WHERE search MATCH '\"䶮 测\"'") == 200);
    CHECK(scalar(*d, "SELECT count(*) FROM search WHERE search MATCH '\"停 车\"'") == 2000);
    d.reset();
    no_plaintext(dir.path);
}

TEST_CASE("the WAL is encrypted, read by a second connection, checkpointed and reopened") {
    TempDir dir("wal");
    const auto path = dir.file("s.db");
    const auto key = new_key();
    auto writer = open_db(path, key);
    REQUIRE(writer->exec("PRAGMA wal_autocheckpoint=0"));
    make_people(*writer);
    for (int i = 0; i < 20; ++i) add_people(*writer, i * 50, 50);
    CHECK(std::filesystem::file_size(path + "-wal") > 100000);
    no_plaintext(dir.path);
    {
        auto reader = open_db(path, key);  // every row it sees comes from the WAL's frames
        CHECK(scalar(*reader, "SELECT count(*) FROM people") == 1000);
        CHECK(scalar(*reader, "SELECT sum(length(note)) FROM people") > 300000);
    }
    REQUIRE(writer->exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    CHECK(std::filesystem::file_size(path + "-wal") == 0);
    add_people(*writer, 1000, 10);  // the WAL starts over from its header
    writer.reset();
    reopens_with(path, key, 1010);
    no_plaintext(dir.path);
}

// A reader reads committed frames while the writer appends the next ones: a frame's encryption
// never depends on what follows it, so the reader never sees a half re-encrypted unit.
TEST_CASE("a reader beside a writer always reads whole, correct rows") {
    TempDir dir("readers");
    const auto path = dir.file("s.db");
    const auto key = new_key();
    auto writer = open_db(path, key);
    make_people(*writer);
    std::atomic<bool> done{false};
    std::atomic<int> reads{0}, failures{0};
    std::thread reader([&] {
        db::Db::Options o;
        o.key = key;
        auto d = db::Db::open(path, o);
        if (!d) {
            ++failures;
            return;
        }
        while (!done) {
            auto st = (*d)->prepare("SELECT count(*), sum(length(note)), sum(phone = '13912345678') FROM people");
            auto r = st ? st->step() : Result<bool>(st.error());
            // Every transaction adds 7 rows, each with the same phone: a torn read shows otherwise.
            if (!r || !*r || st->i64(0) % 7 != 0 || st->i64(2) != st->i64(0)) ++failures;
            ++reads;
        }
    });
    for (int i = 0; i < 150; ++i) add_people(*writer, i * 7, 7);
    while (reads < 50) std::this_thread::yield();
    done = true;
    reader.join();
    CHECK(failures == 0);
    CHECK(db::check_integrity(*writer, true));
}

TEST_CASE("a wrong key, or none, is refused and writes nothing") {
    EncryptedStore s("wrongkey", 10);
    const auto& path = s.path;
    const auto& key = s.key;
    const std::string before = slurp(path);
    db::Db::Options o;
    o.key = new_key();
    auto wrong = db::Db::open(path, o);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().kind == Error::Kind::WrongKey);
    CHECK(wrong.error().message.find("wrong key") != std::string::npos);
    o.read_only = true;
    CHECK_FALSE(db::Db::open(path, o));
    auto none = db::Db::open(path);  // no key: SQLite sees no database
    CHECK_FALSE(none);
    CHECK(slurp(path) == before);
    CHECK_FALSE(std::filesystem::exists(path + "-wal"));
    CHECK(db::check_store_key(path, *key));
    CHECK(db::check_store_key(path, *o.key).error().kind == Error::Kind::WrongKey);
    CHECK_FALSE(db::check_file(path, o.key));
    CHECK(db::check_file(path, key));
}

TEST_CASE("canary: a writer killed mid-write leaves no voter's name or phone in any file") {
    EncryptedStore s("canary", 0);
    Child writer([&s](int ready) {
        db::Db::Options o;
        o.key = s.key;
        auto d = db::Db::open(s.path, o);
        if (!d) return 3;
        for (int i = 0;; ++i) {
            auto tx = db::Tx::begin(**d);
            if (!tx) return 4;
            for (int j = 0; j < 20; ++j) {
                auto& st = (*d)->cached("INSERT INTO people(name, phone, note) VALUES (?, ?, ?)");
                if (!st.bind(1, kName).bind(2, kPhone).bind(3, std::string(500, 'x')).run()) return 5;
            }
            if (!tx->commit()) return 6;
            if (i == 30 && (::write(ready, "1", 1) != 1 || ::close(ready) != 0)) return 7;
        }
    });
    pollfd p{writer.ready, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 60000) == 1);
    ::usleep(20000);  // well into later transactions, then mid-write
    REQUIRE(writer.kill());
    CHECK(std::filesystem::exists(s.path + "-wal"));  // the kill left the WAL for recovery
    no_plaintext(s.dir.path);
    auto d = open_db(s.path, s.key);
    CHECK(scalar(*d, "SELECT count(*) FROM people") >= 31 * 20);
    CHECK(scalar(*d, "SELECT count(*) FROM people") % 20 == 0);  // whole transactions only
    CHECK(db::check_integrity(*d, true));
    d.reset();
    no_plaintext(s.dir.path);
}

// journal_size_limit makes SQLite cut the WAL at a byte count inside a frame: the cut frame is
// re-encrypted at its new length, and the WAL reused from its start still reads back.
TEST_CASE("a WAL truncated inside a frame and reused") {
    TempDir dir("walcut");
    const auto path = dir.file("s.db");
    const auto key = new_key();
    {
        auto d = open_db(path, key);
        make_people(*d);
        REQUIRE(d->exec("PRAGMA journal_size_limit=10000"));
        int cut = 0;  // times the WAL ended inside a frame (32-byte header, 4120-byte frames)
        for (int i = 0; i < 10; ++i) {
            add_people(*d, i * 40, 39);
            REQUIRE(d->exec("PRAGMA wal_checkpoint(PASSIVE)"));
            // The first commit after the WAL restarts cuts it to the limit (or its own frames' end).
            add_people(*d, i * 40 + 39, 1);
            const auto wal = std::filesystem::file_size(path + "-wal");
            CHECK(wal <= 32 + 3 * 4120);
            if ((wal - 32) % 4120 != 0) ++cut;
        }
        CHECK(cut > 0);
        CHECK(scalar(*d, "SELECT count(*) FROM people") == 400);
    }
    reopens_with(path, key, 400);
    no_plaintext(dir.path);
}

// A rollback journal left by a killed writer (journal_mode=DELETE, as backups and the upgrade
// use) is decrypted and played back when the store is next opened.
TEST_CASE("a hot rollback journal is rolled back through the cipher") {
    EncryptedStore s("hotjournal", 100);
    Child writer([&s](int ready) {
        db::Db::Options o;
        o.key = s.key;
        auto d = db::Db::open(s.path, o);
        if (!d || !(*d)->exec("PRAGMA journal_mode=DELETE") || !(*d)->exec("PRAGMA cache_size=10")) return 3;
        if (!(*d)->exec("BEGIN IMMEDIATE") || !(*d)->exec("UPDATE people SET note = 'changed', phone = '0'")) return 4;
        // A small cache spills changed pages into the file before the commit: the journal is hot.
        if (::write(ready, "1", 1) != 1) return 5;
        ::pause();
        return 6;
    });
    char byte = 0;
    REQUIRE(::read(writer.ready, &byte, 1) == 1);
    REQUIRE(writer.kill());
    REQUIRE(std::filesystem::exists(s.path + "-journal"));
    no_plaintext(s.dir.path);
    reopens_with(s.path, s.key, 100, "phone = '13912345678'");
}

TEST_CASE("encrypt_in_place upgrades a plaintext store made by today's code") {
    TempDir dir("upgrade");
    const auto path = dir.file("liaison.db");
    std::vector<std::string> ids;
    {
        store::OpenOptions o;
        o.create = true;
        auto s = store::Store::open(path, o);
        REQUIRE(s);
        REQUIRE((*s)->init("东湖街道代表联络站", "upgrade"));
        for (int i = 0; i < 40; ++i) {
            store::Visit v;
            v.category = "education";
            v.subject = "停车难 " + std::to_string(i);
            v.received_at = "2026-01-01 08:00";
            v.visitors.push_back(store::Visitor{"", "", kName, kPhone, "", ""});
            auto id = (*s)->add_visit(v);
            REQUIRE(id);
            ids.push_back(*id);
        }
    }
    REQUIRE(db::file_is_plaintext(path));
    CHECK_FALSE(files_containing(dir.path, kName).empty());
    const auto key = new_key();
    REQUIRE(db::encrypt_in_place(path, key));
    CHECK_FALSE(db::file_is_plaintext(path));
    no_plaintext(dir.path);
    CHECK(db::encrypt_in_place(path, key));  // a second run finds it done
    auto wrong = db::encrypt_in_place(path, new_key());
    CHECK_FALSE(wrong);
    auto d = open_db(path, key);
    CHECK(scalar(*d, "SELECT count(*) FROM visits") == 40);
    CHECK(scalar(*d, "SELECT count(*) FROM visit_visitors WHERE name = '刘䶮测' AND phone = '13912345678'") == 40);
    CHECK(db::check_integrity(*d, true));
}

TEST_CASE("a backup of an encrypted store is encrypted with the same key") {
    TempDir dir("backup");
    const auto key = new_key();
    auto d = open_db(dir.file("s.db"), key);
    make_people(*d);
    add_people(*d, 0, 100);
    const auto copy = dir.file("copy.db");
    REQUIRE(db::backup_to(*d, copy, key));
    CHECK(db::check_file(copy, key));
    CHECK_FALSE(db::check_file(copy));
    CHECK_FALSE(db::file_is_plaintext(copy));
    auto c = open_db(copy, key);
    CHECK(scalar(*c, "SELECT count(*) FROM people") == 100);
    c.reset();
    d.reset();
    no_plaintext(dir.path);
}

TEST_CASE("a key file is 32 to 64 bytes that only its owner may read") {
    TempDir dir("keyfile");
    const auto path = dir.file("db.key");
    auto write = [&](size_t n, std::filesystem::perms mode) {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << std::string(n, 'k');
        std::filesystem::permissions(path, mode);
    };
    using P = std::filesystem::perms;
    write(32, P::owner_read | P::owner_write);
    auto a = db::read_key_file(path);
    REQUIRE(a);
    auto again = db::read_key_file(path);
    REQUIRE(again);
    CHECK(a->bytes == again->bytes);  // the same file, the same key
    write(64, P::owner_read);
    auto b = db::read_key_file(path);
    REQUIRE(b);
    CHECK(b->bytes != a->bytes);
    write(32, P::owner_read | P::owner_write | P::group_read);
    auto shared = db::read_key_file(path);
    REQUIRE_FALSE(shared);
    CHECK(shared.error().message.find("chmod 600") != std::string::npos);
    write(32, P::owner_read | P::others_read);
    CHECK_FALSE(db::read_key_file(path));
    write(31, P::owner_read);
    CHECK_FALSE(db::read_key_file(path));
    write(65, P::owner_read);
    CHECK_FALSE(db::read_key_file(path));
    CHECK(db::read_key_file(dir.file("missing")).error().kind == Error::Kind::NotFound);
}

namespace {

// One file of the encrypting VFS opened directly, beside a plain copy of what it should hold.
struct ModelFile {
    sqlite3_vfs* vfs = sqlite3_vfs_find("liaison-crypt");
    std::vector<char> mem;
    sqlite3_file* f = nullptr;
    std::string model;
    explicit ModelFile(sqlite3_filename name, int kind_flag) {
        REQUIRE(vfs);
        mem.resize(static_cast<size_t>(vfs->szOsFile));
        f = reinterpret_cast<sqlite3_file*>(mem.data());
        int out = 0;
        REQUIRE(vfs->xOpen(vfs, name, f, kind_flag | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &out) == SQLITE_OK);
    }
    ~ModelFile() {
        if (f->pMethods) f->pMethods->xClose(f);
    }
    void write(const std::string& bytes, int64_t off) {
        REQUIRE(f->pMethods->xWrite(f, bytes.data(), static_cast<int>(bytes.size()), off) == SQLITE_OK);
        if (model.size() < static_cast<size_t>(off) + bytes.size())
            model.resize(static_cast<size_t>(off) + bytes.size());
        model.replace(static_cast<size_t>(off), bytes.size(), bytes);
    }
    void truncate(int64_t size) {
        REQUIRE(f->pMethods->xTruncate(f, size) == SQLITE_OK);
        model.resize(static_cast<size_t>(size));
    }
    void check_read(int64_t off, int amt) {
        std::string got(static_cast<size_t>(amt), '\x7f');
        const int rc = f->pMethods->xRead(f, got.data(), amt, off);
        std::string want = static_cast<size_t>(off) < model.size() ? model.substr(static_cast<size_t>(off), amt) : "";
        const bool short_read = want.size() < static_cast<size_t>(amt);
        want.resize(static_cast<size_t>(amt), '\0');
        CHECK(rc == (short_read ? SQLITE_IOERR_SHORT_READ : SQLITE_OK));
        CHECK(got == want);
    }
    void check_size() {
        sqlite3_int64 size = 0;
        REQUIRE(f->pMethods->xFileSize(f, &size) == SQLITE_OK);
        CHECK(size == static_cast<sqlite3_int64>(model.size()));
    }
};

std::string random_bytes(std::mt19937& rng, size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    return s;
}

}  // namespace

// Reads, writes and truncations at any offset and length read back what a plain file would hold:
// blocks (a journal, a temporary file) and a WAL's frames, its held-back frame headers included.
TEST_CASE("random reads, writes and truncations match a plain file") {
    TempDir dir("model");
    const auto key = new_key();
    auto d = open_db(dir.file("s.db"), key);  // registers the VFS
    std::ofstream(dir.file("m.db")).flush();  // the default VFS gives a journal its database's mode
    db::KeyLease lease(key);
    const std::string param = std::to_string(lease.id());
    const char* params[] = {"liaison_key", param.c_str()};
    sqlite3_filename names = sqlite3_create_filename(dir.file("m.db").c_str(), dir.file("m.db-journal").c_str(),
                                                     dir.file("m.db-wal").c_str(), 1, params);
    REQUIRE(names);
    std::mt19937 rng(12);
    for (const bool wal : {false, true}) {
        CAPTURE(wal);
        ModelFile m(wal ? sqlite3_filename_wal(names) : sqlite3_filename_journal(names),
                    wal ? SQLITE_OPEN_WAL : SQLITE_OPEN_MAIN_JOURNAL);
        if (wal) {
            std::string header = random_bytes(rng, 32);
            const unsigned char h[12] = {0x37, 0x7f, 0x06, 0x82, 0, 0x2d, 0xe2, 0x18, 0, 0, 0x10, 0};  // page 4096
            std::memcpy(header.data(), h, sizeof h);
            m.write(header, 0);
        }
        for (int op = 0; op < 3000; ++op) {
            const int64_t size = static_cast<int64_t>(m.model.size());
            const int64_t floor = wal ? 32 : 0;
            const int r = static_cast<int>(rng() % 10);
            if (wal && r < 3) {  // a frame as SQLite writes it: header, then page
                const int64_t frame = static_cast<int64_t>(rng() % 40);
                m.write(random_bytes(rng, 24), 32 + frame * 4120);
                if (rng() % 4 != 0) m.write(random_bytes(rng, 4096), 32 + frame * 4120 + 24);
            } else if (r < 6) {
                const int64_t off = floor + static_cast<int64_t>(rng() % static_cast<uint64_t>(size - floor + 200));
                m.write(random_bytes(rng, 1 + rng() % 9000), off);
            } else if (r < 9) {
                m.check_read(static_cast<int64_t>(rng() % static_cast<uint64_t>(size + 100)),
                             1 + static_cast<int>(rng() % 9000));
            } else if (rng() % 3 == 0) {
                m.truncate(floor + static_cast<int64_t>(rng() % static_cast<uint64_t>(size - floor + 5000)));
            } else {
                m.check_size();
            }
        }
        m.check_size();
        for (int64_t off = 0; off < static_cast<int64_t>(m.model.size()); off += 4000) m.check_read(off, 4000);
    }
    sqlite3_free_filename(names);
}
