// What the benchmarks share: elapsed milliseconds, percentiles of a sample, the `--name value`
// options and a main() that turns an exception into one line.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace liaison::bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// The p-th percentile (0..1) of the sample, the nearest rank at or above; 0 for an empty one.
inline double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// The `--name value` pairs of the command line; a value that is not a number is an exception.
class Options {
public:
    Options(int argc, char** argv) {
        for (int i = 1; i + 1 < argc; i += 2) given_[argv[i]] = argv[i + 1];
    }
    int number(const std::string& name, int fallback) const {
        const auto it = given_.find(name);
        return it == given_.end() ? fallback : std::stoi(it->second);
    }
    std::string text(const std::string& name, const std::string& fallback) const {
        const auto it = given_.find(name);
        return it == given_.end() ? fallback : it->second;
    }
    // --dir, by default a folder of that name under the temporary directory; made if missing.
    std::string dir(const std::string& fallback_name) const {
        const auto d = text("--dir", (std::filesystem::temp_directory_path() / fallback_name).string());
        std::filesystem::create_directories(d);
        return d;
    }

private:
    std::map<std::string, std::string> given_;
};

// The body of a benchmark's main(): an exception (a bad option, a full disk) is one line and 1.
template <class Run>
int guarded_main(const char* name, Run run, int argc, char** argv) {
    try {
        return run(Options(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        return 1;
    }
}

}  // namespace liaison::bench
