// The app root: window, ImGui, the event-driven main loop, navigation, screenshots and scripts.
#include "client/app/app.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <set>

#include "client/app/calling_display.h"
#include "client/app/model.h"
#include "client/app/screenshot_seed.h"
#include "client/app/script.h"
#include "client/app/tuning.h"
#include "client/app/ui_queue.h"
#include "client/store/printer.h"
#include "client/ui/ui.h"
#include "platform/platform.h"
#include "platform/sdl/voice.h"
#include "platform/sdl/window.h"

namespace liaison::app {

namespace {

// ImGui context and both backends as one scope.
class ImGuiScope {
public:
    explicit ImGuiScope(platform::Window& w) {
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;               // no imgui.ini next to the binary
        io.ConfigInputTextCursorBlink = false;  // a blinking caret would wake the loop twice a second
        io.ConfigWindowsMoveFromTitleBarOnly = true;
        ImGui_ImplSDL2_InitForSDLRenderer(w.sdl());
        ImGui_ImplSDLRenderer_Init(w.renderer());
    }
    ~ImGuiScope() {
        ImGui_ImplSDLRenderer_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
    }
    ImGuiScope(const ImGuiScope&) = delete;
    ImGuiScope& operator=(const ImGuiScope&) = delete;
};

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

bool write_png(platform::Window& w, const std::string& path) {
    int pw = 0, ph = 0;
    auto px = w.read_rgba(pw, ph);
    if (!px) {
        std::cerr << "liaison: screenshot: " << px.error().message << "\n";
        return false;
    }
    if (!stbi_write_png(path.c_str(), pw, ph, 4, px->data(), pw * 4)) {
        std::cerr << "liaison: cannot write " << path << "\n";
        return false;
    }
    return true;
}

// The window an event belongs to (0: none, e.g. a key with no focus, a quit request).
Uint32 event_window(const SDL_Event& ev) {
    switch (ev.type) {
        case SDL_WINDOWEVENT: return ev.window.windowID;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP: return ev.button.windowID;
        case SDL_MOUSEMOTION: return ev.motion.windowID;
        case SDL_MOUSEWHEEL: return ev.wheel.windowID;
        default: return 0;
    }
}

class App {
public:
    App(const AppOptions& opt, platform::Window& w, ui::Glyphs& g, AppModel& m)
        : opt_(opt), win_(w), glyphs_(g), model_(m), ui_(m.i18n, g) {
        // Copying from a field: stand-ins back to the real characters. (Pasting a character
        // beyond the BMP into a field drops it: ImGui filters it before we could map it.)
        ImGuiIO& io = ImGui::GetIO();
        io.ClipboardUserData = &glyphs_;
        io.SetClipboardTextFn = [](void* ud, const char* text) {
            SDL_SetClipboardText(static_cast<ui::Glyphs*>(ud)->stored(text).c_str());
        };
    }

    // Runs until quit; returns the exit code. `t_start`: process start, for the cold-start figure.
    int loop(std::optional<Script> script, std::chrono::steady_clock::time_point t_start);
    // Wakes the loop from another thread (UiQueue).
    static void wake();
    // Kiosk mode: borderless full screen, the keyboard grabbed (system shortcuts swallowed).
    void enter_kiosk_window() {
        kiosk_window_ = true;
        // Swallow the system's shortcuts where SDL can (Alt+Tab, the Windows key) while locked,
        // however kiosk mode was started (`liaison kiosk` or the settings).
        SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
        SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
        SDL_SetWindowBordered(win_.sdl(), SDL_FALSE);
        SDL_SetWindowKeyboardGrab(win_.sdl(), SDL_TRUE);
    }

private:
    void handle(const SDL_Event& ev);
    void rebuild_atlas();
    void draw();
    ui::Layout begin_frame();
    void draw_root(const ui::Layout& l);
    void draw_nav_pane(const ui::Layout& l);
    void present();
    void follow_kiosk_mode();
    void follow_calling_display();
    void draw_calling_display();
    void draw_overlays(const ui::Layout& l);
    void update_text_input();
    bool driven() const { return !opt_.screenshot.empty() || script_.has_value(); }
    std::unique_ptr<sync::Worker> start_worker(UiQueue& queue);
    void wait_for_work(UiQueue& queue);
    bool frame();
    void follow_script();
    void check_settled(bool atlas_was_dirty);
    void finish();

