// The calling display (叫号屏, docs/queue.md): the number called and the next ones, for a TV in
// the waiting room. Light text on a dark ground, the number in the display font (several times
// the text size, which the caller sets from the window's height), readable across a room.
#include <imgui.h>

#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
constexpr ImU32 kGround = IM_COL32(24, 24, 28, 255);
constexpr ImU32 kNumber = IM_COL32(255, 214, 0, 255);  // the called number: yellow on dark, as at a bank
constexpr ImU32 kLight = IM_COL32(245, 245, 245, 255);
constexpr ImU32 kDim = IM_COL32(190, 190, 190, 255);

// `s` centred in [x0, x1] at y, in the current font; returns its height.
float centred(Ui& ui, const std::string& s, float x0, float x1, float y, ImU32 col) {
    ui.note_text(s);
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    ImGui::GetWindowDrawList()->AddText(ImVec2(x0 + std::max(0.0f, (x1 - x0 - ts.x) / 2), y), col, s.c_str());
    return ts.y;
}

// The number being called, with what to do, in the box [x0, x1] x [y0, y1].
void draw_current(Ui& ui, const CallingDisplayState& s, float x0, float x1, float y0, float y1) {
    const float f = ui.layout().font;
    ui.push_heading_font();
    float y = y0 + f * 0.6f;
    y += centred(ui, ui.tr("display.calling"), x0, x1, y, kDim) + f * 0.4f;
    ImGui::PopFont();
    if (s.current.empty()) {
        ui.push_heading_font();
        centred(ui, ui.tr("display.none"), x0, x1, (y0 + y1) / 2 - f, kLight);
        ImGui::PopFont();
        return;
    }
    ui.push_display_font();
    const float nh = ImGui::CalcTextSize(s.current.c_str()).y;
    const float ny = std::max(y, (y0 + y1) / 2 - nh * 0.6f);
    centred(ui, s.current, x0, x1, ny, kNumber);
    ImGui::PopFont();
    // What to do, in the heading font, or the body font where a narrow column has no room for it.
    const std::string go = ui.tr("display.go");
    ui.push_heading_font();
    if (ImGui::CalcTextSize(go.c_str()).x > x1 - x0 - f) {
        ImGui::PopFont();
        ImGui::PushFont(ImGui::GetIO().Fonts->Fonts[0]);
    }
    centred(ui, go, x0, x1, ny + nh + f * 0.2f, kLight);
    ImGui::PopFont();
}

// The next numbers, one under another, and how many wait.
void draw_next(Ui& ui, const CallingDisplayState& s, float x0, float x1, float y0, float y1) {
    const float f = ui.layout().font;
    ui.push_heading_font();
    float y = y0 + f * 0.6f;
    y += centred(ui, ui.tr("display.next"), x0, x1, y, kDim) + f * 0.5f;
    const float line = ImGui::GetFontSize() * 1.35f;
    for (const auto& n : s.next) {
        if (y + line > y1 - f * 1.6f) break;  // the count below stays on screen
        centred(ui, n, x0, x1, y, kLight);
        y += line;
    }
    if (s.next.empty()) centred(ui, ui.tr("display.nobody"), x0, x1, y, kDim);
    ImGui::PopFont();
    centred(ui, ui.fmt("display.waiting", {std::to_string(s.waiting)}), x0, x1, y1 - f * 1.5f, kDim);
}
}  // namespace

void draw_calling_display(Ui& ui, const CallingDisplayState& s) {
    const Layout& l = ui.layout();
    auto* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetWindowPos();
    dl->AddRectFilled(o, ImVec2(o.x + l.width, o.y + l.height), kGround);
    // The station's band along the top.
    const float band = l.font * 1.8f;
    dl->AddRectFilled(o, ImVec2(o.x + l.width, o.y + band), color::kPrimary);
    centred(ui, s.station.empty() ? ui.tr("display.title") : s.station + "  " + ui.tr("display.title"), o.x,
            o.x + l.width, o.y + (band - l.font) / 2, kLight);
    const float top = o.y + band, bottom = o.y + l.height;
    if (l.portrait) {  // a TV on its side: the number above, the next ones below
        const float split = top + (bottom - top) * 0.58f;
        draw_current(ui, s, o.x, o.x + l.width, top, split);
        dl->AddLine(ImVec2(o.x + l.pad * 2, split), ImVec2(o.x + l.width - l.pad * 2, split), kDim, 2);
        draw_next(ui, s, o.x, o.x + l.width, split, bottom);
    } else {
        const float split = o.x + l.width * 0.62f;
        draw_current(ui, s, o.x, split, top, bottom);
        dl->AddLine(ImVec2(split, top + l.pad * 2), ImVec2(split, bottom - l.pad * 2), kDim, 2);
        draw_next(ui, s, split, o.x + l.width, top, bottom);
    }
}

}  // namespace liaison::ui
