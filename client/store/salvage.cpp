#include "client/store/salvage.h"

#include "sync/replica/crypt_vfs.h"

#include <filesystem>

#include "sync/replica/sqlite.h"

namespace liaison::store {
namespace {

std::string read_meta(db::Db& db, const char* table, const std::string& key) {
    auto st = db.prepare(std::string("SELECT value FROM ") + table + " WHERE key = ?");
    if (!st) return "";
    st->bind(1, key);
    auto r = st->step();
    return r && *r ? st->text(0) : "";
}

}  // namespace

Salvage salvage(const std::string& path, const std::shared_ptr<const db::StoreKey>& key) {
    Salvage out;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec) || std::filesystem::file_size(path, ec) == 0) return out;
    db::Db::Options o;
    o.read_only = true;
    o.key = db::file_is_plaintext(path) ? nullptr : key;  // a store from before sign-in has none
    auto db = db::Db::open(path, o);
    if (!db) return out;
    out.readable = true;
    out.device_id = read_meta(**db, "crr_meta", "device_id");
    out.device_name = read_meta(**db, "local_meta", "device_name");
    out.station_id = read_meta(**db, "local_meta", "station_id");
    out.server_url = read_meta(**db, "local_meta", "server_url");
    out.token = read_meta(**db, "local_meta", "device_token");
    out.ca_file = read_meta(**db, "local_meta", "sync_ca_file");
    auto st = (*db)->prepare("SELECT tbl, row, col FROM crr_log WHERE local = 1 AND pushed = 0 ORDER BY seq");
    if (!st) return out;
    auto read = st->for_each_row([&](const db::Stmt& q) { out.unsent.push_back({q.text(0), q.text(1), q.text(2)}); });
    if (!read) return out;  // the outbox is (partly) unreadable: what was read is still reported
    out.unsent_readable = true;
    return out;
}

}  // namespace liaison::store