    const AppOptions& opt_;
    platform::Window& win_;
    ui::Glyphs& glyphs_;
    AppModel& model_;
    ui::Ui ui_;
    bool running_ = true;
    bool text_input_ = false;
    ImVec2 ime_pos_{-1, -1};
    std::string preedit_;  // IME composition, display form
    ui::Layout style_for_{};
    bool style_set_ = false;
    std::vector<double> frame_ms_;
    std::vector<double> render_ms_;  // of each frame: rasterising and presenting (the rest is UI + data)
    std::optional<Script> script_;
    bool capture_ = false;  // --screenshot: write this frame and stop
    bool ok_ = true;
    double atlas_ms_ = 0;
    std::set<char32_t> reported_missing_;
    int atlas_builds_ = 0;
    bool kiosk_window_ = false;                // full screen with the keyboard grabbed until the PIN is entered
    std::unique_ptr<CallingDisplay> display_;  // the 叫号屏 window, while the desk has it open
    std::chrono::steady_clock::time_point t_start_;
    const bool perf_ = std::getenv("LIAISON_PERF") != nullptr;  // prints start-up and frame figures
    int frames_left_ = tuning::kSettleFrames;
    int settled_ = 0;  // screenshot: consecutive frames with nothing left to do
    bool first_ = true;
};

void App::handle(const SDL_Event& ev) {
    // The calling display's own events: closing it turns it off; a double-click, full screen.
    if (display_ && event_window(ev) == display_->window_id()) {
        if (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_CLOSE) {
            Context c = model_.context();
            model_.kiosk.display_closed(c, "");
        }
        display_->handle(ev);
        frames_left_ = std::max(frames_left_, 1);
        return;
    }
    switch (ev.type) {
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEWHEEL:
        case SDL_FINGERDOWN:
        case SDL_KEYDOWN: model_.touched(platform::monotonic_ms()); break;
        default: break;
    }
    switch (ev.type) {
        case SDL_QUIT:
            if (!model_.kiosk.locked()) running_ = false;  // kiosk: Alt+F4 and the like do nothing; only the PIN leaves
            return;
        case SDL_TEXTINPUT:
            model_.touched(platform::monotonic_ms());
            // Map characters beyond the BMP to their stand-ins first: ImGui 1.86 would make them U+FFFD.
            ui_.type_text(glyphs_.shown(ev.text.text));
            preedit_.clear();
            return;
        case SDL_TEXTEDITING: preedit_ = glyphs_.shown(ev.edit.text); return;
        case SDL_WINDOWEVENT:
            if (ev.window.event == SDL_WINDOWEVENT_CLOSE && !model_.kiosk.locked()) running_ = false;
            break;
        default: break;
    }
    ImGui_ImplSDL2_ProcessEvent(&ev);
}

void App::rebuild_atlas() {
    ImGuiIO& io = ImGui::GetIO();
    const auto t0 = std::chrono::steady_clock::now();
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    if (auto st = glyphs_.build(*io.Fonts); !st) std::cerr << "liaison: fonts: " << st.error().message << "\n";
    ImGui_ImplSDLRenderer_CreateFontsTexture();
    io.Fonts->ClearTexData();  // the texture has it now; keep no CPU copy
    atlas_ms_ += ms_since(t0);
    // Tests (LIAISON_STRICT_GLYPHS=1) fail on any character drawn as a '?' box.
    for (char32_t cp : glyphs_.missing()) {
        if (!reported_missing_.insert(cp).second) continue;
        std::fprintf(stderr, "liaison: no glyph for U+%04X\n", static_cast<unsigned>(cp));
        if (std::getenv("LIAISON_STRICT_GLYPHS")) ok_ = false;
    }
    ++atlas_builds_;
}

void App::update_text_input() {
    // Show the platform IME / on-screen keyboard only while a text field is active, next to its caret.
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput != text_input_) {
        text_input_ = io.WantTextInput;
        if (text_input_)
            SDL_StartTextInput();
        else
            SDL_StopTextInput();
        if (!text_input_) preedit_.clear();
    }
    ImGuiContext& g = *ImGui::GetCurrentContext();
    if (text_input_ && g.PlatformImePos.x != FLT_MAX &&
        (g.PlatformImePos.x != ime_pos_.x || g.PlatformImePos.y != ime_pos_.y)) {
        ime_pos_ = g.PlatformImePos;
        SDL_Rect r{static_cast<int>(ime_pos_.x), static_cast<int>(ime_pos_.y), 1, static_cast<int>(model_.font_px())};
        SDL_SetTextInputRect(&r);
    }
}

void App::draw_overlays(const ui::Layout& l) {
    auto* dl = ImGui::GetForegroundDrawList();
    if (!model_.toast().empty() && model_.toast_undo()) {
        // 撤销 beside the message: a window of its own so the button takes taps.
        const std::string undo = model_.i18n.tr("toast.undo");
        const ImVec2 ts = ImGui::CalcTextSize(model_.toast().c_str());
        const float bw = ui_.chip_width(undo) + 16, h = l.touch + 16;
        const float w = std::min(l.width - 32, ts.x + bw + 56);
        const float bottom = l.portrait ? l.height - ui::nav_height(l) - 16 : l.height - 24;
        ImGui::SetNextWindowPos(ImVec2((l.width - w) / 2, bottom - h));
        ImGui::SetNextWindowSize(ImVec2(w, h));
        ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(50, 50, 50, 240));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(16, 8));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 12.0f);
        ImGui::Begin("##toast", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoFocusOnAppearing);
        ui_.note_text(model_.toast());
        ImGui::SetCursorPosY((h - ts.y) / 2);
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32_WHITE);
        ImGui::TextUnformatted(model_.toast().c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine(w - bw - 16);
        ImGui::SetCursorPosY(8);
        if (ui_.button("toast.undo", undo, bw, ui::Tone::Primary)) ui_.emit(ui::intent::Undo{});
        ImGui::End();
        ImGui::PopStyleVar(2);
        ImGui::PopStyleColor();
    } else if (!model_.toast().empty()) {
        ui_.note_text(model_.toast());
        const ImVec2 ts = ImGui::CalcTextSize(model_.toast().c_str());
        const float bottom = l.portrait ? l.height - ui::nav_height(l) - 24 : l.height - 32;
        const ImVec2 a((l.width - ts.x) / 2 - 24, bottom - ts.y - 24);
        dl->AddRectFilled(a, ImVec2(a.x + ts.x + 48, bottom), IM_COL32(50, 50, 50, 235), 12);
        dl->AddText(ImVec2(a.x + 24, a.y + 12), IM_COL32_WHITE, model_.toast().c_str());
    }
    // Some IMEs leave the composition to the app: show it under the caret, underlined.
    if (!preedit_.empty() && text_input_ && ime_pos_.x >= 0) {
        ui_.note_text(preedit_);
        const ImVec2 ts = ImGui::CalcTextSize(preedit_.c_str());
        const ImVec2 a(ime_pos_.x, ime_pos_.y + l.font + 8);
        dl->AddRectFilled(ImVec2(a.x - 6, a.y - 4), ImVec2(a.x + ts.x + 6, a.y + ts.y + 6),
                          IM_COL32(255, 253, 231, 255), 6);
        dl->AddText(a, ui::color::kText, preedit_.c_str());
        dl->AddLine(ImVec2(a.x, a.y + ts.y + 1), ImVec2(a.x + ts.x, a.y + ts.y + 1), ui::color::kPrimary, 2);
    }
}

