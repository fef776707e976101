// Runs `liaison --data DIR VERB ...` in process and captures what it prints.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "client/cli/cli.h"
#include "client/store/store.h"

namespace testing_support {

// Every store a test sets up has this first administrator, who signs in for every verb unless a
// test says otherwise (docs/security.md). Cheap Argon2id parameters: the slots are marked weak.
inline const char* const kAdmin = "王芳";
inline const char* const kPin = "582913";
struct FastKdfForTests {
    FastKdfForTests() { ::setenv("LIAISON_TEST_FAST_KDF", "1", 1); }
};
inline const FastKdfForTests fast_kdf_for_tests;

// Who runs a verb: a name and PIN, as LIAISON_USER / LIAISON_PIN would give them (no PIN: nullopt).
struct SignedIn {
    std::string user = kAdmin;
    std::optional<std::string> pin = std::string(kPin);
};
inline SignedIn signed_in_as(std::string user, std::optional<std::string> pin) {
    return {std::move(user), std::move(pin)};
}

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
    CliRun run(std::vector<std::string> words, const SignedIn& who = {}, const std::string& stdin_text = "") const {
        std::ostringstream out, err;
        std::istringstream in(stdin_text);
        liaison::cli::Context ctx{dir.string(), out, err};
        ctx.in = &in;
        ctx.user = who.user;
        ctx.pin = who.pin;
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

// The data key of a CliDir's store, as its first administrator's sign-in unwraps it.
inline liaison::store::StoreKeyPtr store_key(const std::filesystem::path& dir) {
    auto in = liaison::store::sign_in_at(liaison::store::Keyring::path_in(dir.string()), kAdmin, kPin, 0);
    REQUIRE(in.ok());
    REQUIRE(in->kind == liaison::store::SignInOutcome::Kind::SignedIn);
    return in->key;
}
inline liaison::store::StoreKeyPtr store_key(const CliDir& d) { return store_key(d.dir); }

// Options that open a CliDir's store in process, with its key.
inline liaison::store::OpenOptions keyed(const CliDir& d) {
    liaison::store::OpenOptions o;
    o.key = store_key(d);
    return o;
}

// The store at `file` (a CliDir's liaison.db or a backup of it), opened in process with the key
// of the CliDir at `dir`.
inline std::unique_ptr<liaison::store::Store> open_store_of(const std::filesystem::path& dir, const std::string& file) {
    liaison::store::OpenOptions o;
    o.key = store_key(dir);
    auto s = liaison::store::Store::open(file, o);
    REQUIRE_MESSAGE(s.ok(), s.error().message);
    return std::move(*s);
}
inline std::unique_ptr<liaison::store::Store> open_store_of(const CliDir& d) {
    return open_store_of(d.dir, (d.dir / "liaison.db").string());
}

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
