// enrol, sync: the sync verbs (docs/protocol.md). The protocol lives in sync/client; this file only
// parses words and prints.
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "client/cli/verbs.h"
#include "platform/platform.h"
#include "sync/client/curl_transport.h"
#include "client/sync/worker.h"

namespace liaison::cli {

using nlohmann::json;

namespace {

// The recovery key enrolment escrows at the centre (docs/security.md, "Keys and people"): the one
// set_up_keyring has just printed, or else a new one for a keyring made earlier (whose key was
// shown once and is not known here). The renewed keyring is saved only once the centre holds
// the new key, so a failed or refused enrolment leaves the station's written-down key valid.
struct Escrow {
    std::string code;                       // "" = none to send
    std::optional<store::Keyring> renewed;  // to save when the centre kept `code`
};

Result<Escrow> recovery_to_escrow(const Context& ctx) {
    if (!ctx.new_recovery_code.empty()) return Escrow{ctx.new_recovery_code, std::nullopt};
    // Replacing the station's recovery key is an administrator's decision.
    if (!ctx.person || ctx.person->role != store::Role::Admin || !ctx.key) return Escrow{};
    LIAISON_ASSIGN_OR_RETURN(auto ring, store::Keyring::load(ctx.keyring_path()));
    LIAISON_ASSIGN_OR_RETURN(auto code, ring.renew_recovery(ctx.key));
    return Escrow{std::move(code), std::move(ring)};
}

// After enrolment: keeps a renewed key the centre holds and says whether it holds one. 0, or the
// exit status.
int settle_escrow(Context& ctx, const Escrow& e, const sync::EnrolResult& r) {
    if (!r.recovery_escrowed) {
        ctx.out << "recovery key not escrowed: "
                << (e.code.empty() ? "only an administrator's enrolment escrows it"
                                   : "this server does not keep recovery keys (an older liaison-central)")
                << "; the station's written-down recovery key is the only one\n";
        return 0;
    }
    if (e.renewed) {
        if (auto st = e.renewed->save(ctx.keyring_path()); !st) {
            ctx.err << "liaison: enrolled, but the new recovery key could not be saved (" << st.error().message
                    << "): the centre's copy does not open this store; the one printed before still does\n";
            return 1;
        }
        ctx.out << "new recovery key " << e.code
                << "   (it replaces the recovery key printed before, which no longer opens the store)\n";
    }
    ctx.out << "recovery key escrowed at the centre (liaison-central recovery-key " << r.device_id << ")\n";
    return 0;
}

}  // namespace

// liaison enrol --server URL --code CODE [--ca-file PEM] [--device-name NAME]
int verb_enrol(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"server", "code", "ca-file", "device-name", "admin"}, {"pin-stdin"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->get("server").empty() || a->get("code").empty())
        return usage_error(ctx, "enrol --server URL --code CODE [--ca-file PEM] [--admin NAME --pin-stdin]");
    const std::string url = a->get("server");
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        return usage_error(ctx, "--server must start with https:// (or http:// on a private network)");
    if (store_without_keyring(ctx))
        return usage_error(ctx, "set up this store's administrator first: liaison init --admin NAME --pin-stdin");
    if (int rc = set_up_keyring(ctx, *a)) return rc;
    auto s = open_store(ctx, true);
    if (!s) return ctx.open_failure;
    if (a->has("device-name") && !s->initialized())
        if (auto st = s->set_setting("device_name", a->get("device-name")); !st) return fail(ctx, st.error());
    sync::CurlOptions co;
    co.base_url = url;
    co.ca_file = a->get("ca-file");
    sync::CurlTransport t(co);
    auto escrow = recovery_to_escrow(ctx);
    if (!escrow) return fail(ctx, escrow.error());
    auto r = sync::enrol(*s, t, url, a->get("code"), {}, escrow->code);
    if (!r) return fail(ctx, r.error());
    // Enrolled already: without its CA file the next sync cannot reach the server, so say so.
    if (!co.ca_file.empty())
        if (auto st = s->set_setting("sync_ca_file", co.ca_file); !st)
            ctx.err << "enrolled, but the CA file was not saved (" << st.error().message
                    << "); pass --ca-file to liaison sync\n";
    ctx.out << "enrolled to station " << r->station_name << "\n";
    if (r->adopted_rows) ctx.out << r->adopted_rows << " earlier changes moved into the station\n";
    if (!r->series.empty())
        ctx.out << "queue tickets of this tablet: " << r->series << "001, " << r->series << "002 ...\n";
    if (!r->series_error.empty()) ctx.err << "no ticket series: " << r->series_error << "\n";
    const int rc = settle_escrow(ctx, *escrow, *r);
    ctx.out << r->station_id << "\n";
    return rc;
}