ui::Layout App::begin_frame() {
    ImGuiIO& io = ImGui::GetIO();
    const float scale = win_.pixel_scale();
    glyphs_.set_size(model_.font_px(), scale);
    // The kiosk's welcome and the sign-in view's duty tiles (their names at twice the body size).
    glyphs_.set_large_titles(model_.view() == ui::View::Kiosk || model_.view() == ui::View::SignIn);
    if (glyphs_.dirty()) rebuild_atlas();

    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    // The SDL backend reads the GL drawable size, which is wrong for SDL_Renderer on HiDPI screens.
    io.DisplayFramebufferScale = ImVec2(scale, scale);
    io.FontGlobalScale = 1.0f / scale;  // the atlas is rasterised at physical pixels
    if (script_) script_->before_frame(io, glyphs_, ui_);
    ImGui::NewFrame();

    ui::Layout l;
    l.width = io.DisplaySize.x;
    l.height = io.DisplaySize.y;
    l.portrait = l.height > l.width;
    l.font = model_.font_px();
    // The sign-in view's tiles and keys are as large as the kiosk's.
    l.touch = model_.view() == ui::View::Kiosk || model_.view() == ui::View::SignIn ? KioskScreen::kTouchPx
                                                                                    : tuning::kTouchPx;
    l.pad = l.width < 900 ? 12 : 16;
    if (!style_set_ || l.font != style_for_.font || l.pad != style_for_.pad || l.touch != style_for_.touch) {
        ui::apply_style(l);
        style_for_ = l;
        style_set_ = true;
    }
    ui_.begin_frame(model_.i18n, l);
    return l;
}

