// The case board (意见建议): a search field and filters (overdue, category, department) above
// it; landscape shows one column per status (登记 → 已测评), portrait, and landscape when the
// columns would be too narrow for the text size, a status filter over one list. Overdue cases
// come first; the deadline shows in its colour (docs/cases.md, "The board").
#include <imgui_internal.h>

#include "client/ui/case_views.h"

namespace liaison::ui {

namespace {
// A column narrower than this many characters of the text size makes cards unreadable.
constexpr float kMinColumnChars = 7;

// One case as a tappable card: a colour strip for the deadline, the title in up to two lines,
// the deadline (or registration date), then the department or category.
void case_card(Ui& ui, const CaseRowView& c, const std::string& id, bool show_status, const std::string& today) {
    const Layout& l = ui.layout();
    const float w = ImGui::GetContentRegionAvail().x;
    const float line = ImGui::GetTextLineHeight();
    const float x_pad = 14, tw = w - 20;
    const std::vector<std::string> title = ui.wrap_lines(c.title, tw, 2);
    const float title_h = line * static_cast<float>(title.size());
    const float h = std::max(l.touch, title_h + line * 2 + 20);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), color::kCard, 8);
    dl->AddRect(p, ImVec2(p.x + w, p.y + h), color::kLine, 8);
    dl->AddRectFilled(p, ImVec2(p.x + 5, p.y + h), deadline_color(c.deadline_state), 8, ImDrawFlags_RoundCornersLeft);
    ImGui::PushID(id.c_str());
    if (ImGui::Selectable("##case", false, 0, ImVec2(w, h))) emit_case(ui, intent::OpenCase{c.id});
    ImGui::PopID();
    ui.record(id, c.title);
    ui.note_text(c.title);
    const float x = p.x + x_pad;
    float y = p.y + 6;
    for (const auto& t : title) {
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ui.cell(t, tw);
        y += line;
    }
    ImGui::SetCursorScreenPos(ImVec2(x, y + 4));
    std::string second = c.status == "registered"
                             ? (show_status ? ui.fmt("case.registered_on", {c.created_at.substr(0, 10)})
                                            : ui.fmt("case.registered_short", {card_date(c.created_at, today)}))
                             : deadline_text(ui, c.deadline_state, c.deadline, !show_status, today);
    ui.cell(second, tw, c.status == "registered" ? color::kMuted : deadline_color(c.deadline_state));
    ImGui::SetCursorScreenPos(ImVec2(x, y + 8 + line));
    std::string third = c.department.empty() ? c.category : c.department;
    if (show_status)
        third = ui.tr(status_key(c.status)) + " · " + c.category + (c.department.empty() ? "" : " · " + c.department);
    ui.cell(third, tw, color::kMuted);
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h + ImGui::GetStyle().ItemSpacing.y));
    ImGui::Dummy(ImVec2(0, 0));
}

// The search field, the overdue chip and the category and department drop-downs, in rows that
// wrap; a change asks the screen to query again (intent::CaseBoardQuery).
void draw_filters(Ui& ui, CaseBoardState& s, const RefData& ref) {
    const Layout& l = ui.layout();
    const float sp = ImGui::GetStyle().ItemSpacing.x;
    const float w = ImGui::GetContentRegionAvail().x;
    bool changed = false;
    const float search_w = l.portrait ? w : w * 0.36f;
    if (ui.input("case.filter.search", s.text, ui.tr("case.search_hint"), search_w)) changed = true;
    const std::string overdue = ui.fmt("case.overdue_only", {std::to_string(s.overdue)});
    const float chip_w = ui.chip_width(overdue);
    ui.flow(chip_w, false);
    if (ui.chip("case.filter.overdue", overdue, s.overdue_only, chip_w)) {
        s.overdue_only = !s.overdue_only;
        changed = true;
    }
    // The drop-downs share what is left of the row, or take a row of their own when their
    // "all" labels would be cut there.
    const std::string all_categories = ui.tr("list.all_categories"), all_departments = ui.tr("case.all_departments");
    const float need =
        std::max(ImGui::CalcTextSize(all_categories.c_str()).x, ImGui::CalcTextSize(all_departments.c_str()).x) +
        ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2;
    const float rest = ((l.portrait ? w : w - search_w - sp) - chip_w - 2 * sp) / 2;
    const float fw = rest >= need ? rest : std::min(w, std::max(need, (w - sp) / 2));
    ui.flow(fw, false);
    if (ui.combo("case.filter.category", ref.categories, s.category, all_categories, fw)) changed = true;
    ui.flow(fw, false);
    if (ui.combo("case.filter.department", s.departments, s.department_id, all_departments, fw)) changed = true;
    if (changed) emit_case(ui, intent::CaseBoardQuery{});
}

// Landscape: one column per status, side by side.
void draw_columns(Ui& ui, const CaseBoardState& s, float cw, float gap) {
    const int n = static_cast<int>(s.columns.size());
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
        for (const auto& c : col.cases) case_card(ui, c, "case.card." + c.id, false, s.today);
        ui.drag_scroll();
        ImGui::EndChild();
    }
    ImGui::PopStyleVar(2);
}

// A status filter over one list (portrait, or columns too narrow for the text size).
void draw_list(Ui& ui, const CaseBoardState& s) {
    bool first = true;
    auto filter_chip = [&](const std::string& code, const std::string& label) {
        const float w = ui.chip_width(label);
        ui.flow(w, first);
        first = false;
        if (ui.chip("case.filter." + (code.empty() ? std::string("all") : code), label, s.filter == code, w))
            emit_case(ui, intent::CaseFilter{code});
    };
    filter_chip("", ui.tr("case.filter_all") + " " + std::to_string(s.all.size()));
    for (const auto& col : s.columns)
        filter_chip(col.status, ui.tr(status_key(col.status)) + " " + std::to_string(col.cases.size()));

    const std::vector<CaseRowView>* rows = &s.all;
    for (const auto& col : s.columns)
        if (col.status == s.filter) rows = &col.cases;
    ui.begin_scroll("case.list", ImVec2(0, 0));
    if (rows->empty()) ui.muted(ui.tr("case.column_empty"));
    for (const auto& c : *rows) case_card(ui, c, "case.card." + c.id, true, s.today);
    ui.drag_scroll();
    ImGui::EndChild();
}
}  // namespace

void draw_case_board(Ui& ui, CaseBoardState& s, const RefData& ref) {
    const Layout& l = ui.layout();
    ui.heading(ui.tr("case.board"));
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 6);
    ui.muted(ui.fmt("case.board_count", {std::to_string(s.all.size()), std::to_string(s.overdue)}));
    draw_filters(ui, s, ref);
    if (!s.error.empty()) ui.error(s.error);

    const float gap = 8;
    const int n = static_cast<int>(s.columns.size());
    const float cw =
        n == 0 ? 0 : (ImGui::GetContentRegionAvail().x - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
    if (!l.portrait && n > 0 && cw >= l.font * kMinColumnChars)
        draw_columns(ui, s, cw, gap);
    else
        draw_list(ui, s);
}

}  // namespace liaison::ui
