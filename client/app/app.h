// The tablet app: Dear ImGui on SDL2's renderer, event driven. client/main.cpp calls run() when
// `liaison` is started without a verb.
#pragma once
#include <string>

namespace liaison::app {

struct AppOptions {
    std::string data_dir;       // folder holding liaison.db
    std::string screenshot;     // write a PNG of the first settled frame of `view` and exit
    std::string view = "home";  // home, visits, visit-form, visit-detail, sync, settings (kiosk views come later)
    int width = 1280, height = 800;
    std::string lang;    // "zh" (default) or "en"
    std::string script;  // file of scripted input steps for end-to-end tests
    bool kiosk = false;
    bool demo = false;  // seed demo data on first run without asking
    // --screenshot: fail when a widget whose id starts with this is not wholly on screen
    std::string expect_inside;
    float text_px = 0;  // --text-size: the desk's text size for this run (not saved); 0: the saved one
    // --now "YYYY-MM-DD HH:MM": the store's wall clock starts there and runs (tests, screenshots:
    // who is on duty, the day's tickets); 0: the OS clock
    int64_t now_ms = 0;
    // --printer TARGET: the kiosk's receipt printer, kept as the local setting kiosk.printer
    // (docs/queue.md): /dev/usb/lp0, a file, cups:QUEUE, or none; "": leave the setting as it is
    std::string printer;
};

int run(const AppOptions& opt);  // returns the process exit code

}  // namespace liaison::app
