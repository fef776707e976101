// user add|list|disable|enable|reset-pin and unlock --recovery-key: the people who may open this
// tablet's store (docs/security.md, "Sign-in and keys"). Administrators only, except unlock.
#include <nlohmann/json.hpp>
#include <ostream>

#include "client/cli/verbs.h"
#include "platform/platform.h"

namespace liaison::cli {

using nlohmann::json;

namespace {

// Loads the keyring, lets `change` edit it and saves it; the exit status.
template <class Fn>
int edit_keyring(Context& ctx, Fn&& change) {
    auto ring = store::Keyring::load(ctx.keyring_path());
    if (!ring) return fail(ctx, ring.error());
    if (auto st = change(*ring); !st) return fail(ctx, st.error());
    if (auto st = ring->save(ctx.keyring_path()); !st) return fail(ctx, st.error());
    return 0;
}

// The roster's deputy of that name, for a person with the deputy role.
Result<std::string> deputy_id(Context& ctx, const std::string& name) {
    auto s = open_store(ctx);
    if (!s) return Error{Error::Kind::Io, "the store could not be opened"};
    auto ds = s->deputies(false);
    if (!ds) return ds.error();
    for (const auto& d : *ds)
        if (d.name == name) return d.id;
    return not_found("no deputy called " + name + " (liaison deputy list)");
}

int user_add(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"name", "role", "deputy"}, {"pin-stdin"});
    if (!a) return usage_error(ctx, a.error().message);
    const auto role = store::parse_role(a->get("role", "staff"));
    if (a->get("name").empty() || !role || !a->flag("pin-stdin"))
        return usage_error(ctx, "user add --name NAME --role deputy|staff|admin [--deputy NAME] --pin-stdin");
    if (int rc = require_admin(ctx)) return rc;
    std::string deputy;
    if (*role == store::Role::Deputy) {
        auto id = deputy_id(ctx, a->get("deputy", a->get("name")));
        if (!id) return fail(ctx, id.error());
        deputy = *id;
    }
    auto pin = read_secret_line(ctx, "new person's PIN");
    if (!pin) return usage_error(ctx, pin.error().message);
    const int rc = edit_keyring(ctx, [&](store::Keyring& ring) -> Status {
        LIAISON_TRY(ring.add(ctx.key, a->get("name"), *role, deputy, *pin));
        return {};
    });
    if (rc == 0) ctx.out << "added " << a->get("name") << " (" << store::role_code(*role) << ")\n";
    return rc;
}

int user_list(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {}, {"json"});
    if (!a) return usage_error(ctx, a.error().message);
    if (int rc = require_admin(ctx)) return rc;
    auto ring = store::Keyring::load(ctx.keyring_path());
    if (!ring) return fail(ctx, ring.error());
    const int64_t now = platform::wall_ms();
    json arr = json::array();
    for (const auto& p : ring->people()) {
        const bool locked = p.locked_until_ms > now;
        arr.push_back({{"id", p.id},
                       {"name", p.name},
                       {"role", store::role_code(p.role)},
                       {"deputy_id", p.deputy_id},
                       {"disabled", p.disabled},
                       {"locked", locked},
                       {"weak_kdf", p.slot.weak()}});
        if (!a->flag("json"))
            ctx.out << p.name << "  " << store::role_code(p.role) << (p.disabled ? "  disabled" : "")
                    << (locked ? "  locked" : "") << (p.slot.weak() ? "  weak_kdf" : "") << "\n";
    }
    if (a->flag("json")) ctx.out << arr.dump() << "\n";
    return 0;
}

int user_set_disabled(Context& ctx, const std::vector<std::string>& words, bool disabled) {
    if (words.size() != 1) return usage_error(ctx, disabled ? "user disable NAME" : "user enable NAME");
    if (int rc = require_admin(ctx)) return rc;
    if (disabled && words[0] == ctx.person->name) return usage_error(ctx, "an administrator cannot disable themselves");
    const int rc = edit_keyring(ctx, [&](store::Keyring& ring) { return ring.set_disabled(words[0], disabled); });
    if (rc == 0) ctx.out << words[0] << (disabled ? " disabled\n" : " enabled\n");
    return rc;
}

int user_reset_pin(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {}, {"pin-stdin"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1 || !a->flag("pin-stdin")) return usage_error(ctx, "user reset-pin NAME --pin-stdin");
    if (int rc = require_admin(ctx)) return rc;
    auto pin = read_secret_line(ctx, "new PIN");
    if (!pin) return usage_error(ctx, pin.error().message);
    const std::string name = a->positional[0];
    const int rc = edit_keyring(ctx, [&](store::Keyring& ring) { return ring.reset_pin(ctx.key, name, *pin); });
    if (rc == 0) ctx.out << "new PIN set for " << name << "\n";
    return rc;
}

}  // namespace

int verb_user(Context& ctx, const std::vector<std::string>& words) {
    const char* usage = "user add|list|disable|enable|reset-pin ...";
    if (words.empty()) return usage_error(ctx, usage);
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    if (words[0] == "add") return user_add(ctx, rest);
    if (words[0] == "list") return user_list(ctx, rest);
    if (words[0] == "disable") return user_set_disabled(ctx, rest, true);
    if (words[0] == "enable") return user_set_disabled(ctx, rest, false);
    if (words[0] == "reset-pin") return user_reset_pin(ctx, rest);
    return usage_error(ctx, usage);
}

// liaison unlock --recovery-key K --admin NAME --pin-stdin: every PIN forgotten, the centre's
// recovery key opens the store and NAME becomes (again) an administrator with a new PIN.
int verb_unlock(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"recovery-key", "admin"}, {"pin-stdin"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->get("recovery-key").empty() || a->get("admin").empty() || !a->flag("pin-stdin"))
        return usage_error(ctx, "unlock --recovery-key KEY --admin NAME --pin-stdin");
    auto pin = read_secret_line(ctx, "new PIN");
    if (!pin) return usage_error(ctx, pin.error().message);
    const std::string name = a->get("admin");
    const int rc = edit_keyring(ctx, [&](store::Keyring& ring) -> Status {
        LIAISON_ASSIGN_OR_RETURN(auto key, ring.unlock_with_recovery(a->get("recovery-key")));
        if (const auto* p = ring.find(name); p && p->role == store::Role::Admin) {
            LIAISON_TRY(ring.set_disabled(name, false));
            return ring.reset_pin(key, name, *pin);
        }
        if (ring.find(name)) return invalid(name + " is not an administrator: choose a new name for the administrator");
        LIAISON_TRY(ring.add(key, name, store::Role::Admin, "", *pin));
        return {};
    });
    if (rc == 0) ctx.out << name << " can sign in as administrator with the new PIN\n";
    return rc;
}

}  // namespace liaison::cli
