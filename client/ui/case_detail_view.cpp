// One case (意见建议): its fields, the deadline in colour, the buttons of the steps its status
// allows (cases::allowed_actions), the form of the chosen step, and the append-only timeline,
// oldest first, with who and when.
#include <algorithm>

#include <imgui_internal.h>

#include "client/ui/case_views.h"

namespace liaison::ui {

namespace {
constexpr const char* kActions[] = {"assign", "progress", "close", "feedback", "rate"};
constexpr const char* kChannels[] = {"in_person", "written", "phone"};
constexpr const char* kSatisfactions[] = {"satisfied", "basically", "unsatisfied"};

void field(Ui& ui, const std::string& label, const std::string& value, float label_w, ImU32 col = 0) {
    ui.note_text(label);
    ImGui::PushStyleColor(ImGuiCol_Text, color::kMuted);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine(label_w);
    if (col) ImGui::PushStyleColor(ImGuiCol_Text, col);
    ui.text(value.empty() ? "—" : value);
    if (col) ImGui::PopStyleColor();
}

bool allowed(const CaseDetailState& s, const std::string& a) {
    return std::find(s.allowed.begin(), s.allowed.end(), a) != s.allowed.end();
}

// 电话反馈 needs the number: masked until asked for, then in full, the asking recorded on the
// timeline (issue 13 item 15).
void draw_voter_phone(Ui& ui, const CaseDetailState& s, float w) {
    if (s.phone_masked.empty()) return;
    ui.label(ui.tr("case.voter_phone"));
    if (!s.phone_full.empty()) {
        ui.push_heading_font();
        ui.note_text(s.voter + "  " + s.phone_full);
        ImGui::TextUnformatted((s.voter + "  " + s.phone_full).c_str());
        ImGui::PopFont();
        ui.muted(ui.tr("case.phone_recorded"));
        return;
    }
    const std::string show = ui.tr("case.show_phone");
    const float bw = ui.chip_width(show) + 16;
    const float y = ImGui::GetCursorPosY();
    ImGui::SetCursorPosY(y + (ui.layout().touch - ImGui::GetTextLineHeight()) / 2);  // level with the button
    ui.cell(s.voter + "  " + s.phone_masked, w - bw - ImGui::GetStyle().ItemSpacing.x);
    ImGui::SameLine();
    ImGui::SetCursorPosY(y);
    if (ui.button("case.show_phone", show, bw)) emit_case(ui, intent::ShowPhone{});
}

// Chips for one of a few codes (feedback channel, satisfaction).
void code_chips(Ui& ui, const char* prefix, const char* const* codes, size_t n, std::string& value) {
    for (size_t i = 0; i < n; ++i) {
        const std::string label = ui.tr(std::string(prefix) + codes[i]);
        const float w = ui.chip_width(label);
        ui.flow(w, i == 0);
        if (ui.chip(std::string(prefix) + codes[i], label, value == codes[i], w)) value = codes[i];
    }
}

void action_form(Ui& ui, CaseDetailState& s, float width) {
    const Layout& l = ui.layout();
    const Card card = card_begin(width);
    ui.heading(ui.tr("case.form." + s.action));
    const float w = card.inner();
    if (s.action == "assign") {
        ui.label(ui.tr("case.department"), true);
        ui.combo("case.assign.department", s.departments, s.department_id, ui.tr("case.pick_department"), w);
        ui.label(ui.tr("case.deadline"), true);
        ui.input("case.assign.deadline", s.deadline, ui.tr("case.deadline_hint"), l.portrait ? w : w * 0.5f);
        for (size_t i = 0; i < s.quick_deadlines.size(); ++i) {
            const auto& q = s.quick_deadlines[i];
            const float cw = ui.chip_width(q.label);
            ui.flow(cw, i == 0 && !l.portrait ? false : i == 0);
            if (ui.chip("case.assign.quick." + std::to_string(i), q.label, s.deadline == q.id, cw)) s.deadline = q.id;
        }
        ui.label(ui.tr("case.note"));
        ui.input("case.note", s.note, ui.tr("case.note_hint"), w);
    } else if (s.action == "progress") {
        ui.label(ui.tr("case.progress_note"), true);
        ui.input_multiline("case.note", s.note, l.font * 4, w);
    } else if (s.action == "close") {
        ui.label(ui.tr("case.result"), true);
        ui.input_multiline("case.result", s.result, l.font * 4, w);
    } else if (s.action == "feedback") {
        draw_voter_phone(ui, s, w);
        ui.label(ui.tr("case.feedback_channel"));
        code_chips(ui, "case.channel.", kChannels, std::size(kChannels), s.channel);
        ui.label(ui.tr("case.note"));
        ui.input("case.note", s.note, ui.tr("case.feedback_hint"), w);
    } else if (s.action == "rate") {
        ui.label(ui.tr("case.satisfaction"), true);
        code_chips(ui, "case.satisfaction.", kSatisfactions, std::size(kSatisfactions), s.satisfaction);
        ui.label(ui.tr("case.comment"));
        ui.input("case.comment", s.comment, ui.tr("case.comment_hint"), w);
    }
    if (!s.error.empty()) ui.error(s.error);
    const float bw = (w - ImGui::GetStyle().ItemSpacing.x) / 2;
    if (ui.button("case.submit", ui.tr("case.submit." + s.action), bw, Tone::Primary))
        emit_case(ui, intent::CaseSubmit{});
    ImGui::SameLine();
    if (ui.button("case.cancel", ui.tr("case.cancel"), bw)) emit_case(ui, intent::CaseOpenAction{""});
    card_end(card);
}

void timeline(Ui& ui, const CaseDetailState& s, float width) {
    const Card card = card_begin(width);
    ui.heading(ui.tr("case.timeline"));
    if (s.timeline.empty()) ui.muted(ui.tr("case.timeline_empty"));
    auto* dl = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    for (size_t i = 0; i < s.timeline.size(); ++i) {
        const auto& e = s.timeline[i];
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float x0 = p.x + 8;
        ImGui::Indent(28);
        ui.muted(e.at + "  " + e.author);
        ImGui::PushStyleColor(ImGuiCol_Text, color::kPrimary);
        ui.text(ui.tr("case.event." + e.kind));
        ImGui::PopStyleColor();
        if (!e.note.empty()) ui.text(e.note);
        ImGui::Unindent(28);
        const float y1 = ImGui::GetCursorScreenPos().y;
        if (i + 1 < s.timeline.size())
            dl->AddLine(ImVec2(x0, p.y + line * 0.5f + 7), ImVec2(x0, y1 + line * 0.5f), color::kLine, 2);
        dl->AddCircleFilled(ImVec2(x0, p.y + line * 0.5f), 7,
                            i + 1 == s.timeline.size() ? color::kPrimary : color::kMuted);
        ImGui::Dummy(ImVec2(0, 2));
    }
    card_end(card);
}
// The steps: every button shown, enabled as the status allows. Five to a row, each as wide as
// the widest label; with large text they wrap onto more rows.
void step_buttons(Ui& ui, const CaseDetailState& s, float col_w) {
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    ui.label(ui.tr("case.steps"));
    const std::string& st = s.c.status;
    const bool re = st == "assigned" || st == "in_progress" || st == "replied";
    auto label_of = [&](const std::string& a) {
        return ui.tr(re && a == "assign" ? "case.action.reassign" : "case.action." + a);
    };
    float bw = (col_w - gap * 4) / 5;
    for (const char* a : kActions) bw = std::min(col_w, std::max(bw, ui.chip_width(label_of(a))));
    const float left = ImGui::GetCursorScreenPos().x;
    for (size_t i = 0; i < std::size(kActions); ++i) {
        const std::string a = kActions[i];
        if (i > 0 && ImGui::GetItemRectMax().x + gap + bw <= left + col_w + 1) ImGui::SameLine(0, gap);
        if (ui.button("case.action." + a, label_of(a), bw, s.action == a ? Tone::Primary : Tone::Normal, allowed(s, a)))
            emit_case(ui, intent::CaseOpenAction{s.action == a ? "" : a});
    }
}
}  // namespace

void draw_case_detail(Ui& ui, CaseDetailState& s, const RefData& /*ref*/) {
    const Layout& l = ui.layout();
    if (ui.button("case.back", ui.tr("case.back"), 0, Tone::Quiet)) ui.emit(intent::Navigate{View::CaseBoard});
    if (!s.loaded_error.empty()) {
        ui.error(s.loaded_error);
        return;
    }
    const auto& c = s.c;
    ui.begin_scroll("case.scroll", ImVec2(0, 0));
    ui.heading(c.title);
    // Status pill and deadline.
    {
        const std::string st = ui.tr(status_key(c.status));
        ui.note_text(st);
        const ImVec2 ts = ImGui::CalcTextSize(st.c_str());
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + ts.x + 24, p.y + ts.y + 8), color::kSelected, 12);
        ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + 12, p.y + 4), color::kPrimary, st.c_str());
        ImGui::Dummy(ImVec2(ts.x + 24, ts.y + 8));
        if (!c.deadline.empty()) {
            ImGui::SameLine();
            ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 4);
            const std::string d = deadline_text(ui, s.deadline_state, c.deadline, false);
            ImGui::PushStyleColor(ImGuiCol_Text, deadline_color(s.deadline_state));
            ui.text(d);
            ImGui::PopStyleColor();
        }
    }

    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float full = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
    const float col_w = l.portrait ? full : (full - gap) * 0.56f;
    ImGui::BeginGroup();
    {
        const Card card = card_begin(col_w);
        const float label_w =
            ui.label_width({"case.f.category", "case.department", "case.deadline", "case.f.visit", "case.f.deputies",
                            "case.f.created", "case.f.content", "case.result", "case.f.resolved",
                            "case.feedback_channel", "case.satisfaction", "case.comment"});
        field(ui, ui.tr("case.f.category"), s.category, label_w);
        field(ui, ui.tr("case.f.created"), c.created_at, label_w);
        if (!s.visit_subject.empty()) field(ui, ui.tr("case.f.visit"), s.visit_subject, label_w);
        if (!s.deputies.empty()) field(ui, ui.tr("case.f.deputies"), s.deputies, label_w);
        field(ui, ui.tr("case.f.content"), c.content, label_w);
        field(ui, ui.tr("case.department"), s.department, label_w);
        field(ui, ui.tr("case.deadline"), c.deadline, label_w,
              c.deadline.empty() ? 0 : deadline_color(s.deadline_state));
        field(ui, ui.tr("case.result"), c.result, label_w);
        if (!c.resolved_at.empty()) field(ui, ui.tr("case.f.resolved"), c.resolved_at, label_w);
        field(ui, ui.tr("case.feedback_channel"),
              c.feedback_channel.empty() ? "" : ui.tr("case.channel." + c.feedback_channel), label_w);
        field(ui, ui.tr("case.satisfaction"),
              c.satisfaction.empty() ? "" : ui.tr("case.satisfaction." + c.satisfaction), label_w);
        if (!c.satisfaction_comment.empty()) field(ui, ui.tr("case.comment"), c.satisfaction_comment, label_w);
        card_end(card);
    }

    step_buttons(ui, s, col_w);
    if (s.allowed.empty()) ui.muted(ui.tr("case.no_steps"));
    if (!s.action.empty())
        action_form(ui, s, col_w);
    else if (!s.error.empty())
        ui.error(s.error);
    ImGui::EndGroup();
    if (!l.portrait) ImGui::SameLine();
    timeline(ui, s, l.portrait ? col_w : full - col_w - gap);
    ui.drag_scroll();
    ImGui::EndChild();
}

}  // namespace liaison::ui
