// `liaison VERB ...`: the headless command line for admins and tests.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace liaison::cli {

struct Context {
    std::string data_dir;  // holds liaison.db
    std::ostream& out;
    std::ostream& err;
    std::string store_path() const { return data_dir + "/liaison.db"; }
};

// True when `word` names a verb (so main knows whether to open the window).
bool is_verb(const std::string& word);
// Runs a verb; returns the exit code: 0 ok, 1 failure, 2 bad usage or bad input.
int run(Context& ctx, const std::vector<std::string>& words);
void print_usage(std::ostream& out);

}  // namespace liaison::cli
