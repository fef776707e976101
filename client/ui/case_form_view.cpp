// A new case (意见建议) raised from a visit: title, category and content, prefilled from the
// visit; it starts at 登记 and is assigned (交办) from its detail screen.
#include "client/ui/case_views.h"

namespace liaison::ui {

void draw_case_form(Ui& ui, CaseFormState& s, const RefData& ref) {
    const Layout& l = ui.layout();
    ui.begin_scroll("caseform.scroll", ImVec2(0, 0));
    const float w = std::min(ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize, l.font * 40);
    const Card card = card_begin(w);
    const float in = card.inner();
    ui.heading(ui.tr("caseform.title"));
    if (!s.visit_subject.empty()) ui.muted(ui.fmt("caseform.from_visit", {s.visit_subject}));
    ui.label(ui.tr("caseform.case_title"), true);
    ui.input("caseform.title", s.title, ui.tr("caseform.title_hint"), in);
    ui.label(ui.tr("form.category"));
    ui.combo("caseform.category", ref.categories, s.category, "", in);
    ui.label(ui.tr("case.f.content"));
    ui.input_multiline("caseform.content", s.content, l.font * 6, in);
    if (!s.error.empty()) ui.error(s.error);
    const float bw = (in - ImGui::GetStyle().ItemSpacing.x) / 2;
    if (ui.button("caseform.save", ui.tr("caseform.save"), bw, Tone::Primary, !s.title.empty()))
        emit_case(ui, intent::SaveCase{});
    ImGui::SameLine();
    if (ui.button("caseform.cancel", ui.tr("case.cancel"), bw)) {
        if (s.visit_id.empty())
            ui.emit(intent::Navigate{View::CaseBoard});
        else
            ui.emit(intent::OpenVisit{s.visit_id});
    }
    card_end(card);
    ui.drag_scroll();
    ImGui::EndChild();
}

}  // namespace liaison::ui
