// Home: today at the station at a glance and the quickest way to record a visit.
#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
// A figure card: big number, caption, optional second line.
void card(Ui& ui, const char* id, const std::string& caption, const std::string& value, const std::string& sub, float w,
          ImU32 value_color) {
    const Layout& l = ui.layout();
    // Caption, figure and a line below that may wrap to two lines.
    const float h = ImGui::GetTextLineHeightWithSpacing() * 4.0f + l.font * (Glyphs::kHeadingScale - 1) +
                    ImGui::GetStyle().WindowPadding.y * 2;
    ImGui::BeginChild(id, ImVec2(w, h), true, ImGuiWindowFlags_NoScrollbar);
    ui.muted(caption);
    ui.push_heading_font();
    ImGui::PushStyleColor(ImGuiCol_Text, value_color);
    ui.note_text(value);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    if (!sub.empty()) ui.muted(sub);
    ImGui::EndChild();
}
}  // namespace

void draw_home(Ui& ui, const HomeState& s, const SyncStatus& sync, const RefData& ref) {
    const Layout& l = ui.layout();
    ui.begin_scroll("home.scroll", ImVec2(0, 0));
    ui.heading(ref.device.station_name.empty() ? ui.tr("app.title") : ref.device.station_name);
    ui.muted(ui.fmt("home.today", {s.today}));
    ImGui::Dummy(ImVec2(0, 4));

    if (ui.button("home.new_visit", ui.tr("home.new_visit"), -1, Tone::Primary)) ui.emit(intent::NewVisit{});
    ImGui::Dummy(ImVec2(0, 4));

    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - 2 * gap) / 3;
    card(ui, "home.card.today", ui.tr("home.card.today"), std::to_string(s.today_visits),
         ui.fmt("home.people", {std::to_string(s.today_people)}), w, color::kText);
    ImGui::SameLine();
    card(ui, "home.card.month", ui.tr("home.card.month"), std::to_string(s.month_visits),
         ui.fmt("home.people", {std::to_string(s.month_people)}), w, color::kText);
    ImGui::SameLine();
    const bool has_conflicts = sync.conflicts > 0;
    // Records, not field changes; no server is said plainly, and orange only for real trouble.
    card(ui, "home.card.sync", ui.tr("home.card.pending"), std::to_string(sync.pending_records),
         has_conflicts    ? ui.fmt("home.conflicts", {std::to_string(sync.conflicts)})
         : !sync.enrolled ? ui.tr("sync.no_server")
         : sync.online    ? ui.tr("sync.online")
                          : ui.tr("sync.offline"),
         w, sync.trouble() ? color::kWarn : color::kText);
    if (ImGui::IsItemClicked()) ui.emit(intent::Navigate{View::Sync});
    ui.record("home.card.sync", ui.tr("home.card.pending"));

    // Duty roster and recent visits: side by side in landscape, stacked in portrait.
    const float col_w = l.portrait ? -1.0f : (ImGui::GetContentRegionAvail().x - gap) / 2;
    ImGui::BeginGroup();
    ImGui::BeginChild("home.duty", ImVec2(col_w, l.portrait ? l.font * 8 : 0), true);
    ui.heading(ui.tr("home.duty"));
    if (!s.on_duty.empty()) {  // whose duty is running: they signed in on a tablet today
        std::string names;
        for (const auto& d : s.on_duty) names += (names.empty() ? "" : "、") + ui.fmt("home.since", {d.name, d.since});
        ImGui::PushStyleColor(ImGuiCol_Text, color::kOk);
        ui.text(ui.fmt("home.on_duty_now", {names}));
        ImGui::PopStyleColor();
        ui.record("home.on_duty", names);
    }
    if (s.duty.empty()) {
        ui.muted(ui.tr("home.duty_empty"));
    } else {
        for (const auto& d : s.duty) {
            std::string names;
            for (const auto& id : d.deputy_ids) names += (names.empty() ? "" : "、") + ref.label(ref.deputies, id);
            ui.text(d.start + "–" + d.end + "  " + names);
        }
    }
    ImGui::EndChild();
    ImGui::EndGroup();
    if (!l.portrait) ImGui::SameLine();
    ImGui::BeginChild("home.recent", ImVec2(0, 0), true);
    ui.heading(ui.tr("home.recent"));
    if (s.recent.empty()) ui.muted(ui.tr("home.recent_empty"));
    const float row_h = std::max(l.touch, l.font * 2 + 16);
    for (size_t i = 0; i < s.recent.size(); ++i) {
        const auto& r = s.recent[i];
        ImGui::PushID(static_cast<int>(i));
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float rw = ImGui::GetContentRegionAvail().x;
        if (ImGui::Selectable("##recent", false, 0, ImVec2(rw, row_h))) ui.emit(intent::OpenVisit{r.id});
        ui.record("home.recent." + std::to_string(i), r.subject);
        ImGui::SetCursorScreenPos(ImVec2(p.x + 4, p.y + 3));
        ui.cell(r.subject, rw - 8);
        ImGui::SetCursorScreenPos(ImVec2(p.x + 4, p.y + 9 + l.font));
        ui.cell(r.received_at + "  " + r.category + "  " + r.visitor, rw - 8, color::kMuted);
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h + ImGui::GetStyle().ItemSpacing.y));
        ImGui::PopID();
    }
    if (!s.recent.empty() && ui.button("home.all_visits", ui.tr("home.all_visits"), -1, Tone::Quiet))
        ui.emit(intent::Navigate{View::Visits});
    ImGui::EndChild();
    ImGui::EndChild();
}

}  // namespace liaison::ui
