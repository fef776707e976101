// recover: rebuilds a damaged or lost store from the centre (docs/server.md, "Backups and
// recovery"). The new store is built beside the old one and only swapped in once the pull is done.
#include <filesystem>
#include <ostream>

#include "client/cli/verbs.h"
#include "client/store/salvage.h"
#include "platform/platform.h"
#include "sync/client/curl_transport.h"
#include "client/sync/store_host.h"

namespace liaison::cli {

namespace fs = std::filesystem;

Status move_store_aside(const std::string& store, const std::string& to);  // verbs_store.cpp
std::string aside_name(const std::string& store, const std::string& why);

namespace {

struct RecoverPlan {
    std::string server_url, code, ca_file;
    store::StoreKeyPtr key;  // the signed-in person's: the old store's and the new one's
    store::Salvage old;
};

// A fresh store with the old tablet's identity (same device id and token), or enrolled anew
// with a code when the old store cannot tell who it was.
Result<std::unique_ptr<store::Store>> fresh_store(const std::string& path, const RecoverPlan& p, sync::Transport& t) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ec);
    store::OpenOptions opt;
    opt.create = true;
    opt.key = p.key;
    auto s = store::Store::open(path, opt);
    if (!s) return s.error();
    if (!p.code.empty()) {
        if (!p.old.device_name.empty()) LIAISON_TRY((*s)->set_setting("device_name", p.old.device_name));
        auto r = sync::enrol(**s, t, p.server_url, p.code);
        if (!r) return r.error();
        return s;
    }
    LIAISON_TRY(sync::Replica::set_device_id((*s)->db(), p.old.device_id));
    LIAISON_TRY((*s)->set_setting("station_id", p.old.station_id));
    LIAISON_TRY((*s)->set_setting("device_name", p.old.device_name.empty() ? "tablet" : p.old.device_name));
    LIAISON_TRY(sync::sync_state::set((*s)->db(), "enrolled_station", p.old.station_id));
    if (!p.ca_file.empty()) LIAISON_TRY((*s)->set_setting("sync_ca_file", p.ca_file));
    LIAISON_TRY((*s)->set_server(p.server_url, p.old.token));
    s->reset();  // reopen: the replica reads its device id (the clock's node) when opened
    store::OpenOptions reopen;
    reopen.key = p.key;
    return store::Store::open(path, reopen);
}

Result<sync::RoundReport> rebuild(const std::string& path, const RecoverPlan& p) {
    sync::CurlOptions co;
    co.base_url = p.server_url;
    co.ca_file = p.ca_file;
    sync::CurlTransport t(co);
    auto s = fresh_store(path, p, t);
    if (!s) return s.error();
    LIAISON_TRY(sync::sync_state::set((*s)->db(), "pull_cursor", "0"));
    LIAISON_TRY(sync::sync_state::set((*s)->db(), "pull_include_own", "1"));
    auto token = (*s)->token();
    if (!token) return token.error();
    sync::SyncConfig cfg;
    cfg.token = *token;
    cfg.station_id = (*s)->station_id();
    sync::SyncSession session((*s)->replica(), t, cfg);
    return session.pull();
}

void report_unsent(Context& ctx, const store::Salvage& old) {
    if (!old.readable) {
        ctx.out << "the old store could not be read: changes it had not sent are lost\n";
        return;
    }
    if (!old.unsent_readable) ctx.out << "the old store's outbox is partly unreadable; what could be read:\n";
    ctx.out << old.unsent.size() << " changes made on this tablet were never sent and could not be recovered"
            << (old.unsent.empty() ? "" : ":") << "\n";
    const size_t shown = std::min<size_t>(old.unsent.size(), 50);
    for (size_t i = 0; i < shown; ++i) {
        const auto& u = old.unsent[i];
        // A row change ("*", docs/replication.md) is a record made whole, not one field.
        ctx.out << "  " << u.table << (u.column == "*" ? " (new record)" : "." + u.column) << "  " << u.row << "\n";
    }
    if (shown < old.unsent.size()) ctx.out << "  ... and " << old.unsent.size() - shown << " more\n";
}

}  // namespace

// liaison recover [--server URL --code CODE] [--ca-file PEM]
int verb_recover(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"server", "code", "ca-file", "admin"}, {"pin-stdin"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty())
        return usage_error(ctx, "recover [--server URL --code CODE] [--ca-file PEM] [--admin NAME --pin-stdin]");
    // The keyring's person (or, on a tablet that lost it too, a new first administrator).
    if (int rc = set_up_keyring(ctx, *a)) return rc;
    const std::string store = ctx.store_path();
    RecoverPlan p;
    p.key = ctx.key;
    p.old = store::salvage(store, p.key);
    p.code = a->get("code");
    p.server_url = a->has("server") ? a->get("server") : p.old.server_url;
    p.ca_file = a->has("ca-file") ? a->get("ca-file") : p.old.ca_file;
    const bool known = !p.old.token.empty() && !p.old.device_id.empty() && !p.old.station_id.empty();
    if (p.server_url.empty() || (p.code.empty() && !known))
        return usage_error(ctx, "this tablet's enrolment cannot be read from " + store +
                                    ": ask the centre for a new code and run recover --server URL --code CODE");
    if (!platform::ensure_dir(ctx.data_dir)) return fail(ctx, Error{Error::Kind::Io, "cannot create " + ctx.data_dir});
    const std::string part = store + ".recovering";
    auto pulled = rebuild(part, p);
    if (!pulled) {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(part + suffix, ec);
        return fail(ctx, pulled.error());
    }
    const std::string aside = aside_name(store, "damaged");
    std::error_code ec;
    const bool had_old = fs::exists(store, ec);
    if (auto st = move_store_aside(store, aside); !st) return fail(ctx, st.error());
    if (auto st = move_store_aside(part, store); !st) return fail(ctx, st.error());
    ctx.out << "recovered " << pulled->pulled << " changes of the station from the centre\n";
    if (had_old) ctx.out << "the old store is kept as " << aside << "\n";
    report_unsent(ctx, p.old);
    return 0;
}

}  // namespace liaison::cli
