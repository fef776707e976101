// check, backup, restore: the safety of the store file itself (docs/backup.md).
#include <cstdio>
#include <filesystem>
#include <ostream>

#include "client/cli/verbs.h"
#include "client/store/demo.h"
#include "platform/platform.h"
#include "sync/replica/backup.h"
#include "sync/replica/sync_state.h"

namespace liaison::cli {

namespace fs = std::filesystem;

namespace {

std::string keyring_beside(const std::string& store_file) { return store_file + ".keyring.json"; }

Status copy_private_file(const std::string& from, const std::string& to) {
    std::error_code ec;
    const auto size = fs::file_size(from, ec);
    if (ec) return Error{Error::Kind::Io, "cannot read " + from + ": " + ec.message()};
    std::string bytes(size, '\0');
    FILE* f = std::fopen(from.c_str(), "rb");
    if (!f) return Error{Error::Kind::Io, "cannot read " + from};
    const size_t got = std::fread(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    if (got != bytes.size()) return Error{Error::Kind::Io, "cannot read " + from};
    return platform::write_private_file(to, bytes);
}

}  // namespace

// liaison check [--quick]: SQLite's full integrity check (or the quick one) of the store.
int verb_check(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {}, {"quick"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "check [--quick]");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    if (auto st = s->check(!a->flag("quick")); !st) return fail(ctx, st.error());
    ctx.out << "the store is sound\n";
    return 0;
}

// liaison retention run: the centre's retention rule applied to this store now (docs/retention.md).
// Counts only: never a name or a phone on the terminal.
int verb_retention(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1 || a->positional[0] != "run") return usage_error(ctx, "retention run");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto run = s->run_retention();
    if (!run) return fail(ctx, run.error());
    if (run->months == 0) {
        ctx.out << "retention is off (the centre sets it: liaison-central retention set --months N)\n";
        return 0;
    }
    ctx.out << "retention " << run->months << " months: visits before " << run->cutoff << "; masked "
            << run->stats.visitors << " visitors of " << run->stats.visits << " visits (" << run->stats.values
            << " stored values)";
    if (run->held_back) ctx.out << "; " << run->held_back << " left until their changes are pushed";
    ctx.out << "\n";
    return 0;
}

// liaison demo [--visits N]: demo data in an empty station (docs/console.md: scripts/start.sh
// enrols first, syncs the centre's departments, then seeds, so its cases reach the console).
int verb_demo(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"visits"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "demo [--visits N]");
    const long visits = a->get("visits").empty() ? 48 : std::strtol(a->get("visits").c_str(), nullptr, 10);
    if (visits < 1 || visits > 1000000) return usage_error(ctx, "--visits is 1 to 1000000");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto n = s->count_visits(store::VisitQuery{});
    if (!n) return fail(ctx, n.error());
    if (*n > 0) return usage_error(ctx, "this station has visits already; demo data goes only into an empty one");
    if (auto st = store::seed_demo(*s, static_cast<size_t>(visits)); !st) return fail(ctx, st.error());
    ctx.out << "demo data added: " << visits << " visits, cases in every status\n";
    return 0;
}

// liaison backup FILE: a consistent copy while the app and the sync worker keep writing.
int verb_backup(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "backup FILE");
    const std::string dest = a->positional[0];
    std::error_code ec;
    if (fs::equivalent(dest, ctx.store_path(), ec)) return usage_error(ctx, "the backup cannot be the store itself");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    if (auto st = s->backup(dest); !st) return fail(ctx, st.error());
    ctx.out << "backup written to " << dest << " (" << fs::file_size(dest, ec) << " bytes)\n";
    // The people and key slots go with it: without them the backup opens for nobody.
    if (auto st = copy_private_file(ctx.keyring_path(), keyring_beside(dest)); !st) return fail(ctx, st.error());
    ctx.out << "its keyring: " << keyring_beside(dest) << " (keep both together)\n";
    return 0;
}

// Moves the store's files (db, -wal, -shm) to `to`: the old store is kept, never deleted.
Status move_store_aside(const std::string& store, const std::string& to) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        if (!fs::exists(store + suffix, ec)) continue;
        fs::rename(store + suffix, to + suffix, ec);
        if (ec) return Error{Error::Kind::Io, "cannot move " + store + suffix + " aside: " + ec.message()};
    }
    return {};
}

