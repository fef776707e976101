// The case board (意见建议): landscape shows one column per status (登记 → 已测评), portrait a
// status filter over one list. Overdue cases come first; the deadline shows in its colour.
#include <imgui_internal.h>

#include "client/ui/case_views.h"

namespace liaison::ui {

namespace {
// One case as a tappable card: a colour strip for the deadline, title, deadline, department.
void case_card(Ui& ui, const CaseRowView& c, const std::string& id, bool show_status) {
    const Layout& l = ui.layout();
    const float w = ImGui::GetContentRegionAvail().x;
    const float line = ImGui::GetTextLineHeight();
    const float h = std::max(l.touch, line * 3 + 20);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), color::kCard, 8);
    dl->AddRect(p, ImVec2(p.x + w, p.y + h), color::kLine, 8);
    dl->AddRectFilled(p, ImVec2(p.x + 5, p.y + h), deadline_color(c.deadline_state), 8, ImDrawFlags_RoundCornersLeft);
    ImGui::PushID(id.c_str());
    if (ImGui::Selectable("##case", false, 0, ImVec2(w, h))) emit_case(ui, intent::OpenCase{c.id});
    ImGui::PopID();
    ui.record(id, c.title);
    const float x = p.x + 14, tw = w - 20;
    ImGui::SetCursorScreenPos(ImVec2(x, p.y + 6));
    ui.cell(c.title, tw);
    ImGui::SetCursorScreenPos(ImVec2(x, p.y + 10 + line));
    std::string second = c.status == "registered"
                             ? (show_status ? ui.fmt("case.registered_on", {c.created_at.substr(0, 10)})
                                            : ui.fmt("case.registered_short", {c.created_at.substr(5, 5)}))
                             : deadline_text(ui, c.deadline_state, c.deadline, !show_status);
    ui.cell(second, tw, c.status == "registered" ? color::kMuted : deadline_color(c.deadline_state));
    ImGui::SetCursorScreenPos(ImVec2(x, p.y + 14 + 2 * line));
    std::string third = c.department.empty() ? c.category : c.department;
    if (show_status)
        third = ui.tr(status_key(c.status)) + " · " + c.category + (c.department.empty() ? "" : " · " + c.department);
    ui.cell(third, tw, color::kMuted);
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h + ImGui::GetStyle().ItemSpacing.y));
    ImGui::Dummy(ImVec2(0, 0));
}
}  // namespace

void draw_case_board(Ui& ui, const CaseBoardState& s) {
    const Layout& l = ui.layout();
    ui.heading(ui.tr("case.board"));
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 6);
    size_t total = s.all.size();
    ui.muted(ui.fmt("case.board_count", {std::to_string(total), std::to_string(s.overdue)}));
    if (!s.error.empty()) ui.error(s.error);

    if (!l.portrait) {
        // Columns by status.
        const int n = static_cast<int>(s.columns.size());
        if (n == 0) return;
        const float gap = 8;
        const float cw = (ImGui::GetContentRegionAvail().x - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 8));
        ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, 8));
        for (int i = 0; i < n; ++i) {
            const auto& col = s.columns[static_cast<size_t>(i)];
            if (i > 0) ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(236, 236, 232, 255));
            ImGui::BeginChild(("case.col." + col.status).c_str(), ImVec2(cw, 0), true);
            ImGui::PopStyleColor();
            ui.cell(ui.tr(status_key(col.status)) + " (" + std::to_string(col.cases.size()) + ")",
                    ImGui::GetContentRegionAvail().x, color::kText);
            if (col.cases.empty()) ui.muted(ui.tr("case.column_empty"));
            for (size_t k = 0; k < col.cases.size(); ++k)
                case_card(ui, col.cases[k], "case.card." + col.cases[k].id, false);
            ui.drag_scroll();
            ImGui::EndChild();
        }
        ImGui::PopStyleVar(2);
        return;
    }

    // Portrait: a status filter and one list.
    bool first = true;
    auto filter_chip = [&](const std::string& code, const std::string& label) {
        const float w = ui.chip_width(label);
        ui.flow(w, first);
        first = false;
        if (ui.chip("case.filter." + (code.empty() ? std::string("all") : code), label, s.filter == code, w))
            emit_case(ui, intent::CaseFilter{code});
    };
    filter_chip("", ui.tr("case.filter_all") + " " + std::to_string(total));
    for (const auto& col : s.columns)
        filter_chip(col.status, ui.tr(status_key(col.status)) + " " + std::to_string(col.cases.size()));

    const std::vector<CaseRowView>* rows = &s.all;
    for (const auto& col : s.columns)
        if (col.status == s.filter) rows = &col.cases;
    ui.begin_scroll("case.list", ImVec2(0, 0));
    if (rows->empty()) ui.muted(ui.tr("case.column_empty"));
    for (const auto& c : *rows) case_card(ui, c, "case.card." + c.id, true);
    ui.drag_scroll();
    ImGui::EndChild();
}

}  // namespace liaison::ui
