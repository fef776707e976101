// One visit: its fields, who changed what and when (from the per-field change log), and the
// case it raised (a placeholder until cases land in the store).
#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
// Phone numbers are PII: show enough to recognise, not enough to copy down.
std::string masked_phone(const std::string& p) {
    if (p.size() < 7) return p;
    return p.substr(0, 3) + std::string(p.size() - 7, '*') + p.substr(p.size() - 4);
}

void field(Ui& ui, const std::string& label, const std::string& value, float label_w) {
    ui.note_text(label);
    ImGui::PushStyleColor(ImGuiCol_Text, color::kMuted);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine(label_w);
    ui.text(value.empty() ? "—" : value);
}
}  // namespace

void draw_visit_detail(Ui& ui, const VisitDetailState& s, const RefData& ref) {
    const Layout& l = ui.layout();
    if (ui.button("detail.back", ui.tr("detail.back"), 0, Tone::Quiet)) ui.emit(intent::Navigate{View::Visits});
    if (!s.error.empty()) {
        ui.error(s.error);
        return;
    }
    ImGui::SameLine();
    const float edit_w = ui.chip_width(ui.tr("detail.edit")) + 16;
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - edit_w);
    if (ui.button("detail.edit", ui.tr("detail.edit"), edit_w)) ui.emit(intent::EditVisit{s.id});

    const auto& v = s.visit;
    ui.begin_scroll("detail.scroll", ImVec2(0, 0));
    ui.heading(v.subject);

    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float col_w = l.portrait ? 0.0f : (ImGui::GetContentRegionAvail().x - gap) / 2;
    const float label_w = ImGui::GetStyle().WindowPadding.x +
                          ui.label_width({"form.time", "form.channel", "form.category", "form.deputies", "form.people",
                                          "form.visitor_name", "form.visitor_phone", "form.route", "form.route_reason",
                                          "form.content", "form.notes"});

    ImGui::BeginChild("detail.fields", ImVec2(col_w, l.portrait ? l.font * 20 : 0), true);
    std::string deputies;
    for (const auto& n : s.deputy_names) deputies += (deputies.empty() ? "" : "、") + n;
    std::string visitor, phone;
    if (!v.visitors.empty()) {
        visitor = v.visitors.front().name;
        phone = masked_phone(v.visitors.front().phone);
    }
    field(ui, ui.tr("form.time"), v.received_at, label_w);
    field(ui, ui.tr("form.channel"), ui.tr(channel_key(v.channel)), label_w);
    field(ui, ui.tr("form.category"), ref.label(ref.categories, v.category), label_w);
    field(ui, ui.tr("form.deputies"), deputies, label_w);
    field(ui, ui.tr("form.people"), std::to_string(v.people), label_w);
    field(ui, ui.tr("form.visitor_name"), visitor, label_w);
    field(ui, ui.tr("form.visitor_phone"), phone, label_w);
    field(ui, ui.tr("form.route"), ui.tr(route_key(v.route)), label_w);
    if (v.route == "legal_channel") field(ui, ui.tr("form.route_reason"), v.route_reason, label_w);
    field(ui, ui.tr("form.content"), v.content, label_w);
    field(ui, ui.tr("form.notes"), v.notes, label_w);
    ui.drag_scroll();
    ImGui::EndChild();
    if (!l.portrait) ImGui::SameLine();

    ImGui::BeginGroup();
    const float line_h = ImGui::GetTextLineHeight() + ImGui::GetStyle().ItemSpacing.y;
    ImGui::BeginChild(
        "detail.case",
        ImVec2(0, l.font * 5 + l.touch + line_h * static_cast<float>(std::min<size_t>(s.cases.size(), 3) * 2)), true);
    ui.heading(ui.tr("detail.case"));
    if (s.cases.empty()) ui.muted(v.route == "escalated" ? ui.tr("detail.case_pending") : ui.tr("detail.case_none"));
    for (const auto& c : s.cases) {  // the cases this visit raised, with status and deadline colour
        const std::string label = c.title + "  ·  " + ui.tr("case.status." + c.status);
        ImGui::PushID(c.id.c_str());
        ui.note_text(label);
        if (ImGui::Selectable(label.c_str(), false, 0, ImVec2(0, line_h * 2 - ImGui::GetStyle().ItemSpacing.y)))
            ui.emit(intent::Cases{intent::OpenCase{c.id}});
        ui.record("detail.case." + c.id, c.title);
        ImGui::PopID();
    }
    if (ui.button("detail.new_case", ui.tr("detail.new_case"), 0,
                  v.route == "escalated" && s.cases.empty() ? Tone::Primary : Tone::Normal))
        ui.emit(intent::Cases{intent::NewCase{s.id}});
    ImGui::EndChild();

    ImGui::BeginChild("detail.audit",
                      ImVec2(0, l.portrait ? std::max(l.font * 16, ImGui::GetContentRegionAvail().y) : 0), true);
    ui.heading(ui.tr("detail.audit"));
    if (s.audit.empty()) ui.muted(ui.tr("detail.audit_empty"));
    for (const auto& a : s.audit) {
        const std::string col_key = "field." + a.column;
        const std::string& col = ui.tr(col_key);
        ui.muted(a.at + "  " + a.author);
        const bool pii = a.column == "phone";
        auto shown = [&](const std::string& x) { return x.empty() ? std::string("—") : (pii ? masked_phone(x) : x); };
        const std::string change = ui.fmt("detail.change", {col, shown(a.old_value), shown(a.new_value)});
        ui.text(change);
        const ImVec2 p = ImGui::GetCursorScreenPos();  // a rule across the card (Separator stops at a group's width)
        ImGui::GetWindowDrawList()->AddLine(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y), color::kLine);
        ImGui::Dummy(ImVec2(0, 4));
    }
    ui.drag_scroll();
    ImGui::EndChild();
    ImGui::EndGroup();
    ui.drag_scroll();
    ImGui::EndChild();
}

}  // namespace liaison::ui
