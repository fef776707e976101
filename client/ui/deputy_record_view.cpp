// The deputy's record (履职档案): pick a deputy and a period; visits received (from the visit
// ledger), duty slots and activities by type, the entries newest first, the coming duty slots,
// and a form to add an activity (视察调研, 执法检查, 培训, 走访).
#include "client/ui/case_views.h"

namespace liaison::ui {

namespace {
constexpr const char* kPeriods[] = {"month", "quarter", "year", "all"};
constexpr const char* kHandEntered[] = {"inspection", "law_check", "training", "outreach"};

// A figure: big number over its caption, which takes two lines when large text needs them.
void figure(Ui& ui, const std::string& value, const std::string& caption, float w) {
    ImGui::BeginGroup();
    ui.push_heading_font();
    ui.note_text(value);
    ImGui::PushStyleColor(ImGuiCol_Text, color::kPrimary);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ui.note_text(caption);
    for (const auto& line : ui.wrap_lines(caption, w, 2)) ui.cell(line, w, color::kMuted);
    ImGui::EndGroup();
}

void add_form(Ui& ui, DeputyRecordState& s, float width) {
    const Card card = card_begin(width);
    const float in = card.inner();
    ui.heading(ui.tr("record.add_title"));
    ui.label(ui.tr("record.type"), true);
    for (size_t i = 0; i < std::size(kHandEntered); ++i) {
        const std::string label = ui.tr(std::string("activity.") + kHandEntered[i]);
        const float w = ui.chip_width(label);
        ui.flow(w, i == 0);
        if (ui.chip(std::string("record.type.") + kHandEntered[i], label, s.act_type == kHandEntered[i], w))
            s.act_type = kHandEntered[i];
    }
    ui.label(ui.tr("record.date"), true);
    ui.input("record.date", s.act_date, ui.tr("case.deadline_hint"), in);
    ui.label(ui.tr("record.notes"));
    ui.input_multiline("record.notes", s.act_notes, ui.layout().font * 3, in);
    if (!s.error.empty()) ui.error(s.error);
    const float bw = (in - ImGui::GetStyle().ItemSpacing.x) / 2;
    if (ui.button("record.save", ui.tr("record.save"), bw, Tone::Primary)) emit_case(ui, intent::AddActivity{});
    ImGui::SameLine();
    if (ui.button("record.cancel", ui.tr("case.cancel"), bw)) s.adding = false;
    card_end(card);
}
}  // namespace

void draw_deputy_record(Ui& ui, DeputyRecordState& s, const RefData& ref) {
    const Layout& l = ui.layout();
    ui.heading(ui.tr("record.title"));
    // Deputy picker and period.
    for (size_t i = 0; i < ref.deputies.size(); ++i) {
        const auto& d = ref.deputies[i];
        const float w = ui.chip_width(d.label);
        ui.flow(w, i == 0);
        if (ui.chip("record.deputy." + std::to_string(i), d.label, s.deputy_id == d.id, w))
            emit_case(ui, intent::PickDeputy{d.id});
    }
    if (ref.deputies.empty()) ui.muted(ui.tr("form.no_deputies"));
    for (size_t i = 0; i < std::size(kPeriods); ++i) {
        const std::string label = ui.tr(std::string("record.period.") + kPeriods[i]);
        const float w = ui.chip_width(label);
        ui.flow(w, i == 0);
        if (ui.chip(std::string("record.period.") + kPeriods[i], label, s.period == kPeriods[i], w))
            emit_case(ui, intent::RecordPeriod{kPeriods[i]});
    }
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 10);
    ui.muted(s.from.empty() && s.to.empty() ? ui.tr("record.all_time") : ui.fmt("record.range", {s.from, s.to}));
    if (s.deputy_id.empty()) return;

    ui.begin_scroll("record.scroll", ImVec2(0, 0));
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float full = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
    const float col_w = l.portrait ? full : (full - gap) * 0.5f;
    ImGui::BeginGroup();
    {
        const Card card = card_begin(col_w);
        const float fw = (card.inner() - 2 * gap) / 3;
        figure(ui, std::to_string(s.visits), ui.tr("record.visits"), fw);
        ImGui::SameLine(fw + gap);
        figure(ui, std::to_string(s.people), ui.tr("record.people"), fw);
        ImGui::SameLine(2 * (fw + gap));
        figure(ui, std::to_string(s.duty_slots), ui.tr("record.duty_slots"), fw);
        ImGui::Dummy(ImVec2(0, 4));
        // Activities by type: reception is counted from the visits.
        const float tw = (card.inner() - 4 * gap) / 5;
        for (size_t i = 0; i < s.by_type.size(); ++i) {
            if (i > 0) ImGui::SameLine(static_cast<float>(i) * (tw + gap));
            figure(ui, std::to_string(s.by_type[i].second), ui.tr("activity." + s.by_type[i].first), tw);
        }
        card_end(card);
    }
    if (!s.upcoming.empty()) {
        const Card card = card_begin(col_w);
        ui.heading(ui.tr("record.upcoming"));
        for (const auto& d : s.upcoming)
            ui.text(d.date + "  " + d.start + "–" + d.end + (d.note.empty() ? "" : "  " + d.note));
        card_end(card);
    }
    if (s.adding)
        add_form(ui, s, col_w);
    else if (ui.button("record.add", ui.tr("record.add"), col_w, Tone::Primary))
        s.adding = true;
    ImGui::EndGroup();
    if (!l.portrait) ImGui::SameLine();
    {
        const Card card = card_begin(l.portrait ? col_w : full - col_w - gap);
        ui.heading(ui.tr("record.entries"));
        if (s.entries.empty()) ui.muted(ui.tr("record.entries_empty"));
        const float in = card.inner();
        for (const auto& e : s.entries) {
            const std::string type =
                ui.tr(e.type == "duty" || e.type == "shift" ? "record." + e.type : "activity." + e.type);
            ui.cell(
                e.date + "  " + type + (e.people > 0 ? "  " + ui.fmt("list.people_n", {std::to_string(e.people)}) : ""),
                in, color::kMuted);
            ui.text(e.text.empty() ? "—" : e.text);
            const ImVec2 p = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddLine(p, ImVec2(p.x + in, p.y), color::kLine);
            ImGui::Dummy(ImVec2(0, 2));
        }
        card_end(card);
    }
    ui.drag_scroll();
    ImGui::EndChild();
}

}  // namespace liaison::ui
