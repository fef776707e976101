#include "client/app/script.h"

#include <SDL.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <utility>

#include "client/app/model.h"
#include "client/app/tuning.h"
#include "client/ui/ui.h"

namespace liaison::app {

namespace {
constexpr int64_t kFindTimeoutMs = 3000;
constexpr int64_t kSpokenTimeoutMs = 30000;  // the dummy audio driver plays in real time
constexpr int kDragFrames = 6;

int scancode(const std::string& k) {
    if (k == "Enter" || k == "Return") return SDL_SCANCODE_RETURN;
    if (k == "Tab") return SDL_SCANCODE_TAB;
    if (k == "Escape") return SDL_SCANCODE_ESCAPE;
    if (k == "Backspace") return SDL_SCANCODE_BACKSPACE;
    if (k == "Down") return SDL_SCANCODE_DOWN;
    if (k == "Up") return SDL_SCANCODE_UP;
    return -1;
}

const ui::WidgetRecord* find_widget(const ui::Ui& u, const std::string& what) {
    const auto& ws = u.widgets();
    for (const auto& w : ws)
        if (w.id == what) return &w;
    for (const auto& w : ws)
        if (w.label == what) return &w;
    for (const auto& w : ws)
        if (!what.empty() && w.label.find(what) != std::string::npos) return &w;
    return nullptr;
}

}  // namespace

std::string cut_widgets(const ui::Ui& u, const std::string& prefix) {
    std::string cut;
    for (const auto& w : u.widgets()) {
        if (w.whole || w.id.rfind(prefix, 0) != 0) continue;
        char box[96];
        std::snprintf(box, sizeof box, " (%.0f,%.0f)-(%.0f,%.0f)", w.min.x, w.min.y, w.max.x, w.max.y);
        cut += " " + w.id + box;
    }
    return cut;
}

namespace {
void print_frame_stats(std::vector<double>& frame_ms) {
    std::vector<double> v = std::exchange(frame_ms, {});
    if (v.empty()) return;
    std::sort(v.begin(), v.end());
    std::printf("frames %zu  p50 %.2f ms  p95 %.2f ms  max %.2f ms\n", v.size(), v[v.size() / 2],
                v[std::min(v.size() - 1, v.size() * 95 / 100)], v.back());
    std::fflush(stdout);
}

bool has_text(const ui::Ui& u, const std::string& t) {
    for (const auto& s : u.texts())
        if (s.find(t) != std::string::npos) return true;
    return false;
}
}  // namespace

Result<Script> Script::load(const std::string& path) {
    std::ifstream in(path);
    if (!in) return Error{Error::Kind::Io, "cannot read script " + path};
    Script s;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const size_t b = line.find_first_not_of(" \t");
        if (b == std::string::npos || line[b] == '#') continue;
        line = line.substr(b);
        const size_t sp = line.find(' ');
        Step st{line.substr(0, sp), sp == std::string::npos ? "" : line.substr(sp + 1), n};
        static const char* known[] = {"click",         "type",       "key",         "wait",           "scroll",
                                      "view",          "screenshot", "expect-text", "expect-no-text", "frame-stats",
                                      "quit",          "advance",    "close",       "expect-inside",  "drag",
                                      "expect-spoken", "count",      "expect-count"};
        if (std::none_of(std::begin(known), std::end(known), [&](const char* k) { return st.cmd == k; }))
            return Error{Error::Kind::Invalid, path + ":" + std::to_string(n) + ": unknown step '" + st.cmd + "'"};
        if (st.cmd == "key" && scancode(st.arg) < 0)
            return Error{Error::Kind::Invalid, path + ":" + std::to_string(n) + ": unknown key '" + st.arg + "'"};
        s.steps_.push_back(std::move(st));
    }
    return s;
}

void Script::next() {
    ++pos_;
    phase_ = 0;
    settle_ = 0;
    started_ = -1;
}

void Script::fail(const std::string& why) {
    failed_ = true;
    error_ = "script line " + std::to_string(steps_[pos_].line) + " (" + steps_[pos_].cmd + " " + steps_[pos_].arg +
             "): " + why;
}

// The call-out's record: its words, and every synthesised sample queued to SDL audio.
void Script::expect_spoken(AppModel& m, int64_t now) {
    const Step& s = steps_[pos_];
    const platform::Announcer* a = m.kiosk.announcer();
    if (!a) return fail("no announcer");
    for (const auto& said : a->spoken()) {
        if (said.shown != s.arg) continue;
        if (!said.error.empty()) return fail("not played: " + said.error);
        if (said.samples == 0 || said.queued_bytes != said.samples * 2) return fail("not all of the sound was queued");
        std::printf("spoken \"%s\" (%s): %zu samples at %d Hz, %zu bytes queued\n", said.shown.c_str(),
                    said.voice.c_str(), said.samples, said.rate, said.queued_bytes);
        std::fflush(stdout);
        return next();
    }
    if (now - started_ > kSpokenTimeoutMs) fail("not called out");
}

// Finds the widget (scrolling it into view first, as a person would), then hovers, presses and
// releases on successive frames.
void Script::click(ui::Ui& u, AppModel& m, int64_t now) {
    if (phase_ == 0) {
        const ui::WidgetRecord* w = find_widget(u, m.glyphs->shown(steps_[pos_].arg));
        if (w && w->enabled && w->visible) {
            target_ = ImVec2((w->min.x + w->max.x) / 2, (w->min.y + w->max.y) / 2);
            phase_ = 1;
        } else if (now - started_ > kFindTimeoutMs) {
            fail(!w ? "no such widget on screen" : w->enabled ? "widget stays off screen" : "widget is disabled");
        } else if (w && w->enabled) {
            u.scroll_to(w->id);
        }
    } else if (++phase_ > 3) {
        taps_ += counting_ ? 1 : 0;
        settle_ = tuning::kSettleFrames;
    }
}

