// The calling display (叫号屏, docs/queue.md): a second window for a TV on the tablet's HDMI
// output, full screen on the second display when there is one, else a window the desk can drag
// there (a double-click makes it full screen). It has its own ImGui context, font atlas and
// renderer; it draws plain state (ui::CallingDisplayState) and takes no input but that.
#pragma once
#include <memory>
#include <string>

#include "base/result.h"
#include "client/ui/glyphs.h"
#include "client/ui/i18n.h"
#include "client/ui/state.h"
#include "client/ui/ui.h"
#include "platform/sdl/window.h"

struct ImGuiContext;

namespace liaison::app {

class CallingDisplay {
public:
    // size: the window's when there is no second display (tests pass --size).
    static Result<std::unique_ptr<CallingDisplay>> open(const std::string& assets_dir, const std::string& title,
                                                        int width, int height);
    ~CallingDisplay();
    CallingDisplay(const CallingDisplay&) = delete;
    CallingDisplay& operator=(const CallingDisplay&) = delete;

    Uint32 window_id() const { return SDL_GetWindowID(win_->sdl()); }
    void handle(const SDL_Event& ev);  // an event of this window (a double-click: full screen)
    // Draws the state and presents it, first writing it to `png` when given (screenshots); the
    // app's current ImGui context is left as it was.
    Status draw(const ui::CallingDisplayState& s, const ui::I18n& t, const std::string& png = "");
    bool dirty() const { return glyphs_->dirty(); }  // new characters: the next draw rebuilds the atlas
    const std::vector<char32_t>& missing() const { return glyphs_->missing(); }

private:
    CallingDisplay() = default;
    Status rebuild_atlas();

    std::unique_ptr<platform::Window> win_;
    std::unique_ptr<ui::Glyphs> glyphs_;
    ImGuiContext* ctx_ = nullptr;
    bool backends_ = false;
    std::unique_ptr<ui::Ui> ui_;
};

}  // namespace liaison::app