// The navigation pane: a column on the left in landscape, a bar at the bottom in portrait.
void App::draw_nav_pane(const ui::Layout& l) {
    const ImVec2 size = l.portrait ? ImVec2(0, ui::nav_height(l)) : ImVec2(std::max(120.0f, l.font * 6.5f), 0);
    if (l.portrait) {
        // Flush with the bottom edge: the content above ends one item spacing early.
        ImGui::SetCursorScreenPos(ImVec2(0, l.height - ui::nav_height(l)));
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddLine(p, ImVec2(p.x + l.width, p.y), ui::color::kLine);
    }
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ui::color::kNav);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, l.portrait ? 8 : 12));
    ImGui::BeginChild("##nav", size, false, ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar);
    ui::draw_nav(ui_, model_.view(), model_.sync.status());
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    if (!l.portrait) ImGui::SameLine(0, 0);
}

void App::draw_root(const ui::Layout& l) {
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("##root", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    const bool nav =
        model_.view() != ui::View::FirstRun && model_.view() != ui::View::Kiosk && model_.view() != ui::View::SignIn;
    ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, 0.0f);
    if (nav && !l.portrait) draw_nav_pane(l);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ui::color::kBackground);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(l.pad, l.pad));
    ImGui::BeginChild(
        "##content", ImVec2(0, nav && l.portrait ? -ui::nav_height(l) : 0), false,
        ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();  // child border
    ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, 1.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(l.pad, l.pad * 0.75f));
    model_.draw(ui_);
    ImGui::PopStyleVar(2);
    ImGui::EndChild();
    if (nav && l.portrait) draw_nav_pane(l);
    ImGui::End();
}