std::string aside_name(const std::string& store, const std::string& why) {
    std::string stamp = platform::local_datetime(platform::wall_ms());
    for (char& c : stamp)
        if (c == ' ' || c == ':') c = '-';
    return store + "." + why + "-" + stamp;
}

namespace {

// Signs in against the keyring that came with a backup, so only its people can restore it.
int sign_in_to_backup(Context& ctx, const std::string& ring_path) {
    auto ring = store::Keyring::load(ring_path);
    if (!ring) return fail(ctx, ring.error());
    if (ctx.user.empty() || !ctx.pin)
        return usage_error(ctx,
                           "sign in as one of the backup's people: LIAISON_USER and LIAISON_PIN, or --user NAME "
                           "--pin-stdin");
    auto o = ring->sign_in(ctx.user, *ctx.pin, platform::wall_ms());
    if (o.kind != store::SignInOutcome::Kind::SignedIn)
        return usage_error(ctx, ctx.user + " cannot open this backup (unknown, disabled, locked or a wrong PIN)");
    ctx.person = o.person;
    ctx.key = o.key;
    return 0;
}

// Copies a checked backup to `part` and makes sure it is a set-up Liaison store.
Status stage_restore(const std::string& file, const std::string& part, const store::StoreKeyPtr& key) {
    auto checked = db::check_file(file, key);
    if (!checked) return invalid(file + " is not a usable backup (" + checked.error().message + ")");
    db::Db::Options ro;
    ro.read_only = true;
    ro.key = key;
    auto src = db::Db::open(file, ro);
    if (!src) return invalid(file + " is not a usable backup (" + src.error().message + ")");
    LIAISON_TRY(db::backup_to(**src, part, key));
    store::OpenOptions opt;
    opt.key = key;
    auto s = store::Store::open(part, opt);
    if (!s) return invalid(file + " is not a Liaison store (" + s.error().message + ")");
    if (!(*s)->initialized()) return invalid(file + " is not a set-up Liaison store");
    // Whatever this tablet sent after the backup was taken comes back with the next pull.
    return sync::sync_state::set((*s)->db(), "pull_include_own", "1");
}

}  // namespace

// liaison restore FILE [--force]: sets the store up from a backup; an existing store is kept
// beside it (liaison.db.before-restore-...) and only replaced with --force.
int verb_restore(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {}, {"force"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "restore FILE [--force]");
    const std::string file = a->positional[0], store = ctx.store_path();
    std::error_code ec;
    const bool live = fs::exists(store, ec) && fs::file_size(store, ec) > 0;
    if (live && !a->flag("force"))
        return usage_error(ctx, "a store already exists at " + store +
                                    ": close the app and add --force to replace it (the old one is kept beside it)");
    if (!platform::ensure_dir(ctx.data_dir)) return fail(ctx, Error{Error::Kind::Io, "cannot create " + ctx.data_dir});
    const std::string ring = keyring_beside(file);
    const bool has_ring = fs::exists(ring, ec);
    if (has_ring)
        if (int rc = sign_in_to_backup(ctx, ring)) return rc;
    const std::string part = store + ".restoring";
    auto staged = stage_restore(file, part, has_ring ? ctx.key : nullptr);
    if (!staged) {
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(part + suffix, ec);
        return fail(ctx, staged.error());
    }
    const std::string aside = aside_name(store, "before-restore");
    if (auto st = move_store_aside(store, aside); !st) return fail(ctx, st.error());
    if (fs::exists(ctx.keyring_path(), ec)) fs::rename(ctx.keyring_path(), keyring_beside(aside), ec);
    if (ec) return fail(ctx, Error{Error::Kind::Io, "cannot move the keyring aside: " + ec.message()});
    if (auto st = move_store_aside(part, store); !st) return fail(ctx, st.error());
    if (has_ring)
        if (auto st = copy_private_file(ring, ctx.keyring_path()); !st) return fail(ctx, st.error());
    ctx.out << "restored from " << file << "\n";
    if (!has_ring)
        ctx.out << "the backup came without its keyring: set up an administrator with liaison init --admin\n";
    if (live) ctx.out << "the previous store is kept as " << aside << "\n";
    return 0;
}

}  // namespace liaison::cli
