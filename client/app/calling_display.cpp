#include "client/app/calling_display.h"

#include <SDL.h>
#include <imgui.h>
#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <stb_image_write.h>

#include <algorithm>

namespace liaison::app {

namespace {
constexpr int kDefaultW = 1280, kDefaultH = 720;  // the window before it is dragged to the TV

// The text size for a window: the called number (the display font, Glyphs::kDisplayScale times
// this) fills about a third of its height and fits its width; "B1024" included.
float text_px(int w, int h) {
    return std::clamp(std::min(static_cast<float>(h) / 16.0f, static_cast<float>(w) / 14.0f), 24.0f, 140.0f);
}
}  // namespace

Result<std::unique_ptr<CallingDisplay>> CallingDisplay::open(const std::string& assets_dir, const std::string& title,
                                                             int width, int height) {
    std::unique_ptr<CallingDisplay> d(new CallingDisplay());
    auto glyphs = ui::Glyphs::load(assets_dir);
    if (!glyphs) return glyphs.error();
    d->glyphs_ = std::move(*glyphs);
    platform::WindowOptions wo;
    wo.title = title;
    wo.second = true;
    if (SDL_GetNumVideoDisplays() > 1) {  // the TV on the HDMI output: all of it
        wo.display = 1;
        wo.fullscreen = true;
    } else {
        wo.width = width > 0 ? width : kDefaultW;
        wo.height = height > 0 ? height : kDefaultH;
    }
    auto win = platform::Window::open(wo);
    if (!win) return win.error();
    d->win_ = std::move(*win);
    ImGuiContext* prev = ImGui::GetCurrentContext();
    d->ctx_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(d->ctx_);
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplSDL2_InitForSDLRenderer(d->win_->sdl());
    ImGui_ImplSDLRenderer_Init(d->win_->renderer());
    d->backends_ = true;
    ImGui::SetCurrentContext(prev);
    return d;
}

CallingDisplay::~CallingDisplay() {
    if (!ctx_) return;
    ImGuiContext* prev = ImGui::GetCurrentContext();
    ImGui::SetCurrentContext(ctx_);
    if (backends_) {
        ImGui_ImplSDLRenderer_Shutdown();
        ImGui_ImplSDL2_Shutdown();
    }
    ImGui::DestroyContext(ctx_);
    ImGui::SetCurrentContext(prev == ctx_ ? nullptr : prev);
}

void CallingDisplay::handle(const SDL_Event& ev) {
    // A double-click (or double tap) toggles full screen: the desk drags the window to the TV first.
    if (ev.type == SDL_MOUSEBUTTONDOWN && ev.button.clicks == 2) {
        const bool full = (SDL_GetWindowFlags(win_->sdl()) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
        SDL_SetWindowFullscreen(win_->sdl(), full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
    }
}

Status CallingDisplay::rebuild_atlas() {
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    LIAISON_TRY(glyphs_->build(*ImGui::GetIO().Fonts));
    ImGui_ImplSDLRenderer_CreateFontsTexture();
    ImGui::GetIO().Fonts->ClearTexData();
    return {};
}

Status CallingDisplay::draw(const ui::CallingDisplayState& s, const ui::I18n& t, const std::string& png) {
    ImGuiContext* prev = ImGui::GetCurrentContext();
    ImGui::SetCurrentContext(ctx_);
    int w = 0, h = 0;
    win_->size(w, h);
    const float scale = win_->pixel_scale();
    glyphs_->set_size(text_px(w, h), scale);
    if (glyphs_->dirty()) {
        if (Status built = rebuild_atlas(); !built) {
            ImGui::SetCurrentContext(prev);
            return built;
        }
    }
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplayFramebufferScale = ImVec2(scale, scale);
    io.FontGlobalScale = 1.0f / scale;
    ImGui::NewFrame();
    ui::Layout l;
    l.width = io.DisplaySize.x;
    l.height = io.DisplaySize.y;
    l.portrait = l.height > l.width;
    l.font = glyphs_->size();
    l.pad = l.font * 0.5f;
    ui::apply_style(l);
    if (!ui_) ui_ = std::make_unique<ui::Ui>(t, *glyphs_);
    ui_->begin_frame(t, l);
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));  // the view draws edge to edge
    ImGui::Begin("##display", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoInputs);
    ui::draw_calling_display(*ui_, s);
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::Render();
    SDL_Renderer* r = win_->renderer();
    SDL_SetRenderDrawColor(r, 24, 24, 28, 255);
    SDL_RenderClear(r);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    Status written;
    if (!png.empty()) {
        int pw = 0, ph = 0;
        auto px = win_->read_rgba(pw, ph);
        if (!px)
            written = px.error();
        else if (!stbi_write_png(png.c_str(), pw, ph, 4, px->data(), pw * 4))
            written = Error{Error::Kind::Io, "cannot write " + png};
    }
    SDL_RenderPresent(r);
    ImGui::SetCurrentContext(prev);
    return written;
}

}  // namespace liaison::app
