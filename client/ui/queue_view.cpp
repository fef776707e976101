// The desk's queue panel (docs/queue.md): today's tickets in queue order. Staff see full names;
// phone numbers stay masked. "Call next" opens the visit form pre-filled from the ticket; saving
// it serves the ticket.
#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
ImU32 status_color(const std::string& st) {
    if (st == "waiting") return color::kWarn;
    if (st == "called") return color::kPrimary;
    if (st == "served") return color::kOk;
    return color::kMuted;
}

// The kiosk's 请工作人员帮助: a visitor is waiting for someone to come over.
void draw_help_call(Ui& ui, const QueueState& s) {
    if (s.help_call.empty()) return;
    const Layout& l = ui.layout();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    ImGui::Dummy(ImVec2(0, 4));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, color::kSelected);
    ImGui::BeginChild("queue.help", ImVec2(0, l.touch + 24), true, ImGuiWindowFlags_NoScrollbar);
    const std::string done = ui.tr("queue.help_done");
    const float dw = ui.chip_width(done) + 16;
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (l.touch - ImGui::GetTextLineHeight()) / 2);
    ui.cell(ui.fmt("queue.help_call", {s.help_call}), ImGui::GetContentRegionAvail().x - dw - gap, color::kPrimary);
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetStyle().WindowPadding.y);
    if (ui.button("queue.help_done", done, dw)) ui.emit(intent::Queue{intent::QueueAction::HelpDone, {}});
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

// 叫号语音 and 叫号屏: how 叫下一位 reaches the waiting room (docs/queue.md, "Calling out").
void draw_call_options(Ui& ui, const QueueState& s) {
    const std::string voice = ui.tr(s.voice ? "queue.voice_on" : "queue.voice_off");
    const std::string display = ui.tr(s.display ? "queue.display_on" : "queue.display_off");
    const float vw = ui.chip_width(voice), dw = ui.chip_width(display);
    ui.flow(vw, true);
    if (ui.chip("queue.voice", voice, s.voice, vw)) ui.emit(intent::Queue{intent::QueueAction::Voice, {}});
    ui.flow(dw, false);
    if (ui.chip("queue.display", display, s.display, dw)) ui.emit(intent::Queue{intent::QueueAction::Display, {}});
    if (!s.voice_error.empty()) ui.error(s.voice_error);
}
}  // namespace

void draw_queue(Ui& ui, QueueState& s) {
    const Layout& l = ui.layout();
    ui.begin_scroll("queue.scroll", ImVec2(0, 0));
    ui.heading(ui.tr("queue.title"));
    ui.muted(ui.fmt("queue.summary", {s.date, std::to_string(s.waiting), std::to_string(s.rows.size())}));
    ImGui::Dummy(ImVec2(0, 4));
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float refresh_w = ui.chip_width(ui.tr("queue.refresh")) + 16;
    if (ui.button("queue.call_next", ui.tr("queue.call_next"), ImGui::GetContentRegionAvail().x - refresh_w - gap,
                  Tone::Primary, s.waiting > 0))
        ui.emit(intent::Queue{intent::QueueAction::CallNext, {}});
    ImGui::SameLine();
    if (ui.button("queue.refresh", ui.tr("queue.refresh"), refresh_w))
        ui.emit(intent::Queue{intent::QueueAction::Refresh, {}});
    draw_call_options(ui, s);
    if (!s.message.empty()) ui.error(s.message);
    if (!s.print_error.empty()) ui.error(ui.fmt("queue.print_error", {s.print_error}));
    draw_help_call(ui, s);
    ImGui::Dummy(ImVec2(0, 4));
    if (s.rows.empty()) ui.muted(ui.tr("queue.empty"));

    const float row_h = std::max(l.touch, l.font * 2 + 20);
    for (const auto& r : s.rows) {
        ImGui::PushID(r.id.c_str());
        ImGui::BeginChild("##row", ImVec2(0, row_h + 16), true, ImGuiWindowFlags_NoScrollbar);
        const float w = ImGui::GetContentRegionAvail().x;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        // Number, status, then who and what; the actions on the right.
        ui.push_heading_font();
        ui.note_text(r.label);
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + (row_h - ImGui::GetFontSize()) / 2));
        ImGui::TextUnformatted(r.label.c_str());
        ImGui::PopFont();
        const float num_w = l.font * 4.2f;
        const std::string st = ui.tr("queue.status." + r.status);
        ImGui::SetCursorScreenPos(ImVec2(p.x + num_w, p.y + (row_h - l.font) / 2));
        ui.cell(st, l.font * 3.5f, status_color(r.status));
        const float act_w = l.portrait ? l.font * 7.5f : l.font * 10.5f;
        const float text_x = p.x + num_w + l.font * 3.8f;
        const float text_w = w - (text_x - p.x) - act_w - gap;
        ImGui::SetCursorScreenPos(ImVec2(text_x, p.y + 2));
        std::string who = r.name + "  " + r.phone_masked + "  " + ui.fmt("queue.people", {std::to_string(r.people)});
        ui.cell(who, text_w);
        ImGui::SetCursorScreenPos(ImVec2(text_x, p.y + l.font + 10));
        ui.cell(r.category.empty() ? r.topic : r.category + " · " + r.topic, text_w, color::kMuted);
        const bool open = r.status == "waiting" || r.status == "called";
        if (open) {
            const float bw = (act_w - gap) / 2;
            ImGui::SetCursorScreenPos(ImVec2(p.x + w - act_w, p.y + (row_h - l.touch) / 2));
            if (r.status == "called") {
                if (ui.button("queue.serve." + r.label, ui.tr("queue.serve"), bw, Tone::Primary))
                    ui.emit(intent::Queue{intent::QueueAction::Serve, r.id});
            } else {
                ImGui::Dummy(ImVec2(bw, l.touch));
            }
            ImGui::SameLine();
            if (ui.button("queue.leave." + r.label, ui.tr("queue.leave"), bw, Tone::Danger)) {
                s.confirm_leave_id = r.id;  // a voter taken off the queue is not called again: ask first
                s.confirm_leave_label = r.label;
            }
        }
        ImGui::EndChild();
        ImGui::PopID();
    }
    ui.drag_scroll();
    ImGui::EndChild();
    if (!s.confirm_leave_id.empty()) {
        const int r = ui.confirm_sheet("sheet.leave", ui.fmt("queue.leave_q", {s.confirm_leave_label}),
                                       ui.tr("queue.leave_what"), ui.tr("queue.leave_yes"), ui.tr("queue.leave_no"));
        if (r > 0) ui.emit(intent::Queue{intent::QueueAction::Leave, s.confirm_leave_id});
        if (r != 0) s.confirm_leave_id.clear();
    }
}

}  // namespace liaison::ui