void App::present() {
    SDL_Renderer* r = win_.renderer();
    SDL_SetRenderDrawColor(r, 245, 245, 242, 255);
    SDL_RenderClear(r);
    const auto t_render = std::chrono::steady_clock::now();
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    if (script_ && !script_->screenshot().empty()) {
        if (!write_png(win_, script_->screenshot())) running_ = false;
        script_->screenshot_taken();
    }
    if (capture_ && opt_.view != "calling-display") {
        if (!write_png(win_, opt_.screenshot)) ok_ = false;
        if (!opt_.expect_inside.empty()) {
            if (const std::string cut = cut_widgets(ui_, opt_.expect_inside); !cut.empty()) {
                std::cerr << "liaison: not wholly on screen:" << cut << "\n";
                ok_ = false;
            }
        }
    }
    if (capture_) running_ = false;  // the calling display writes its own after this frame
    SDL_RenderPresent(r);
    render_ms_.push_back(ms_since(t_render));
    if (render_ms_.size() > 100000) render_ms_.clear();
}

// The window follows kiosk mode: started from the settings, or left with the admin's PIN.
void App::follow_kiosk_mode() {
    if (!kiosk_window_ && model_.kiosk.locked()) {
        // A script keeps the size it asked for (--size), so its screenshots stay comparable.
        if (!script_) SDL_SetWindowFullscreen(win_.sdl(), SDL_WINDOW_FULLSCREEN_DESKTOP);
        enter_kiosk_window();
    }
    if (kiosk_window_ && !model_.kiosk.locked()) {
        kiosk_window_ = false;
        SDL_SetWindowKeyboardGrab(win_.sdl(), SDL_FALSE);
        SDL_SetWindowFullscreen(win_.sdl(), 0);
        SDL_SetWindowBordered(win_.sdl(), SDL_TRUE);
        SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "1");
    }
}

// The calling display's window follows the desk's 叫号屏 chip.
void App::follow_calling_display() {
    if (model_.kiosk.display_wanted() && !display_) {
        auto d = CallingDisplay::open(model_.assets_dir, model_.i18n.tr("display.window"), opt_.width, opt_.height);
        if (!d) {
            Context c = model_.context();
            model_.kiosk.display_closed(c, c.error_text(d.error()));
            return;
        }
        display_ = std::move(*d);
    }
    if (!model_.kiosk.display_wanted() && display_) display_.reset();
}

// Drawn with the app's frames; a frame that met new characters is drawn again with them.
void App::draw_calling_display() {
    if (!display_) return;
    const std::string png = capture_ && opt_.view == "calling-display" ? opt_.screenshot : "";
    for (int pass = 0; pass < 2; ++pass) {
        const bool again = pass == 0 && display_->dirty();
        Status st = display_->draw(model_.kiosk.calling_display(), model_.i18n, again ? "" : png);
        if (!st) {
            std::cerr << "liaison: calling display: " << st.error().message << "\n";
            ok_ = false;
        }
        if (!display_->dirty() || pass == 1) break;
    }
    for (char32_t cp : display_->missing()) {
        if (!reported_missing_.insert(cp).second) continue;
        std::fprintf(stderr, "liaison: no glyph for U+%04X\n", static_cast<unsigned>(cp));
        if (std::getenv("LIAISON_STRICT_GLYPHS")) ok_ = false;
    }
}

void App::draw() {
    const ui::Layout l = begin_frame();
    draw_root(l);
    draw_overlays(l);
    ImGui::Render();
    present();
    for (auto& i : ui_.take_intents()) model_.apply(i);
    follow_kiosk_mode();
    follow_calling_display();
    draw_calling_display();
    update_text_input();
}

void App::wake() {
    SDL_Event ev{};
    ev.type = SDL_USEREVENT;
    SDL_PushEvent(&ev);  // thread safe
}

// Sync in the background whenever this device is enrolled (never while screenshots or scripts
// drive the app: they must not depend on a network).
std::unique_ptr<sync::Worker> App::start_worker(UiQueue& queue) {
    const auto server_url = model_.store->setting("server_url");
    const auto ca_file = model_.store->setting("sync_ca_file");
    if (!server_url || !ca_file) {
        std::cerr << "liaison: no background sync: " << (server_url ? ca_file.error() : server_url.error()).message
                  << "\n";
        return nullptr;
    }
    if (driven() || !model_.store->initialized() || server_url->empty()) return nullptr;
    sync::WorkerOptions wo;
    wo.store_path = model_.store->db().path();
    wo.key = model_.store->key();
    wo.ca_file = *ca_file;
    wo.on_status = [&queue](const sync::SyncStatus& s) { queue.post([s](AppModel& m) { m.on_sync_status(s); }); };
    auto worker = std::make_unique<sync::Worker>(std::move(wo));
    worker->start();
    model_.worker = worker.get();
    return worker;
}

