// Settings: language and text size take effect at once; station and device as enrolled; server.
#include <algorithm>
#include <cmath>

#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
// Language and text size, which take effect at once.
void display(Ui& ui, const std::string& lang, float font_px) {
    const Layout& l = ui.layout();
    ui.begin_card();
    ui.label(ui.tr("settings.language"));
    // Each language is named in itself, so it can be found whatever the current language is.
    if (ui.chip("settings.lang.zh", "中文", lang == "zh", l.touch * 3)) ui.emit(intent::SetLanguage{"zh"});
    ImGui::SameLine();
    if (ui.chip("settings.lang.en", "English", lang == "en", l.touch * 3)) ui.emit(intent::SetLanguage{"en"});
    ui.label(ui.tr("settings.font_size"));
    if (ui.button("settings.font.smaller", "A-", l.touch * 1.5f, Tone::Normal, font_px > 14))
        ui.emit(intent::SetFontSize{font_px - 2});
    ImGui::SameLine();
    const std::string size = std::to_string(static_cast<int>(std::lround(font_px)));
    ImGui::AlignTextToFramePadding();
    ui.text(size);
    ImGui::SameLine();
    if (ui.button("settings.font.larger", "A+", l.touch * 1.5f, Tone::Normal, font_px < 32))
        ui.emit(intent::SetFontSize{font_px + 2});
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ui.muted(ui.tr("settings.font_sample"));
    ui.end_card();
}

// Who is signed in, 退出登录 and the idle lock's minutes (docs/security.md "Sign-in on the tablet").
void account(Ui& ui, SettingsState& s) {
    const Layout& l = ui.layout();
    ui.begin_card();
    ui.label(ui.tr("settings.account"));
    const std::string out = ui.tr("settings.sign_out");
    if (ui.button("settings.sign_out", out, std::max(ui.chip_width(out) + 32, l.touch * 3))) ui.emit(intent::SignOut{});
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ui.text(ui.fmt("settings.signed_in_as", {s.signed_in_as}));
    ui.label(ui.tr("settings.lock_minutes"));
    if (ui.stepper("settings.lock_minutes", s.lock_minutes, 2, 30)) ui.emit(intent::SetLockMinutes{s.lock_minutes});
    ui.end_card();
}
}  // namespace

void draw_settings(Ui& ui, SettingsState& s, const RefData& ref, const std::string& lang, float font_px) {
    const Layout& l = ui.layout();
    ui.begin_scroll("settings.scroll", ImVec2(0, 0));
    ui.heading(ui.tr("settings.title"));
    display(ui, lang, font_px);
    if (!s.signed_in_as.empty()) account(ui, s);
    ui.begin_card();
    ui.label(ui.tr("settings.device"));
    const float lw =
        ui.label_width({"settings.station", "settings.device_name", "settings.device_id", "settings.station_id"});
    auto row = [&](const char* key, const std::string& v) {
        const std::string& k = ui.tr(key);
        ui.note_text(k);
        ImGui::PushStyleColor(ImGuiCol_Text, color::kMuted);
        ImGui::TextUnformatted(k.c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine(lw);
        ui.text(v.empty() ? "—" : v);
    };
    row("settings.station", ref.device.station_name);
    row("settings.device_name", ref.device.device_name);
    row("settings.device_id", ref.device.device_id);
    row("settings.station_id", ref.device.station_id);
    ui.end_card();

    ui.begin_card();
    ui.label(ui.tr("settings.server"));
    const float save_w = ui.chip_width(ui.tr("settings.save")) + 16;
    ui.input("settings.server_url", s.server_url, "https://", ImGui::GetContentRegionAvail().x - save_w - 12,
             ImGuiInputTextFlags_CharsNoBlank);
    ImGui::SameLine();
    if (ui.button("settings.save_server", ui.tr("settings.save"), save_w)) ui.emit(intent::SaveServer{s.server_url});
    ui.muted(s.message_key.empty() ? ui.tr("settings.server_hint") : ui.tr(s.message_key));
    ui.end_card();

    // Kiosk mode for reception days: full screen, the visitor's steps only, out by an administrator's sign-in.
    ui.begin_card();
    ui.label(ui.tr("settings.kiosk"));
    ui.muted(ui.tr("settings.kiosk_hint"));
    ui.muted(s.ticket_series.empty() ? ui.tr("settings.kiosk_no_series")
                                     : ui.fmt("settings.kiosk_series", {s.ticket_series + "001"}));
    const bool can = !s.ticket_series.empty();
    if (ui.button("settings.kiosk.start", ui.tr("settings.kiosk_start"),
                  std::max(ui.chip_width(ui.tr("settings.kiosk_start")) + 32, l.touch * 4), Tone::Primary, can))
        ui.emit(intent::StartKiosk{});
    if (!s.kiosk_error.empty()) ui.error(s.kiosk_error);
    ui.end_card();
    ui.drag_scroll();
    ImGui::EndChild();
}

}  // namespace liaison::ui