void Script::expect_count() {
    std::string shown;
    for (const auto& name : screens_) shown += (shown.empty() ? "" : " ") + name;
    std::printf("measured: %zu screens (%s), %d taps\n", screens_.size(), shown.c_str(), taps_);
    std::fflush(stdout);
    int screens = -1, taps = -1;
    if (std::sscanf(steps_[pos_].arg.c_str(), "%d %d", &screens, &taps) != 2) return fail("want: expect-count S T");
    if (static_cast<size_t>(screens) != screens_.size() || taps != taps_)
        return fail(std::to_string(screens_.size()) + " screens (" + shown + ") and " + std::to_string(taps_) +
                    " taps");
    next();
}

void Script::before_frame(ImGuiIO& io, ui::Glyphs& glyphs, ui::Ui& ui) {
    // The scripted pointer replaces the OS one, so a stray real mouse cannot disturb a test.
    io.MousePos = mouse_;
    io.MouseDown[0] = false;
    if (done() || settle_ > 0) return;
    const Step& s = steps_[pos_];
    if (s.cmd == "click") {
        if (phase_ >= 1 && phase_ <= 3) {
            io.MousePos = mouse_ = target_;
            io.MouseDown[0] = (phase_ == 2);  // hover, press, release: one frame each
        }
    } else if (s.cmd == "type" && phase_ == 0) {
        ui.type_text(glyphs.shown(s.arg));
    } else if (s.cmd == "key") {
        io.KeysDown[scancode(s.arg)] = (phase_ == 0);
    } else if (s.cmd == "close" && phase_ == 0) {
        SDL_Event quit{};
        quit.type = SDL_QUIT;  // what Alt+F4, the window's close button or the OS send
        SDL_PushEvent(&quit);
    } else if (s.cmd == "drag") {
        // press, kDragFrames moves, release: one frame each
        const float dy = static_cast<float>(std::atof(s.arg.c_str()));
        const ImVec2 from(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f);
        const float k = static_cast<float>(std::min(phase_, kDragFrames)) / kDragFrames;
        io.MousePos = mouse_ = ImVec2(from.x, from.y + dy * k);
        io.MouseDown[0] = phase_ <= kDragFrames;
    } else if (s.cmd == "scroll" && phase_ == 0) {
        io.MousePos = mouse_ = ImVec2(io.DisplaySize.x * 0.6f, io.DisplaySize.y * 0.6f);
        io.MouseWheel -= static_cast<float>(std::atof(s.arg.c_str()));
    }
}

void Script::after_frame(ui::Ui& u, AppModel& m, std::vector<double>& frame_ms, int64_t now) {
    if (done()) return;
    if (counting_ && (screens_.empty() || screens_.back() != m.screen_name())) screens_.push_back(m.screen_name());
    if (settle_ > 0) {
        if (--settle_ == 0) next();
        return;
    }
    if (started_ < 0) started_ = now;
    const Step& s = steps_[pos_];
    const int settle = tuning::kSettleFrames;
    if (s.cmd == "click") {
        click(u, m, now);
    } else if (s.cmd == "type" || s.cmd == "scroll") {
        settle_ = settle;
    } else if (s.cmd == "drag") {
        if (++phase_ > kDragFrames + 1) settle_ = settle;
    } else if (s.cmd == "key" || s.cmd == "close") {
        if (++phase_ > 1) settle_ = settle;
    } else if (s.cmd == "wait") {
        if (!s.arg.empty()) {
            if (now - started_ >= std::atoll(s.arg.c_str())) settle_ = settle;
        } else if (!m.visits.debouncing()) {
            settle_ = settle;
        }
    } else if (s.cmd == "advance") {
        m.advance_clock(std::atoll(s.arg.c_str()));
        settle_ = settle;
    } else if (s.cmd == "view") {
        if (auto v = ui::view_from_name(s.arg)) {
            m.navigate(*v);
            settle_ = settle;
        } else {
            fail("unknown view");
        }
    } else if (s.cmd == "screenshot") {
        if (phase_ == 0) {
            screenshot_ = s.arg;  // taken by the app during the next frame
            phase_ = 1;
        } else if (screenshot_.empty()) {
            next();
        }
    } else if (s.cmd == "expect-text" || s.cmd == "expect-no-text") {
        const bool want = s.cmd == "expect-text";
        if (has_text(u, m.glyphs->shown(s.arg)) == want)
            next();
        else if (now - started_ > kFindTimeoutMs)
            fail(want ? "text not shown" : "text still shown");
    } else if (s.cmd == "expect-inside") {
        const std::string cut = cut_widgets(u, s.arg);
        if (cut.empty())
            next();
        else if (now - started_ > kFindTimeoutMs)
            fail("not wholly on screen:" + cut);
    } else if (s.cmd == "expect-spoken") {
        expect_spoken(m, now);
    } else if (s.cmd == "count") {
        counting_ = true;
        screens_ = {m.screen_name()};
        taps_ = 0;
        next();
    } else if (s.cmd == "expect-count") {
        expect_count();
    } else if (s.cmd == "frame-stats") {
        print_frame_stats(frame_ms);
        next();
    } else if (s.cmd == "quit") {
        pos_ = steps_.size();
    }
}

}  // namespace liaison::app