// Sleeps until there is something to do, then does it: input, the workers' results, timers.
void App::wait_for_work(UiQueue& queue) {
    int timeout = 0;
    if (!driven() && frames_left_ <= 0) {
        const int64_t deadline = model_.next_deadline();
        timeout = deadline ? static_cast<int>(std::max<int64_t>(0, deadline - platform::monotonic_ms())) : -1;
    }
    SDL_Event ev;
    // Hold no read snapshot while asleep: it would pin the WAL the sync worker writes to.
    if (timeout != 0 && model_.store) model_.store->refresh();
    // Sleep in the OS until input, a worker's wake-up, or the next timer: idle costs nothing.
    const bool got = timeout < 0 ? SDL_WaitEvent(&ev) == 1 : SDL_WaitEventTimeout(&ev, timeout) == 1;
    if (got) {
        handle(ev);
        while (SDL_PollEvent(&ev)) handle(ev);
        frames_left_ = std::max(frames_left_, tuning::kSettleFrames);
    }
    for (auto& task : queue.take()) task(model_);
    if (model_.run_timers(platform::monotonic_ms())) frames_left_ = std::max(frames_left_, 2);
    if (model_.data_changed) {
        model_.data_changed = false;
        frames_left_ = std::max(frames_left_, 2);
    }
}

// Draws one frame and records its time; true when the glyph atlas was rebuilt for it.
bool App::frame() {
    const auto t0 = std::chrono::steady_clock::now();
    const bool atlas_was_dirty = glyphs_.dirty();
    draw();
    const double ms = ms_since(t0);
    frame_ms_.push_back(ms);
    if (frame_ms_.size() > 100000) frame_ms_.clear();
    --frames_left_;
    if (first_) {
        first_ = false;
        if (perf_)
            std::fprintf(stderr,
                         "perf: first frame %.1f ms after start (frame %.1f ms incl. %d atlas build(s) %.1f ms, %zu "
                         "glyphs, atlas %dx%d, %s)\n",
                         ms_since(t_start_), ms, atlas_builds_, atlas_ms_, glyphs_.glyph_count(),
                         glyphs_.texture_width(), glyphs_.texture_height(), win_.renderer_name().c_str());
    }
    if (ImGui::GetIO().WantTextInput) frames_left_ = std::max(frames_left_, 0);
    return atlas_was_dirty;
}

void App::follow_script() {
    script_->after_frame(ui_, model_, frame_ms_, platform::monotonic_ms());
    if (script_->failed()) {
        std::cerr << "liaison: " << script_->error() << "\n";
        ok_ = false;
        running_ = false;
    } else if (script_->done()) {
        running_ = false;
    } else {
        SDL_Delay(5);  // real time passes for debounce timers without spinning a core
    }
}

// --screenshot: capture once glyphs are built and no intents, data or debounced query are pending.
void App::check_settled(bool atlas_was_dirty) {
    const bool busy = atlas_was_dirty || glyphs_.dirty() || !model_.settled() || (display_ && display_->dirty());
    settled_ = busy ? 0 : settled_ + 1;
    if (settled_ >= tuning::kSettleFrames) capture_ = true;
}

