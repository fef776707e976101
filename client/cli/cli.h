// `liaison VERB ...`: the headless command line for admins and tests.
#pragma once
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/store/keyring.h"

namespace liaison::cli {

struct Context {
    Context(std::string dir, std::ostream& o, std::ostream& e) : data_dir(std::move(dir)), out(o), err(e) {}
    std::string data_dir;  // holds liaison.db and keyring.json
    std::ostream& out;
    std::ostream& err;
    std::istream* in = nullptr;      // where --pin-stdin reads, one line a secret
    std::string user;                // who signs in: --user NAME, else $LIAISON_USER
    std::optional<std::string> pin;  // $LIAISON_PIN, or the first line of stdin (liaison --pin-stdin)
    // Set once signed in (client/cli/signin.cpp): the person, and the store's data key.
    std::optional<store::Person> person;
    store::StoreKeyPtr key;
    // The recovery key of a keyring this process made (enrol escrows it).
    std::string new_recovery_code;
    int open_failure = 1;  // the exit status when open_store returned null (2: not signed in)
    std::string store_path() const { return data_dir + "/liaison.db"; }
    std::string keyring_path() const { return store::Keyring::path_in(data_dir); }
};

// True when `word` names a verb (so main knows whether to open the window).
bool is_verb(const std::string& word);
// Runs a verb; returns the exit code: 0 ok, 1 failure, 2 bad usage or bad input.
int run(Context& ctx, const std::vector<std::string>& words);
void print_usage(std::ostream& out);
// The next line of ctx.in as a PIN (liaison --user NAME --pin-stdin VERB).
Result<std::string> read_pin_line(Context& ctx);

}  // namespace liaison::cli
