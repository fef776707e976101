// Runs `liaison --data DIR VERB ...` in process and captures what it prints.
#pragma once
#include <filesystem>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "client/cli/cli.h"

namespace testing_support {

struct CliRun {
    int code = 0;
    std::string out, err;
    std::string last_line() const {
        auto s = out;
        while (!s.empty() && s.back() == '\n') s.pop_back();
        auto p = s.rfind('\n');
        return p == std::string::npos ? s : s.substr(p + 1);
    }
};

struct CliDir {
    std::filesystem::path dir;
    CliDir() {
        static int n = 0;
        dir = std::filesystem::temp_directory_path() /
              ("liaison-cli-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    }
    ~CliDir() { std::filesystem::remove_all(dir); }
    CliRun run(std::vector<std::string> words) const {
        std::ostringstream out, err;
        liaison::cli::Context ctx{dir.string(), out, err};
        CliRun r;
        r.code = liaison::cli::run(ctx, words);
        r.out = out.str();
        r.err = err.str();
        return r;
    }
    std::string file(const std::string& name, const std::string& text) const {
        std::filesystem::create_directories(dir);
        const auto p = dir / name;
        FILE* f = std::fopen(p.c_str(), "wb");
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
        return p.string();
    }
};

// A data directory after `liaison init` for one station's desk device.
inline CliDir station() {
    CliDir d;
    REQUIRE(d.run({"init", "--station", "东湖街道代表联络站", "--device-name", "desk"}).code == 0);
    return d;
}

// The changes in the outbox, waiting to be pushed.
inline int64_t pending(const CliDir& d) {
    auto r = d.run({"changes", "--json"});
    REQUIRE(r.code == 0);
    return static_cast<int64_t>(nlohmann::json::parse(r.out).size());
}

}  // namespace testing_support
