// The navigation bar: big buttons on the left in landscape, along the bottom in portrait.
#include <imgui_internal.h>

#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
struct NavItem {
    const char* id;
    const char* key;
    View view;
};
constexpr NavItem kItems[] = {
    {"nav.home", "nav.home", View::Home},
    {"nav.visits", "nav.visits", View::Visits},
    {"nav.new_visit", "nav.new_visit", View::VisitForm},
    {"nav.queue", "nav.queue", View::Queue},
    {"nav.cases", "nav.cases", View::CaseBoard},
    {"nav.record", "nav.record", View::DeputyRecord},
    {"nav.stats", "nav.stats", View::Stats},
    {"nav.sync", "nav.sync", View::Sync},
    {"nav.settings", "nav.settings", View::Settings},
};

void badge(Ui& ui, int64_t n, ImU32 col) {
    if (n <= 0) return;
    const std::string s = n > 999 ? "999+" : std::to_string(n);
    ui.note_text(s);
    const ImVec2 max = ImGui::GetItemRectMax();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    const float h = ts.y + 4, w = std::max(h, ts.x + 12);
    const ImVec2 a(max.x - w - 2, min.y - 2);  // top-right corner, clear of the centred label
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, ImVec2(a.x + w, a.y + h), col, h / 2);
    dl->AddText(ImVec2(a.x + (w - ts.x) / 2, a.y + 2), IM_COL32_WHITE, s.c_str());
}
// Portrait: the items in rows of at most kPerRow, so each label keeps its width.
constexpr int kPerRow = 5;
int nav_rows() { return (static_cast<int>(std::size(kItems)) + kPerRow - 1) / kPerRow; }
}  // namespace

float nav_height(const Layout& l) {
    const int rows = nav_rows();
    return l.touch * 1.6f + static_cast<float>(rows - 1) * (l.touch * 1.27f + 10);
}

void draw_nav(Ui& ui, View current, const SyncStatus& sync) {
    const Layout& l = ui.layout();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const int n = static_cast<int>(std::size(kItems));
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    for (int i = 0; i < n; ++i) {
        const auto& it = kItems[i];
        const bool active = current == it.view || (it.view == View::Visits && current == View::VisitDetail) ||
                            (it.view == View::CaseBoard && (current == View::CaseDetail || current == View::CaseForm));
        ImVec2 size;
        if (l.portrait) {
            const int rows = nav_rows();
            const int row = i / kPerRow, in_row = std::min(kPerRow, n - row * kPerRow);
            const float row_h =
                (avail.y - ImGui::GetStyle().ItemSpacing.y * static_cast<float>(rows - 1)) / static_cast<float>(rows);
            size = ImVec2((avail.x - gap * static_cast<float>(in_row - 1)) / static_cast<float>(in_row), row_h);
            if (i % kPerRow != 0) ImGui::SameLine();
        } else {
            size = ImVec2(avail.x, std::max(l.touch * 1.4f, 64.0f));
        }
        const std::string& label = ui.tr(it.key);
        ui.note_text(label);
        ImGui::PushStyleColor(ImGuiCol_Button, active ? color::kSelected : IM_COL32(0, 0, 0, 0));
        ImGui::PushStyleColor(ImGuiCol_Text, active ? color::kPrimary : color::kText);
        ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
        const std::string full = label + "##" + it.id;
        if (ImGui::Button(full.c_str(), size)) {
            if (it.view == View::VisitForm)
                ui.emit(intent::NewVisit{});
            else
                ui.emit(intent::Navigate{it.view});
        }
        ImGui::PopStyleVar();
        ImGui::PopStyleColor(2);
        ui.record(it.id, label);
        if (active) {  // a bar marks the current screen, not only the colour
            const ImVec2 mn = ImGui::GetItemRectMin(), mx = ImGui::GetItemRectMax();
            auto* dl = ImGui::GetWindowDrawList();
            if (l.portrait)
                dl->AddRectFilled(ImVec2(mn.x + 12, mn.y), ImVec2(mx.x - 12, mn.y + 4), color::kPrimary, 2);
            else
                dl->AddRectFilled(ImVec2(mn.x, mn.y + 10), ImVec2(mn.x + 4, mx.y - 10), color::kPrimary, 2);
        }
        // Conflicts in red; records waiting only when sending them is in trouble (docs/app.md).
        if (it.view == View::Sync)
            badge(ui,
                  sync.conflicts > 0 ? sync.conflicts
                  : sync.trouble()   ? sync.pending_records
                                     : 0,
                  sync.conflicts > 0 ? color::kError : color::kWarn);
    }
}

}  // namespace liaison::ui
