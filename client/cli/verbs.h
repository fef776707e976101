// Verb handlers, one group a file. Each returns the process exit code.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/cli/args.h"
#include "client/cli/cli.h"
#include "client/store/store.h"

namespace liaison::cli {

using VerbFn = int (*)(Context&, const std::vector<std::string>& words);

struct Verb {
    const char* name;
    VerbFn fn;
    const char* usage;
};

// Signs in (client/cli/signin.cpp) and opens the store of ctx.data_dir with the person as the
// author; prints one line and returns null on failure, with the exit status in ctx.open_failure.
std::unique_ptr<store::Store> open_store(Context& ctx, bool create = false);
// ---- signin.cpp ----
// Signs ctx.user in once a process: 0, or the exit status after printing why not.
int sign_in(Context& ctx);
// sign_in, then 2 unless the person is an administrator.
int require_admin(Context& ctx);
// The next line of standard input as a secret (`what` names it in the error).
Result<std::string> read_secret_line(Context& ctx, const std::string& what);
// init, enrol, recover: the store's first administrator from --admin NAME --pin-stdin, else from
// LIAISON_USER/LIAISON_PIN, with a new data key (prints the recovery key); signs in when a
// keyring exists already. 0, or the exit status.
int set_up_keyring(Context& ctx, const Args& a);
// A store made before sign-in existed: the file is there, the keyring is not.
bool store_without_keyring(const Context& ctx);
// After set_up_keyring on such a store: encrypts it in place with the new key.
int encrypt_old_store(Context& ctx);
// Prints "liaison: <message>" on stderr and returns the exit code that fits the error.
int fail(Context& ctx, const Error& e);
int usage_error(Context& ctx, const std::string& message);

int verb_init(Context&, const std::vector<std::string>&);
int verb_visit(Context&, const std::vector<std::string>&);
int verb_deputy(Context&, const std::vector<std::string>&);
int verb_conflicts(Context&, const std::vector<std::string>&);
int verb_changes(Context&, const std::vector<std::string>&);
int verb_queue(Context&, const std::vector<std::string>&);  // verbs_queue.cpp
int verb_case(Context&, const std::vector<std::string>&);   // verbs_cases.cpp: case, department
int verb_department(Context&, const std::vector<std::string>&);
int verb_stats(Context&, const std::vector<std::string>&);  // verbs_stats.cpp: stats, export, report, duty, activity
int verb_export(Context&, const std::vector<std::string>&);
int verb_report(Context&, const std::vector<std::string>&);
int verb_duty(Context&, const std::vector<std::string>&);
int verb_activity(Context&, const std::vector<std::string>&);
int verb_deputy_record(Context&, const std::vector<std::string>&);  // deputy record NAME
int verb_check(Context&, const std::vector<std::string>&);          // verbs_store.cpp: check, backup, restore
int verb_backup(Context&, const std::vector<std::string>&);
int verb_demo(Context&, const std::vector<std::string>&);
int verb_restore(Context&, const std::vector<std::string>&);
int verb_retention(Context&, const std::vector<std::string>&);  // verbs_store.cpp
int verb_user(Context&, const std::vector<std::string>&);       // verbs_user.cpp: user, unlock
int verb_unlock(Context&, const std::vector<std::string>&);

}  // namespace liaison::cli
