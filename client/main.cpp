// liaison: with a verb, the headless command line; without one, the app window.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "client/cli/cli.h"
#include "platform/platform.h"
#include "client/app/app.h"

namespace {

// Who the verbs sign in as: --user NAME with --pin-stdin (the PIN is standard input's first line),
// else $LIAISON_USER and $LIAISON_PIN.
bool sign_in_words(liaison::cli::Context& ctx, const std::string& user, bool pin_stdin) {
    const char* env_user = std::getenv("LIAISON_USER");
    const char* env_pin = std::getenv("LIAISON_PIN");
    ctx.user = !user.empty() ? user : env_user ? env_user : "";
    if (pin_stdin) {
        auto pin = liaison::cli::read_pin_line(ctx);
        if (!pin) {
            std::cerr << "liaison: " << pin.error().message << "\n";
            return false;
        }
        ctx.pin = *pin;
    } else if (env_pin && user.empty()) {
        ctx.pin = env_pin;
    }
    return true;
}

// An option of the app window: -1 when `w` is none, 0 when taken, 2 after saying what is wrong.
template <class Next>
int app_option(const std::string& w, Next&& next, liaison::app::AppOptions& app) {
    auto bad = [](const char* why) {
        std::cerr << "liaison: " << why << "\n";
        return 2;
    };
    if (w == "--screenshot") {
        app.screenshot = next("--screenshot");
    } else if (w == "--view") {
        app.view = next("--view");
    } else if (w == "--size") {
        const std::string s = next("--size");
        if (std::sscanf(s.c_str(), "%dx%d", &app.width, &app.height) != 2 || app.width < 320 || app.height < 320)
            return bad("--size must be WIDTHxHEIGHT, e.g. 1280x800");
    } else if (w == "--lang") {
        app.lang = next("--lang");
        if (app.lang != "zh" && app.lang != "en") return bad("--lang must be zh or en");
    } else if (w == "--script") {
        app.script = next("--script");
    } else if (w == "--expect-inside") {
        app.expect_inside = next("--expect-inside");
    } else if (w == "--text-size") {
        app.text_px = static_cast<float>(std::atof(next("--text-size").c_str()));
        if (app.text_px < 14 || app.text_px > 32) return bad("--text-size must be 14 to 32");
    } else if (w == "--now") {
        app.now_ms = liaison::platform::local_ms(next("--now"));
        if (app.now_ms < 0) return bad("--now must be \"YYYY-MM-DD HH:MM\" (local time)");
    } else if (w == "--printer") {
        app.printer = next("--printer");
    } else if (w == "--demo") {
        app.demo = true;
    } else if (w == "--kiosk" || w == "kiosk") {
        app.kiosk = true;  // `liaison kiosk`: the app locked in kiosk mode
    } else {
        return -1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string data_dir = liaison::platform::default_data_dir();
    std::vector<std::string> words;
    liaison::app::AppOptions app;
    std::string user;
    bool pin_stdin = false;
    // The store, its WAL, drafts and the keyring are for this user's eyes only (docs/security.md).
    liaison::platform::private_files_from_now();
    for (int i = 1; i < argc; ++i) {
        const std::string w = argv[i];
        auto next = [&](const char* name) -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "liaison: " << name << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (!words.empty()) {
            words.push_back(w);  // after the verb, everything belongs to the verb
            continue;
        }
        if (w == "--data") {
            data_dir = next("--data");
        } else if (w == "--user") {
            user = next("--user");
        } else if (w == "--pin-stdin") {
            pin_stdin = true;
        } else if (w == "--help" || w == "-h") {
            liaison::cli::print_usage(std::cout);
            return 0;
        } else if (const int rc = app_option(w, next, app); rc >= 0) {
            if (rc > 0) return rc;
        } else if (w.rfind("--", 0) == 0) {
            std::cerr << "liaison: unknown option " << w << "\n";
            return 2;
        } else if (liaison::cli::is_verb(w)) {
            words.push_back(w);
        } else {
            std::cerr << "liaison: unknown verb '" << w << "' (liaison help lists them)\n";
            return 2;
        }
    }
    if (!words.empty()) {
        liaison::cli::Context ctx{data_dir, std::cout, std::cerr};
        ctx.in = &std::cin;
        if (!sign_in_words(ctx, user, pin_stdin)) return 2;
        return liaison::cli::run(ctx, words);
    }
    app.data_dir = data_dir;
    return liaison::app::run(app);
}
