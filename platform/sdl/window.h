// The SDL window and renderer: one place that knows about drivers, HiDPI and SDL lifetimes.
#pragma once
#include <memory>
#include <string>

#include <SDL.h>

#include "base/result.h"

namespace liaison::platform {

// unique_ptr deleters so every SDL resource is released exactly once, in reverse order.
struct SdlDeleter {
    void operator()(SDL_Window* w) const { SDL_DestroyWindow(w); }
    void operator()(SDL_Renderer* r) const { SDL_DestroyRenderer(r); }
    void operator()(SDL_Texture* t) const { SDL_DestroyTexture(t); }
    void operator()(SDL_Surface* s) const { SDL_FreeSurface(s); }
};
using WindowPtr = std::unique_ptr<SDL_Window, SdlDeleter>;
using RendererPtr = std::unique_ptr<SDL_Renderer, SdlDeleter>;
using TexturePtr = std::unique_ptr<SDL_Texture, SdlDeleter>;
using SurfacePtr = std::unique_ptr<SDL_Surface, SdlDeleter>;

struct WindowOptions {
    std::string title = "Liaison";
    int width = 1280, height = 800;  // logical size (points)
    bool fullscreen = false;         // kiosk: no window chrome
    int display = -1;                // the display to open on (SDL's index), -1: the primary's centre
    // A second window of the app (the calling display): SDL's video is already running; this
    // window holds it with SDL_InitSubSystem and lets go with SDL_QuitSubSystem, not SDL_Quit.
    bool second = false;
};

// SDL_Init/SDL_Quit as a scope, then window + renderer. Members are declared so the renderer
// dies before the window and both before SDL_Quit.
class Window {
public:
    static Result<std::unique_ptr<Window>> open(const WindowOptions& opt);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    SDL_Window* sdl() const { return window_.get(); }
    SDL_Renderer* renderer() const { return renderer_.get(); }
    // Physical pixels per logical point (2 on a retina-style display, 1 elsewhere).
    float pixel_scale() const;
    // Logical size in points.
    void size(int& w, int& h) const { SDL_GetWindowSize(window_.get(), &w, &h); }
    const std::string& renderer_name() const { return renderer_name_; }
    // Reads the current render target as tightly packed RGBA (for screenshots).
    Result<std::string> read_rgba(int& w, int& h) const;

private:
    Window() = default;
    struct SdlScope {
        bool active = false;
        bool second = false;
        ~SdlScope() {
            if (active && second) SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
            if (active && !second) SDL_Quit();
        }
    };
    SdlScope sdl_;  // first member: destroyed last
    WindowPtr window_;
    RendererPtr renderer_;
    std::string renderer_name_;
};

}  // namespace liaison::platform