// "+3 d 0 h 0 min" style: the server's clock minus this tablet's.
static std::string clock_offset_text(int64_t ms) {
    if (ms == 0) return "0 (agrees with the server)";
    const int64_t a = ms < 0 ? -ms : ms;
    std::string out = std::to_string(a / 1000) + " s";
    if (a >= 3600000)
        out = std::to_string(a / 86400000) + " d " + std::to_string(a / 3600000 % 24) + " h " +
              std::to_string(a / 60000 % 60) + " min";
    else if (a >= 60000)
        out = std::to_string(a / 60000) + " min " + std::to_string(a / 1000 % 60) + " s";
    return out + (ms > 0 ? " (this tablet's clock is behind)" : " (this tablet's clock is ahead)");
}

static json status_json(const sync::SyncStatus& st) {
    return {{"pending", st.pending},
            {"withheld", st.withheld},
            {"conflicts", st.conflicts},
            {"refused", st.refused},
            {"skipped", st.skipped},
            {"clock_offset_ms", st.clock_offset_ms},
            {"last_success", st.last_success_ms ? platform::local_datetime(st.last_success_ms) : ""},
            {"last_success_ms", st.last_success_ms},
            {"last_error", st.last_error},
            {"enrolled", st.enrolled},
            {"online", st.online}};
}

// liaison sync [--json]            one round: push the outbox, pull the station's feed
// liaison sync --status [--json]   what the last round left behind
int verb_sync(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"ca-file"}, {"status", "json"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "sync [--status] [--json]");
    if (a->flag("status")) {
        if (int rc = sign_in(ctx)) return rc;
        auto st = sync::read_status(ctx.store_path(), ctx.key);
        if (!st) {
            (void)fail(ctx, st.error());
            return 1;  // the store cannot be read: a failure, not bad input (as open_store)
        }
        if (a->flag("json")) {
            ctx.out << status_json(*st).dump(2) << "\n";
        } else {
            ctx.out << "enrolled:      " << (st->enrolled ? "yes" : "no") << "\n"
                    << "pending:       " << st->pending << "\n"
                    << "conflicts:     " << st->conflicts << "\n"
                    << "last success:  "
                    << (st->last_success_ms ? platform::local_datetime(st->last_success_ms) : "never") << "\n"
                    << "last error:    " << (st->last_error.empty() ? "-" : st->last_error) << "\n";
            ctx.out << "clock offset:  " << clock_offset_text(st->clock_offset_ms) << "\n";
            if (st->refused)
                ctx.out << "refused:       " << st->refused << " (set aside: the server refused them; kept here)\n";
            if (st->skipped)
                ctx.out << "skipped:       " << st->skipped
                        << " (set aside: received changes this version cannot merge)\n";
            if (st->withheld)
                ctx.out << "withheld:      " << st->withheld << " (centre-only data edited here; not sent)\n";
        }
        return 0;
    }
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto dev = s->device();
    if (!dev) return fail(ctx, dev.error());
    auto token = s->token();
    if (!token) return fail(ctx, token.error());
    if (token->empty() || dev->server_url.empty())
        return fail(ctx, Error{Error::Kind::Auth, "not enrolled: liaison enrol --server URL --code CODE"});
    sync::CurlOptions co;
    co.base_url = dev->server_url;
    if (a->has("ca-file")) {
        co.ca_file = a->get("ca-file");
    } else {
        auto ca = s->setting("sync_ca_file");
        if (!ca) return fail(ctx, ca.error());
        co.ca_file = *ca;
    }
    sync::CurlTransport t(co);
    sync::SyncConfig cfg;
    cfg.token = *token;
    cfg.station_id = dev->station_id;
    sync::SyncSession session(s->replica(), t, cfg);
    auto r = session.round();
    if (!r) return fail(ctx, r.error());
    // Retention (docs/retention.md): the centre's masks just pulled are followed by the scrub.
    if (auto kept = s->retention_after_sync(r->pulled); !kept) return fail(ctx, kept.error());
    if (a->flag("json")) {
        ctx.out << json({{"pushed", r->pushed},
                         {"pulled", r->pulled},
                         {"withheld", r->withheld},
                         {"refused", r->refused},
                         {"skipped", r->skipped},
                         {"restamped", r->restamped},
                         {"requests", r->requests},
                         {"cursor", r->cursor}})
                       .dump(2)
                << "\n";
    } else {
        ctx.out << "pushed " << r->pushed << ", pulled " << r->pulled << "\n";
    }
    return 0;
}

}  // namespace liaison::cli
