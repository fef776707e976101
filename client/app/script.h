// Scripted input for end-to-end tests (AppOptions::script). One step per line:
//   click ID|LABEL       tap a widget: its stable id (nav.visits, form.save), else its label text
//   type TEXT            type into the focused field (any UTF-8, also beyond the BMP)
//   key Enter|Tab|Escape|Backspace|Down|Up
//   wait [MS]            until debounced work (search, draft) ran; or MS milliseconds
//   advance MS           move the app's kiosk clock MS milliseconds forward (idle timeout, PIN lockout)
//   scroll N             mouse wheel N notches down (negative: up) over the content
//   drag DY              a finger pressed mid-screen, moved DY pixels (negative: up) over a few
//                        frames, lifted: touch scrolling
//   view NAME            go to a view directly
//   screenshot FILE      PNG of the next frame
//   expect-text TEXT     TEXT is drawn (waits up to 3 s); expect-no-text TEXT the opposite
//   expect-inside PREFIX every widget drawn whose id starts with PREFIX is wholly on screen
//                        (not cut by the display or by the window it sits in)
//   expect-spoken TEXT   the desk called TEXT out ("请 A001 号到接待台"): synthesised and queued to
//                        SDL audio whole (waits until played, up to 30 s; SDL_AUDIODRIVER=dummy)
//   count                start counting screens (the view, or the kiosk's step) and taps
//   expect-count S T     S screens shown and T taps (clicks) since `count`; prints them to stdout
//   frame-stats          print frame times since the last frame-stats to stdout
//   close                the OS asks the app to quit (Alt+F4, close button): SDL_QUIT
//   quit
// Lines starting with # are comments. A failing step, or the app closing before the last step,
// ends the app with exit code 1.
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

#include "base/result.h"

namespace liaison::ui {
class Ui;
class Glyphs;
}  // namespace liaison::ui

namespace liaison::app {

class AppModel;

// The widgets whose id starts with `prefix` that are not wholly on screen, as " id (x,y)-(x,y)"
// each; "" when none (the `expect-inside` step, and --expect-inside for screenshots).
std::string cut_widgets(const ui::Ui& u, const std::string& prefix);

class Script {
public:
    static Result<Script> load(const std::string& path);

    // Before ImGui::NewFrame: feeds this frame's input to ImGui.
    void before_frame(ImGuiIO& io, ui::Glyphs& glyphs, ui::Ui& ui);
    // After the frame: looks at what was drawn and advances.
    void after_frame(ui::Ui& ui, AppModel& m, std::vector<double>& frame_ms, int64_t now);

    bool done() const { return pos_ >= steps_.size() || failed_; }
    bool failed() const { return failed_; }
    const std::string& error() const { return error_; }
    // A screenshot requested for the coming frame ("" when none).
    const std::string& screenshot() const { return screenshot_; }
    void screenshot_taken() { screenshot_.clear(); }

private:
    struct Step {
        std::string cmd, arg;
        int line = 0;
    };
    void next();
    void fail(const std::string& why);
    void expect_spoken(AppModel& m, int64_t now);
    void expect_count();
    void click(ui::Ui& u, AppModel& m, int64_t now);

    std::vector<Step> steps_;
    size_t pos_ = 0;
    int phase_ = 0;
    int settle_ = 0;
    int64_t started_ = -1;
    ImVec2 target_{-FLT_MAX, -FLT_MAX};
    ImVec2 mouse_{-FLT_MAX, -FLT_MAX};
    std::string screenshot_;
    bool counting_ = false;  // `count`: each screen shown in turn, and the taps
    std::vector<std::string> screens_;
    int taps_ = 0;
    bool failed_ = false;
    std::string error_;
};

}  // namespace liaison::app