void App::finish() {
    model_.flush();
    if (script_ && !script_->done()) {
        std::cerr << "liaison: the app closed before its script ended\n";
        ok_ = false;
    }
    if (perf_ && !frame_ms_.empty()) {
        auto pct = [](std::vector<double> v, double p) {
            std::sort(v.begin(), v.end());
            return v[std::min(v.size() - 1, static_cast<size_t>(static_cast<double>(v.size()) * p))];
        };
        std::fprintf(
            stderr, "perf: %zu frames, whole frame p50 %.1f / p95 %.1f ms, of which rendering p50 %.1f / p95 %.1f ms\n",
            frame_ms_.size(), pct(frame_ms_, 0.5), pct(frame_ms_, 0.95), pct(render_ms_, 0.5), pct(render_ms_, 0.95));
    }
}

int App::loop(std::optional<Script> script, std::chrono::steady_clock::time_point t_start) {
    script_ = std::move(script);
    t_start_ = t_start;
    UiQueue queue(&App::wake);
    // Declared after the queue so it stops before the queue it posts to is destroyed.
    // After a cold start behind the sign-in view the store opens later: the worker starts then.
    std::unique_ptr<sync::Worker> worker = model_.store ? start_worker(queue) : nullptr;
    bool worker_tried = model_.store != nullptr;
    // The desk's call-out voice: its thread waits, costing nothing, until 叫下一位. It goes before
    // the window does, whose SDL_Quit would close the audio under it.
    platform::Announcer announcer;
    model_.kiosk.set_announcer(&announcer);
    while (running_) {
        wait_for_work(queue);
        if (!running_) break;
        if (!worker_tried && model_.store) {
            worker_tried = true;
            worker = start_worker(queue);
        }
        if (!driven() && frames_left_ <= 0) continue;
        const bool atlas_was_dirty = frame();
        if (script_)
            follow_script();
        else if (!opt_.screenshot.empty() && !capture_)
            check_settled(atlas_was_dirty);
    }
    finish();
    model_.kiosk.set_announcer(nullptr);
    model_.worker = nullptr;  // the worker stops with this scope
    return ok_ ? 0 : 1;
}

// `liaison kiosk` (locked in) or a kiosk step's screenshot (kiosk, kiosk-welcome ... kiosk-declined).
// kiosk-welcome and kiosk-consent: the first step at rest, the consent folded or unfolded;
// kiosk-idle: the phone step under the idle sheet (a screenshot of the 还在吗？ warning).
int start_kiosk_view(AppModel& model, const AppOptions& opt) {
    const bool idle = opt.view == "kiosk-idle";
    const bool resting = opt.view == "kiosk" || opt.view == "kiosk-welcome" || opt.view == "kiosk-consent";
    const auto step = idle ? ui::KioskStep::Phone : ui::kiosk_step_from_name(opt.view).value_or(ui::KioskStep::Name);
    if (auto st = model.start_kiosk(step, opt.kiosk); !st) {
        std::cerr << "liaison: kiosk: " << st.error().message << "\n";
        return 2;
    }
    if (opt.view == "kiosk-consent") model.kiosk.open_consent();
    if (opt.screenshot.empty()) return 0;
    if (auto st = seed_kiosk_screenshot(model, step, !resting); !st) {
        std::cerr << "liaison: kiosk sample: " << st.error().message << "\n";
        return 1;
    }
    // A visitor's English switch: the kiosk itself always greets in Chinese.
    if (opt.lang == "en") model.apply(ui::intent::Kiosk{ui::intent::KioskAction::Language, "en"});
    if (idle) model.kiosk.hold_idle_warning();  // after the switch, which is input
    return 0;
}

// A screenshot of the calling display: the sample queue, the first number called, the display open
// beside the queue panel.
int start_calling_display(AppModel& model) {
    if (auto st = seed_queue_screenshot(*model.store); !st) {
        std::cerr << "liaison: queue sample: " << st.error().message << "\n";
        return 1;
    }
    model.navigate(ui::View::Queue);
    Context c = model.context();
    model.kiosk.handle(ui::intent::Queue{ui::intent::QueueAction::CallNext, {}}, c);
    model.navigate(ui::View::Queue);
    model.kiosk.open_display(c);
    return 0;
}

