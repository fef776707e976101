#include "client/cli/args.h"

namespace liaison::cli {

Result<int64_t> parse_count(const std::string& name, const std::string& text, int64_t min, int64_t max) {
    const std::string why =
        "--" + name + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
        return invalid(why);
    const int64_t n = std::stoll(text);  // digits only and at most 18 of them: cannot throw
    if (n < min || n > max) return invalid(why);
    return n;
}

Result<Args> parse_args(const std::vector<std::string>& words, const std::set<std::string>& valued,
                        const std::set<std::string>& flags) {
    Args a;
    for (size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w.size() > 2 && w.rfind("--", 0) == 0) {
            std::string name = w.substr(2), value;
            const auto eq = name.find('=');
            const bool inline_value = eq != std::string::npos;
            if (inline_value) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
            }
            if (flags.count(name) && !inline_value) {
                a.flags.insert(name);
            } else if (valued.count(name)) {
                if (!inline_value) {
                    if (i + 1 >= words.size()) return invalid("--" + name + " needs a value");
                    value = words[++i];
                }
                a.options[name] = value;
            } else {
                return invalid("unknown option --" + name);
            }
        } else {
            a.positional.push_back(w);
        }
    }
    return a;
}

}  // namespace liaison::cli
