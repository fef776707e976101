#include "platform/sdl/window.h"

#include <cstdlib>
#include <cstring>

namespace liaison::platform {

namespace {
Error sdl_error(const char* what) { return {Error::Kind::Io, std::string(what) + ": " + SDL_GetError()}; }
}  // namespace

Result<std::unique_ptr<Window>> Window::open(const WindowOptions& opt) {
    std::unique_ptr<Window> w(new Window());  // private constructor: make_unique cannot reach it
    // Touch drives the app as mouse input: one code path for finger and mouse.
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    // Let the platform IME draw its own candidate window; we still show the pre-edit text.
    SDL_SetHint(SDL_HINT_IME_SHOW_UI, "1");
    // The app is event driven; a compositor bypass would only cost battery.
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) return sdl_error("SDL_Init");
    w->sdl_.active = true;
    w->sdl_.second = opt.second;

    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE;
    if (opt.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    const int pos = opt.display >= 0 ? static_cast<int>(SDL_WINDOWPOS_CENTERED_DISPLAY(opt.display))
                                     : static_cast<int>(SDL_WINDOWPOS_CENTERED);
    w->window_.reset(SDL_CreateWindow(opt.title.c_str(), pos, pos, opt.width, opt.height, flags));
    if (!w->window_) return sdl_error("SDL_CreateWindow");

    // The dummy driver (tests, screenshots) only has the software renderer; elsewhere prefer the
    // GPU and fall back to software. No vsync: we draw only when something changed.
    const char* driver = SDL_GetCurrentVideoDriver();
    const char* force_sw = std::getenv("LIAISON_SOFTWARE_RENDERER");
    const bool software = (driver && std::strcmp(driver, "dummy") == 0) || (force_sw && *force_sw == '1');
    if (!software) w->renderer_.reset(SDL_CreateRenderer(w->window_.get(), -1, SDL_RENDERER_ACCELERATED));
    if (!w->renderer_) {
        // Present the software renderer's pixels directly (X11 shared memory), not through a GL
        // texture: SDL's default would load a GL driver (on a GPU-less box Mesa's llvmpipe,
        // ~60 MB of LLVM) just to blit.
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        w->renderer_.reset(SDL_CreateRenderer(w->window_.get(), -1, SDL_RENDERER_SOFTWARE));
    }
    if (!w->renderer_) return sdl_error("SDL_CreateRenderer");
    SDL_RendererInfo info{};
    if (SDL_GetRendererInfo(w->renderer_.get(), &info) == 0 && info.name) w->renderer_name_ = info.name;
    return w;
}

Window::~Window() {
    renderer_.reset();
    window_.reset();
}

float Window::pixel_scale() const {
    int lw = 0, lh = 0, pw = 0, ph = 0;
    SDL_GetWindowSize(window_.get(), &lw, &lh);
    if (SDL_GetRendererOutputSize(renderer_.get(), &pw, &ph) != 0 || lw <= 0) return 1.0f;
    const float s = static_cast<float>(pw) / static_cast<float>(lw);
    return s > 0.5f ? s : 1.0f;
}

Result<std::string> Window::read_rgba(int& w, int& h) const {
    if (SDL_GetRendererOutputSize(renderer_.get(), &w, &h) != 0) return sdl_error("SDL_GetRendererOutputSize");
    std::string px(static_cast<size_t>(w) * h * 4, '\0');
    if (SDL_RenderReadPixels(renderer_.get(), nullptr, SDL_PIXELFORMAT_RGBA32, px.data(), w * 4) != 0)
        return sdl_error("SDL_RenderReadPixels");
    // RGBA32 is R,G,B,A bytes in memory on any endianness; a window has no transparency.
    for (size_t i = 3; i < px.size(); i += 4) px[i] = static_cast<char>(0xff);
    return px;
}

}  // namespace liaison::platform
