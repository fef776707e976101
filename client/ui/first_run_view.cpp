// First run on an empty data folder: load demo data, or name the station and start.
#include "client/ui/ui.h"

namespace liaison::ui {

void draw_first_run(Ui& ui, FirstRunState& s) {
    const Layout& l = ui.layout();
    const float w = std::min(640.0f, ImGui::GetContentRegionAvail().x);
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - w) / 2);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    ImGui::Dummy(ImVec2(0, l.pad * 2));
    ui.heading(ui.tr("first.title"));
    ui.text(ui.tr("first.intro"));
    ImGui::Dummy(ImVec2(0, l.pad));
    ui.text(ui.tr("first.demo_hint"));
    if (ui.button("first.demo", ui.tr("first.demo"), w, Tone::Primary)) ui.emit(intent::SeedDemo{});
    ImGui::Dummy(ImVec2(0, l.pad));
    const ImVec2 p = ImGui::GetCursorScreenPos();  // a rule as wide as the column (Separator spans the window)
    ImGui::GetWindowDrawList()->AddLine(p, ImVec2(p.x + w, p.y), color::kLine, 1.5f);
    ImGui::Dummy(ImVec2(0, l.pad / 2));
    ui.text(ui.tr("first.own_hint"));
    ui.label(ui.tr("first.station"), true);
    ui.input("first.station", s.station, ui.tr("first.station_hint"), w);
    ui.label(ui.tr("first.device"));
    ui.input("first.device", s.device, ui.tr("first.device_hint"), w);
    if (!s.error.empty()) ui.error(s.error);
    if (ui.button("first.start", ui.tr("first.start"), w, Tone::Normal, !s.station.empty()))
        ui.emit(intent::InitStation{s.station, s.device});
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
}

}  // namespace liaison::ui
