// init, deputy, conflicts, changes.
#include <nlohmann/json.hpp>
#include <ostream>

#include "client/cli/verbs.h"
#include "sync/core/json.h"

namespace liaison::cli {

using nlohmann::json;

// liaison init --station NAME [--device-name NAME] [--admin NAME --pin-stdin]; on a store made
// before sign-in existed, init --admin NAME --pin-stdin sets up its administrator and encrypts it.
int verb_init(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"station", "device-name", "admin"}, {"pin-stdin"});
    if (!a) return usage_error(ctx, a.error().message);
    const bool upgrade = store_without_keyring(ctx);
    if (!upgrade && (!a->has("station") || a->get("station").empty()))
        return usage_error(ctx, "init needs --station NAME");
    if (int rc = set_up_keyring(ctx, *a)) return rc;
    if (upgrade) return encrypt_old_store(ctx);
    auto s = open_store(ctx, true);
    if (!s) return ctx.open_failure;
    if (auto st = s->init(a->get("station"), a->get("device-name", "tablet")); !st) return fail(ctx, st.error());
    auto d = s->device();
    if (!d) return fail(ctx, d.error());
    ctx.out << "station " << d->station_name << "\n" << d->station_id << "\n";
    return 0;
}

static json deputy_json(const store::Deputy& d) {
    return {{"id", d.id},       {"name", d.name},   {"level", d.level},  {"station_id", d.station_id},
            {"group", d.group}, {"phone", d.phone}, {"active", d.active}};
}

int verb_deputy(Context& ctx, const std::vector<std::string>& words) {
    if (words.empty()) return usage_error(ctx, "deputy add|list");
    const std::string& sub = words[0];
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    if (sub == "record") return verb_deputy_record(ctx, rest);  // verbs_stats.cpp
    if (sub == "add") {
        auto a = parse_args(rest, {"name", "level", "phone", "group"});
        if (!a) return usage_error(ctx, a.error().message);
        if (a->get("name").empty()) return usage_error(ctx, "deputy add needs --name NAME");
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        store::Deputy d;
        d.name = a->get("name");
        d.level = a->get("level");
        d.phone = a->get("phone");
        d.group = a->get("group");
        auto id = s->add_deputy(d);
        if (!id) return fail(ctx, id.error());
        ctx.out << *id << "\n";
        return 0;
    }
    if (sub == "list") {
        auto a = parse_args(rest, {}, {"json", "active"});
        if (!a) return usage_error(ctx, a.error().message);
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        auto ds = s->deputies(a->flag("active"));
        if (!ds) return fail(ctx, ds.error());
        if (a->flag("json")) {
            json arr = json::array();
            for (const auto& d : *ds) arr.push_back(deputy_json(d));
            ctx.out << arr.dump(2) << "\n";
        } else {
            for (const auto& d : *ds)
                ctx.out << d.id << "  " << d.name << "  " << d.level << (d.active ? "" : "  (inactive)") << "\n";
        }
        return 0;
    }
    return usage_error(ctx, "unknown deputy verb '" + sub + "'");
}

int verb_conflicts(Context& ctx, const std::vector<std::string>& words) {
    if (!words.empty() && words[0] == "resolve") {
        auto a = parse_args(std::vector<std::string>(words.begin() + 1, words.end()), {"keep", "value"});
        if (!a) return usage_error(ctx, a.error().message);
        if (a->positional.size() != 1) return usage_error(ctx, "conflicts resolve ID --keep mine|theirs");
        if (!a->has("keep") && !a->has("value"))
            return usage_error(ctx, "conflicts resolve needs --keep mine|theirs or --value TEXT");
        auto s = open_store(ctx);
        if (!s) return ctx.open_failure;
        auto st = a->has("value") ? s->resolve_conflict_with(a->positional[0], a->get("value"))
                                  : s->resolve_conflict(a->positional[0], a->get("keep"));
        if (!st) return fail(ctx, st.error());
        ctx.out << "resolved\n";
        return 0;
    }
    auto a = parse_args(words, {}, {"json"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "unknown conflicts verb '" + a->positional[0] + "'");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto cs = s->conflicts();
    if (!cs) return fail(ctx, cs.error());
    if (a->flag("json")) {
        json arr = json::array();
        for (const auto& c : *cs)
            arr.push_back({{"id", c.id},
                           {"table", c.table},
                           {"row", c.row},
                           {"column", c.column},
                           {"record", c.record_label},
                           {"mine", c.mine},
                           {"theirs", c.theirs},
                           {"delete_conflict", c.delete_conflict}});
        ctx.out << arr.dump(2) << "\n";
    } else {
        if (cs->empty()) ctx.out << "no open conflicts\n";
        for (const auto& c : *cs)
            ctx.out << c.id << "  " << c.table << "." << c.column << "  [" << c.record_label << "]  mine: " << c.mine
                    << "  theirs: " << c.theirs << "\n";
    }
    return 0;
}

int verb_changes(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"limit"}, {"json"});
    if (!a) return usage_error(ctx, a.error().message);
    int64_t limit = 1000;
    if (a->has("limit")) {
        auto n = parse_count("limit", a->get("limit"), 0, 1000000000);
        if (!n) return usage_error(ctx, n.error().message);
        limit = *n;
    }
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto count = s->pending_changes();
    if (!count) return fail(ctx, count.error());
    auto p = s->replica().pending(static_cast<size_t>(limit));
    if (!p) return fail(ctx, p.error());
    if (a->flag("json")) {
        json arr = json::array();
        for (const auto& e : *p)
            arr.push_back({{"seq", e.seq},
                           {"id", e.change.hlc.str()},
                           {"table", e.change.table},
                           {"row", e.change.row},
                           {"column", e.change.column},
                           {"value", sync::parse_json(e.change.value).value_or(json(json::value_t::discarded))},
                           {"scope", e.change.scope},
                           {"author", e.change.author}});
        ctx.out << arr.dump(2) << "\n";
    } else {
        ctx.out << *count << " pending changes\n";
        for (const auto& e : *p)
            ctx.out << e.seq << "  " << e.change.hlc.str() << "  " << e.change.table << "." << e.change.column << "  "
                    << e.change.row << "\n";
    }
    return 0;
}

}  // namespace liaison::cli
