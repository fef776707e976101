#include "client/cli/cli.h"

#include <iostream>

#include "client/cli/verbs.h"
#include "platform/platform.h"

namespace liaison::cli {

// ---- sync verbs (client/cli/verbs_sync.cpp) ----
int verb_enrol(Context&, const std::vector<std::string>&);
int verb_sync(Context&, const std::vector<std::string>&);
int verb_recover(Context&, const std::vector<std::string>&);
// ---- end sync verbs ----

namespace {

// The verb table. Each group of verbs lives in its own file (verbs_*.cpp).
const Verb kVerbs[] = {
    {"init", verb_init, "init --station NAME [--device-name NAME]"},
    {"visit", verb_visit, "visit add|list|show|edit|delete|import ...   (liaison visit help)"},
    {"deputy", verb_deputy,
     "deputy add --name NAME [--level L] [--phone P] | deputy list [--json] | deputy record NAME [--from D] [--to D]"},
    {"conflicts", verb_conflicts, "conflicts [--json] | conflicts resolve ID --keep mine|theirs"},
    {"changes", verb_changes, "changes [--json]   (the pending outbox)"},
    {"queue", verb_queue, "queue add|list|call|serve|leave|series ...   (liaison queue help)"},
    {"case", verb_case, "case add|assign|progress|close|feedback|rate|list|show ...   (liaison case help)"},
    {"department", verb_department, "department add --name NAME | department list [--json]"},
    {"duty", verb_duty,
     "duty add --date D --start HH:MM --end HH:MM --deputy NAME[,NAME] | duty list [--date D] [--json]"},
    {"activity", verb_activity,
     "activity add --deputy NAME --type T --date D [--notes N] | activity list [--deputy NAME] [--json]"},
    {"stats", verb_stats, "stats [--from D] [--to D] [--by month|category|deputy|station] [--json]"},
    {"export", verb_export,
     "export --format csv|xlsx --what visits|cases|activities [--from D] [--to D] [--no-visitor] FILE"},
    {"report", verb_report, "report monthly --month YYYY-MM [--out FILE] [--json]"},
    {"check", verb_check, "check [--quick]   (SQLite's integrity check of the store)"},
    {"demo", verb_demo, "demo [--visits N]   (demo data in an empty station: deputies, visits, cases, duty)"},
    {"backup", verb_backup, "backup FILE   (a consistent copy, also while the app runs)"},
    {"retention", verb_retention, "retention run   (mask old voters' names and phones now: docs/retention.md)"},
    {"restore", verb_restore, "restore FILE [--force]   (set the store up from a backup)"},
    {"enrol", verb_enrol, "enrol --server URL --code CODE [--ca-file PEM] [--device-name NAME]"},
    {"sync", verb_sync, "sync [--json] | sync --status [--json]   (one round with the centre)"},
    {"user", verb_user,
     "user add --name N --role deputy|staff|admin [--deputy NAME] --pin-stdin | user list [--json] | user "
     "disable|enable NAME | user reset-pin NAME --pin-stdin   (administrators)"},
    {"unlock", verb_unlock, "unlock --recovery-key KEY --admin NAME --pin-stdin   (every PIN forgotten)"},
    {"recover", verb_recover, "recover [--server URL --code CODE]   (rebuild a damaged or lost store from the centre)"},
};

}  // namespace

bool is_verb(const std::string& word) {
    if (word == "help") return true;
    for (const auto& v : kVerbs)
        if (word == v.name) return true;
    return false;
}

void print_usage(std::ostream& out) {
    out << "usage: liaison [--data DIR] [--user NAME --pin-stdin] VERB ...\n"
           "       liaison [--data DIR]            (opens the app window)\n"
           "Verbs sign in as $LIAISON_USER with $LIAISON_PIN, or as --user NAME with the PIN on the first line of\n"
           "standard input; init, enrol and recover set up the first administrator (docs/security.md).\n\nverbs:\n";
    for (const auto& v : kVerbs) out << "  liaison " << v.usage << "\n";
}

int run(Context& ctx, const std::vector<std::string>& words) {
    if (words.empty() || words[0] == "help") {
        print_usage(ctx.out);
        return 0;
    }
    for (const auto& v : kVerbs)
        if (words[0] == v.name) return v.fn(ctx, std::vector<std::string>(words.begin() + 1, words.end()));
    return usage_error(ctx, "unknown verb '" + words[0] + "' (liaison help lists them)");
}

std::unique_ptr<store::Store> open_store(Context& ctx, bool create) {
    ctx.open_failure = sign_in(ctx);
    if (ctx.open_failure) return nullptr;
    ctx.open_failure = 1;
    if (create && !platform::ensure_dir(ctx.data_dir)) {
        ctx.err << "liaison: cannot create data folder " << ctx.data_dir << "\n";
        return nullptr;
    }
    store::OpenOptions opt;
    opt.create = create;
    opt.verify = true;  // a damaged store is refused before anything is read, written or pushed
    opt.key = ctx.key;
    auto s = store::Store::open(ctx.store_path(), opt);
    if (!s) {
        fail(ctx, s.error());  // a store that cannot be opened is a failure (1), whatever the kind
        return nullptr;
    }
    if (ctx.person) (*s)->set_author(store::author_of(*ctx.person));
    return std::move(*s);
}

int fail(Context& ctx, const Error& e) {
    // SQLite's own words for damage (found mid-verb) get the same recovery advice as the open check.
    if (e.kind == Error::Kind::Corrupt && e.message.find("liaison recover") == std::string::npos) {
        ctx.err << "liaison: " << store::damaged_store(ctx.store_path(), e.message).message << "\n";
        return 1;
    }
    ctx.err << "liaison: " << e.message << "\n";
    return e.kind == Error::Kind::Invalid || e.kind == Error::Kind::NotFound ? 2 : 1;
}

int usage_error(Context& ctx, const std::string& message) {
    ctx.err << "liaison: " << message << "\n";
    return 2;
}

}  // namespace liaison::cli
