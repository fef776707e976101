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

// Opens the store of ctx.data_dir; prints the error and returns null on failure.
std::unique_ptr<store::Store> open_store(Context& ctx, bool create = false);
// Prints "liaison: <message>" on stderr and returns the exit code that fits the error.
int fail(Context& ctx, const Error& e);
int usage_error(Context& ctx, const std::string& message);

int verb_init(Context&, const std::vector<std::string>&);
int verb_visit(Context&, const std::vector<std::string>&);
int verb_deputy(Context&, const std::vector<std::string>&);
int verb_conflicts(Context&, const std::vector<std::string>&);
int verb_changes(Context&, const std::vector<std::string>&);
int verb_queue(Context&, const std::vector<std::string>&);  // verbs_queue.cpp: queue, kiosk-pin
int verb_kiosk_pin(Context&, const std::vector<std::string>&);
int verb_case(Context&, const std::vector<std::string>&);  // verbs_cases.cpp: case, department
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

}  // namespace liaison::cli
