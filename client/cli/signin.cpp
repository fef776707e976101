// Signing in on the command line (docs/security.md, "Sign-in and keys"): every verb that opens
// the store names a person (LIAISON_USER and LIAISON_PIN, or --user NAME --pin-stdin), whose PIN
// unwraps the store's key; init, enrol and recover set up the first administrator instead.
#include <istream>
#include <ostream>
#include <sys/stat.h>

#include "client/cli/verbs.h"
#include "platform/platform.h"
#include "sync/replica/crypt_vfs.h"

namespace liaison::cli {

namespace {

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::string minutes_text(int64_t ms) {
    const int64_t min = (ms + 59'999) / 60'000;
    return min >= 120 ? std::to_string((min + 59) / 60) + " h" : std::to_string(min) + " min";
}

// One line for each refusal; exit status 2 (bad input), and nothing in the store is touched.
int refused(Context& ctx, const store::SignInOutcome& o) {
    using K = store::SignInOutcome::Kind;
    switch (o.kind) {
        case K::Unknown:
            return usage_error(ctx, "no person called " + ctx.user + " on this tablet (liaison user list)");
        case K::Disabled:
            return usage_error(ctx, ctx.user + " is disabled on this tablet; an administrator can enable them");
        case K::LockedOut:
            return usage_error(ctx, ctx.user + " is locked for " + minutes_text(o.locked_for_ms) + " after " +
                                        std::to_string(store::kMaxPinFailures) + " wrong PINs");
        case K::Wrong:
            return usage_error(
                ctx, "wrong PIN for " + ctx.user + " (" + std::to_string(o.attempts_left) + " more before a lockout)");
        case K::SignedIn: break;
    }
    return 0;
}

}  // namespace

Result<std::string> read_secret_line(Context& ctx, const std::string& what) {
    std::string line;
    if (!ctx.in || !std::getline(*ctx.in, line))
        return invalid("--pin-stdin: no " + what + " on standard input (one line)");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) return invalid("--pin-stdin: the " + what + " on standard input is empty");
    return line;
}

Result<std::string> read_pin_line(Context& ctx) { return read_secret_line(ctx, "PIN"); }

int sign_in(Context& ctx) {
    if (ctx.key) return 0;
    if (!file_exists(ctx.keyring_path())) {
        // No store, or an empty or damaged file: opening it says so, as before sign-in existed;
        // a plaintext store from before sign-in first needs an administrator.
        if (!db::file_is_plaintext(ctx.store_path())) return 0;
        return usage_error(ctx,
                           "this store has no administrator yet: liaison init --admin NAME --pin-stdin sets one "
                           "up and encrypts it");
    }
    if (ctx.user.empty() || !ctx.pin)
        return usage_error(ctx, "sign in first: LIAISON_USER and LIAISON_PIN, or liaison --user NAME --pin-stdin VERB");
    auto o = store::sign_in_at(ctx.keyring_path(), ctx.user, *ctx.pin, platform::wall_ms());
    if (!o) return fail(ctx, o.error());
    if (o->kind != store::SignInOutcome::Kind::SignedIn) return refused(ctx, *o);
    ctx.person = o->person;
    ctx.key = o->key;
    return 0;
}

int require_admin(Context& ctx) {
    if (int rc = sign_in(ctx)) return rc;
    if (ctx.person->role != store::Role::Admin)
        return usage_error(ctx, ctx.user + " is not an administrator of this tablet");
    return 0;
}

// The administrator named by --admin (PIN from stdin) or else by LIAISON_USER and LIAISON_PIN.
Result<std::pair<std::string, std::string>> first_admin(Context& ctx, const Args& a) {
    if (a.has("admin")) {
        if (!a.flag("pin-stdin")) return invalid("--admin NAME needs --pin-stdin (the PIN on standard input)");
        LIAISON_ASSIGN_OR_RETURN(auto pin, read_secret_line(ctx, "PIN"));
        return std::make_pair(a.get("admin"), pin);
    }
    if (!ctx.user.empty() && ctx.pin) return std::make_pair(ctx.user, *ctx.pin);
    return invalid("the first administrator is needed: --admin NAME --pin-stdin (no default PIN exists)");
}

int set_up_keyring(Context& ctx, const Args& a) {
    if (file_exists(ctx.keyring_path())) return sign_in(ctx);
    auto admin = first_admin(ctx, a);
    if (!admin) return usage_error(ctx, admin.error().message);
    if (auto st = store::valid_pin(admin->second); !st) return usage_error(ctx, st.error().message);
    if (!platform::ensure_dir(ctx.data_dir)) return usage_error(ctx, "cannot create data folder " + ctx.data_dir);
    auto made = store::create_keyring(ctx.keyring_path(), admin->first, admin->second);
    if (!made) return fail(ctx, made.error());
    ctx.user = admin->first;
    ctx.person = made->admin;
    ctx.key = made->key;
    ctx.new_recovery_code = made->recovery_code;
    const std::string& recovery = made->recovery_code;
    ctx.out << "administrator " << admin->first << " set up\n"
            << "recovery key " << recovery
            << "   (write it down and keep it away from the tablet: with it the store opens when every PIN is "
               "forgotten)\n";
    return 0;
}

bool store_without_keyring(const Context& ctx) {
    return file_exists(ctx.store_path()) && !file_exists(ctx.keyring_path());
}

int encrypt_old_store(Context& ctx) {
    if (auto st = db::encrypt_in_place(ctx.store_path(), ctx.key); !st) {
        // A keyring over a plaintext store would protect nothing: take it away again.
        std::remove(ctx.keyring_path().c_str());
        return fail(ctx, st.error());
    }
    ctx.out << "administrator " << ctx.person->name << " set up and the store encrypted; from now on sign in as "
            << ctx.person->name << "\n";
    return 0;
}

}  // namespace liaison::cli
