// The sign-in view (docs/app.md "Sign-in"): the station's people as large name tiles, a tap
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

void tiles(Ui& ui, const SignInState& s) {
    const Layout& l = ui.layout();
    ui.heading(ui.tr(s.kiosk_exit ? "signin.kiosk_title" : "signin.title"));
    ui.muted(ui.tr(s.kiosk_exit ? "signin.kiosk_choose" : "signin.choose"));
    if (s.kiosk_exit && ui.button("signin.cancel", ui.tr("signin.kiosk_cancel"),
                                  ui.chip_width(ui.tr("signin.kiosk_cancel")) + 2 * l.pad))
        act(ui, SignInAction::Cancel);
    ImGui::Dummy(ImVec2(0, l.pad));
    const size_t cols = l.portrait ? 2 : 3;
    const float gx = ImGui::GetStyle().ItemSpacing.x;
    const float tw = (ImGui::GetContentRegionAvail().x - gx * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    ui.begin_scroll("signin.people", ImVec2(0, 0));
    ui.push_heading_font();
    for (size_t i = 0; i < s.people.size(); ++i) {
        if (i % cols) ImGui::SameLine();
        const SignInTile& t = s.people[i];
        const std::string label = t.name + "  ·  " + ui.tr(t.role);
        if (ui.button("signin.person." + std::to_string(i), label, tw))
            act(ui, SignInAction::Choose, std::to_string(i));
    }
    ImGui::PopFont();
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
