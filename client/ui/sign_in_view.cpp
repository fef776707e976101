// The sign-in view (docs/app.md "Sign-in"): the station's people as large name tiles, today's
// duty first in taller tiles with their slot, a tap
// opens a PIN pad (digits, 删除, 确定). Full screen, no navigation bar: nothing behind it shows.
// Plain state in, intents out; the screen (client/app/sign_in_screen.h) checks the PIN.
#include <algorithm>

#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
using intent::SignInAction;

void act(Ui& ui, SignInAction a, std::string arg = {}) { ui.emit(intent::SignIn{a, std::move(arg)}); }

// A column centred in the window, at most `max_w` wide; returns its width.
float centre_column(float max_w) {
    const float w = std::min(max_w, ImGui::GetContentRegionAvail().x);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - w) / 2);
    return w;
}

// A tile of today's duty: two touch heights, marked like a chosen chip, the name large and the
// slot under it.
bool duty_tile(Ui& ui, size_t i, const SignInTile& t, float w) {
    const Layout& l = ui.layout();
    const std::string id = "signin.person." + std::to_string(i);
    const std::string slot = ui.tr(t.role) + "  ·  " + ui.fmt("signin.duty_time", {t.duty});
    ui.note_text(t.name);
    ui.note_text(slot);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    // Hover keeps the marking: on a touch screen the last tap leaves the pointer over a tile.
    ImGui::PushStyleColor(ImGuiCol_Button, color::kSelected);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, color::kSelected);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, color::kSelectedActive);
    ImGui::PushStyleColor(ImGuiCol_Border, color::kPrimary);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 2.0f);
    const bool pressed = ImGui::Button(("##" + id).c_str(), ImVec2(w, l.touch * 2));
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(4);
    ui.record(id, t.name);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec4 clip(p.x + l.pad, p.y, p.x + w - l.pad, p.y + l.touch * 2);
    const float name_h = ui.push_title_font(1.45f);  // twice the body size: the title font when built
    const float body_h = ui.layout().font;
    const float y = p.y + (l.touch * 2 - name_h - body_h - l.pad / 2) / 2;
    dl->AddText(ImGui::GetFont(), name_h, ImVec2(p.x + l.pad, y), color::kText, t.name.c_str(), nullptr, 0, &clip);
    ImGui::PopFont();
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + l.pad, y + name_h + l.pad / 2), color::kPrimary,
                slot.c_str(), nullptr, 0, &clip);
    return pressed;
}

// Tiles [first, last) in `cols` columns of the scroll region's width.
void tile_rows(Ui& ui, const SignInState& s, size_t first, size_t last, size_t cols) {
    const float gx = ImGui::GetStyle().ItemSpacing.x;
    const float tw = (ImGui::GetContentRegionAvail().x - gx * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    for (size_t i = first; i < last; ++i) {
        if ((i - first) % cols) ImGui::SameLine();
        const SignInTile& t = s.people[i];
        bool pressed = false;
        if (!t.duty.empty()) {
            pressed = duty_tile(ui, i, t, tw);
        } else {
            ui.push_heading_font();
            pressed = ui.button("signin.person." + std::to_string(i), t.name + "  ·  " + ui.tr(t.role), tw);
            ImGui::PopFont();
        }
        if (pressed) act(ui, SignInAction::Choose, std::to_string(i));
    }
}

void tiles(Ui& ui, const SignInState& s) {
    const Layout& l = ui.layout();
    ui.heading(ui.tr(s.kiosk_exit ? "signin.kiosk_title" : "signin.title"));
    ui.muted(ui.tr(s.kiosk_exit ? "signin.kiosk_choose" : "signin.choose"));
    if (s.kiosk_exit && ui.button("signin.cancel", ui.tr("signin.kiosk_cancel"),
                                  ui.chip_width(ui.tr("signin.kiosk_cancel")) + 2 * l.pad))
        act(ui, SignInAction::Cancel);
    ImGui::Dummy(ImVec2(0, l.pad));
    const size_t cols = l.portrait ? 2 : 3;
    const size_t on = std::min(s.on_duty, s.people.size());
    ui.begin_scroll("signin.people", ImVec2(0, 0));
    if (on > 0) {
        // Today's duty first, fewer and wider; everyone else under them.
        ui.label(ui.tr("signin.on_duty"));
        tile_rows(ui, s, 0, on, l.portrait ? 1 : 2);
        if (on < s.people.size()) {
            ImGui::Dummy(ImVec2(0, l.pad / 2));
            ui.label(ui.tr("signin.others"));
        }
    }
    tile_rows(ui, s, on, s.people.size(), cols);
    if (s.people.empty()) ui.muted(ui.tr(s.kiosk_exit ? "signin.kiosk_nobody" : "signin.nobody"));
    ImGui::EndChild();
}

void pin_pad(Ui& ui, const SignInState& s) {
    const Layout& l = ui.layout();
    const SignInTile& who = s.people[static_cast<size_t>(s.chosen)];
    const float w = centre_column(l.touch * 6.5f);
    const float x0 = ImGui::GetCursorPosX();
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(x0 + w);
    ui.heading(who.name);
    ui.muted(ui.tr("signin.pin_hint"));
    std::string dots;
    for (size_t i = 0; i < s.pin.size(); ++i) dots += "● ";
    ui.push_heading_font();
    ui.text(dots.empty() ? std::string(" ") : dots);
    ImGui::PopFont();
    if (!s.message.empty()) {
        if (s.error)
            ui.error(s.message);
        else
            ui.muted(s.message);
    }
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, l.pad / 2));
    const float gx = ImGui::GetStyle().ItemSpacing.x;
    const float kw = (w - 2 * gx) / 3;
    static const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "erase", "0", "ok"};
    ui.push_heading_font();
    for (int i = 0; i < 12; ++i) {
        if (i % 3)
            ImGui::SameLine();
        else
            ImGui::SetCursorPosX(x0);
        const std::string k = keys[i];
        if (k == "erase") {
            if (ui.button("signin.erase", ui.tr("signin.erase"), kw)) act(ui, SignInAction::Erase);
        } else if (k == "ok") {
            if (ui.button("signin.ok", ui.tr("signin.ok"), kw, Tone::Primary, !s.pin.empty()))
                act(ui, SignInAction::Enter);
        } else if (ui.button("signin.key." + k, k, kw)) {
            act(ui, SignInAction::Digit, k);
        }
    }
    ImGui::PopFont();
    ImGui::SetCursorPosX(x0);
    if (ui.button("signin.back", ui.tr("signin.back"), w)) act(ui, SignInAction::Back);
    ImGui::EndGroup();
}
}  // namespace

void draw_sign_in(Ui& ui, const SignInState& s) {
    ImGui::Dummy(ImVec2(0, ui.layout().pad));
    if (s.chosen >= 0 && static_cast<size_t>(s.chosen) < s.people.size())
        pin_pad(ui, s);
    else
        tiles(ui, s);
}

}  // namespace liaison::ui
