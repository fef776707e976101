// Sync status and conflict review: each conflict side by side, keep mine / keep theirs / edit a
// merged value. Nothing typed is lost: the losing value waits here until a person decides.
#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
// The status rows on a card as tall as they need: at the largest text size in portrait a value
// wraps to several lines, which a box of fixed height cut off.
void status_box(Ui& ui, const SyncStatus& st) {
    ui.begin_card();
    const float lw =
        ImGui::GetCursorPosX() + ui.label_width({"sync.state", "sync.pending", "sync.last_success", "sync.last_error"});
    auto row = [&](const std::string& k, const std::string& v, ImU32 col) {
        ui.note_text(k);
        ImGui::PushStyleColor(ImGuiCol_Text, color::kMuted);
        ImGui::TextUnformatted(k.c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine(lw);
        ImGui::PushStyleColor(ImGuiCol_Text, col);
        ui.text(v);
        ImGui::PopStyleColor();
    };
    row(ui.tr("sync.state"),
        !st.enrolled ? ui.tr("sync.no_server_long")
        : st.online  ? ui.tr("sync.online")
                     : ui.tr("sync.offline"),
        st.online ? color::kOk : color::kMuted);
    row(ui.tr("sync.pending"),
        ui.fmt("sync.pending_records", {std::to_string(st.pending_records), std::to_string(st.pending)}),
        st.trouble() && st.pending_records > 0 ? color::kWarn : color::kText);
    row(ui.tr("sync.last_success"), st.last_success.empty() ? ui.tr("sync.never") : st.last_success, color::kText);
    row(ui.tr("sync.last_error"), st.last_error.empty() ? "—" : st.last_error,
        st.last_error.empty() ? color::kText : color::kError);
    ui.end_card();
}

// Under the status box: when sync runs, and a clock too far off.
void status_notes(Ui& ui, const SyncStatus& st) {
    // The worker needs the data key a PIN unwraps (docs/security.md "Sign-in on the tablet").
    ui.muted(ui.tr("sync.needs_sign_in"));
    if (st.clock_off_min > 0) {
        ImGui::PushStyleColor(ImGuiCol_Text, color::kWarn);
        ui.text(ui.fmt("sync.clock_off", {std::to_string(st.clock_off_min)}));
        ImGui::PopStyleColor();
    }
}
// One conflict: both sides, and keep mine / keep theirs / a merged value typed here.
void draw_conflict(Ui& ui, SyncViewState& s, size_t i) {
    const Layout& l = ui.layout();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const auto& c = s.conflicts[i];
    auto& edit = s.edits[c.id];
    const std::string base = "sync.conflict." + std::to_string(i);
    ui.text(
        ui.fmt("sync.conflict_title", {c.record_label.empty() ? c.row : c.record_label, ui.tr("field." + c.column)}));
    if (c.delete_conflict) ui.muted(ui.tr("sync.delete_conflict"));
    const float w = ImGui::GetContentRegionAvail().x;
    const float half = l.portrait ? w : (w - gap) / 2;
    const float box_h = l.font * 5;
    auto side = [&](const char* id, const std::string& title, const std::string& value) {
        ImGui::BeginChild(id, ImVec2(half, box_h), true);
        ui.muted(title);
        ui.text(value);
        ImGui::EndChild();
    };
    side("mine", ui.tr("sync.mine"), c.mine);
    if (!l.portrait) ImGui::SameLine();
    side("theirs", ui.tr("sync.theirs"), c.theirs);
    if (edit.editing) {
        ui.label(ui.tr("sync.merged"));
        ui.input_multiline(base + ".merged", edit.merged, l.font * 4);
        if (ui.button(base + ".save_merged", ui.tr("sync.save_merged"), 0, Tone::Primary))
            ui.emit(intent::ResolveConflictWith{c.id, edit.merged});
        ImGui::SameLine();
        if (ui.button(base + ".cancel", ui.tr("sync.cancel"), 0, Tone::Quiet)) edit.editing = false;
    } else {
        if (ui.button(base + ".mine", ui.tr("sync.keep_mine"))) ui.emit(intent::ResolveConflict{c.id, "mine"});
        ImGui::SameLine();
        if (ui.button(base + ".theirs", ui.tr("sync.keep_theirs"))) ui.emit(intent::ResolveConflict{c.id, "theirs"});
        if (!c.delete_conflict) {
            ImGui::SameLine();
            if (ui.button(base + ".edit", ui.tr("sync.edit_merged"))) {
                edit.editing = true;
                edit.merged = c.mine;
            }
        }
    }
}

}  // namespace

void draw_sync(Ui& ui, SyncViewState& s) {
    const auto& st = s.status;
    ui.heading(ui.tr("sync.title"));

    status_box(ui, st);
    status_notes(ui, st);

    ui.heading(ui.fmt("sync.conflicts", {std::to_string(s.conflicts.size())}));
    if (!s.message.empty()) ui.muted(s.message);
    ui.begin_scroll("sync.list", ImVec2(0, 0));
    if (s.conflicts.empty()) ui.muted(ui.tr("sync.no_conflicts"));
    for (size_t i = 0; i < s.conflicts.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        ImGui::BeginGroup();
        draw_conflict(ui, s, i);
        ImGui::EndGroup();
        ImGui::Separator();
        ImGui::PopID();
    }
    ui.drag_scroll();
    ImGui::EndChild();
}

}  // namespace liaison::ui