// The view asked for on the command line; 0, or the exit code when it cannot be shown.
int start_view(AppModel& model, const AppOptions& opt) {
    if (model.view() == ui::View::SignIn) return 0;  // the store opens after someone signs in
    if (opt.kiosk ||
        (model.view() != ui::View::FirstRun && (ui::kiosk_step_from_name(opt.view) || opt.view == "kiosk-idle")))
        return start_kiosk_view(model, opt);
    if (model.view() == ui::View::FirstRun) return 0;
    if (opt.view == "calling-display" && !opt.screenshot.empty()) return start_calling_display(model);
    auto v = ui::view_from_name(opt.view);
    if (!v) {
        std::cerr
            << "liaison: unknown view '" << opt.view
            << "' (home, visits, visit-form, visit-detail, sync, settings, queue, kiosk, kiosk-welcome, "
               "kiosk-consent, kiosk-name, kiosk-phone, kiosk-topic, kiosk-deputy, kiosk-ticket, "
               "kiosk-declined, kiosk-idle, cases, case-detail, case-form, deputy-record, stats, calling-display)\n";
        return 2;
    }
    if (*v == ui::View::Queue && !opt.screenshot.empty()) {
        if (auto st = seed_queue_screenshot(*model.store); !st) {
            std::cerr << "liaison: queue sample: " << st.error().message << "\n";
            return 1;
        }
    }
    if (*v != model.view()) model.navigate(*v);  // home is loaded already
    return 0;
}

}  // namespace

int run(const AppOptions& opt) {
    const auto t_start = std::chrono::steady_clock::now();
    AppModel model;
    model.assets_dir = platform::assets_dir();
    auto glyphs = ui::Glyphs::load(model.assets_dir);
    if (!glyphs) {
        std::cerr << "liaison: " << glyphs.error().message << "\n";
        return 1;
    }
    model.glyphs = glyphs->get();
    model.immediate = !opt.screenshot.empty();
    if (opt.now_ms > 0) {
        // --now: the clock starts at the time given and runs from there.
        model.wall = [start = opt.now_ms, mono = platform::monotonic_ms()] {
            return start + (platform::monotonic_ms() - mono);
        };
    }
    // --screenshot works on a throwaway copy of the station: its sample data never syncs.
    if (auto st = model.open(opt.data_dir, opt.lang, opt.demo || std::getenv("LIAISON_DEMO") != nullptr,
                             !opt.screenshot.empty());
        !st) {
        std::cerr << "liaison: " << st.error().message << "\n";
        return 1;
    }
    if (opt.text_px > 0) model.use_text_px(opt.text_px);
    if (auto st =
            opt.printer.empty() || !model.store ? Status{} : store::printer::save_target(*model.store, opt.printer);
        !st) {
        std::cerr << "liaison: --printer: " << st.error().message << "\n";
        return 2;
    }
    if (const int rc = start_view(model, opt); rc != 0) return rc;
    std::optional<Script> script;
    if (!opt.script.empty()) {
        auto s = Script::load(opt.script);
        if (!s) {
            std::cerr << "liaison: " << s.error().message << "\n";
            return 2;
        }
        script = std::move(*s);
    }
    auto win = platform::Window::open(
        {.title = model.i18n.tr("app.title"), .width = opt.width, .height = opt.height, .fullscreen = opt.kiosk});
    if (!win) {
        std::cerr << "liaison: " << win.error().message << "\n";
        return 1;
    }
    if (std::getenv("LIAISON_PERF"))
        std::fprintf(stderr, "perf: fonts+store+window ready %.1f ms after start\n", ms_since(t_start));
    ImGuiScope imgui(**win);
    App app(opt, **win, **glyphs, model);
    if (opt.kiosk) app.enter_kiosk_window();
    return app.loop(std::move(script), t_start);
}

}  // namespace liaison::app
