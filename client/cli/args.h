// Command-line words: positionals and --options, checked against what a verb accepts.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"

namespace liaison::cli {

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;  // --name value
    std::set<std::string> flags;                 // --json, --overdue ...

    bool has(const std::string& k) const { return options.count(k) > 0; }
    bool flag(const std::string& k) const { return flags.count(k) > 0; }
    std::string get(const std::string& k, const std::string& fallback = "") const {
        auto it = options.find(k);
        return it == options.end() ? fallback : it->second;
    }
    std::optional<std::string> opt(const std::string& k) const {
        auto it = options.find(k);
        if (it == options.end()) return std::nullopt;
        return it->second;
    }
};

// A whole number written with digits only, within [min, max]; otherwise "--NAME must be ...".
Result<int64_t> parse_count(const std::string& name, const std::string& text, int64_t min, int64_t max);

// `valued` options take the next word; `flags` stand alone; anything else is an error.
Result<Args> parse_args(const std::vector<std::string>& words, const std::set<std::string>& valued,
                        const std::set<std::string>& flags = {});

}  // namespace liaison::cli
