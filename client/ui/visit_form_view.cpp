// The visit form: what a deputy fills in while the visitor talks. Two columns in landscape, one
// in portrait; errors show under their field as soon as it was touched; every change is saved
// as a draft by the app root, so a half-typed visit survives the app being killed.
#include <algorithm>

#include "client/store/domain.h"
#include "platform/platform.h"
#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
struct Form {
    Ui& ui;
    VisitFormState& s;
    const RefData& ref;
    bool changed = false;

    void touched(const char* field) {
        s.touched.insert(field);
        changed = true;
    }
    void error_of(const char* field) {
        auto it = s.errors.find(field);
        if (it != s.errors.end() && (s.tried_save || s.touched.count(field))) ui.error(ui.tr(it->second));
    }
    void gap() { ImGui::Dummy(ImVec2(0, 4)); }

    void time() {
        ui.label(ui.tr("form.time"), true);
        const float now_w = ui.chip_width(ui.tr("form.now"));
        if (ui.input("form.time", s.received_at, "YYYY-MM-DD HH:MM",
                     ImGui::GetContentRegionAvail().x - now_w - ImGui::GetStyle().ItemSpacing.x))
            touched("received_at");
        ImGui::SameLine();
        if (ui.button("form.now", ui.tr("form.now"), now_w)) {
            s.received_at = platform::local_datetime(platform::wall_ms());
            touched("received_at");
        }
        error_of("received_at");
        gap();
    }
    void channel() {
        ui.label(ui.tr("form.channel"), true);
        bool first = true;
        for (const char* c : store::kChannels) {
            const std::string& label = ui.tr(channel_key(c));
            ui.flow(ui.chip_width(label), first);
            first = false;
            if (ui.chip(std::string("form.channel.") + c, label, s.channel == c)) {
                s.channel = c;
                touched("channel");
            }
        }
        gap();
    }
    void deputies() {
        ui.label(ui.tr("form.deputies"));
        if (ref.deputies.empty()) ui.muted(ui.tr("form.no_deputies"));
        bool first = true;
        for (const auto& d : ref.deputies) {
            ui.flow(ui.chip_width(d.label), first);
            first = false;
            auto it = std::find(s.deputy_ids.begin(), s.deputy_ids.end(), d.id);
            if (ui.chip("form.deputy." + d.id, d.label, it != s.deputy_ids.end())) {
                if (it == s.deputy_ids.end())
                    s.deputy_ids.push_back(d.id);
                else
                    s.deputy_ids.erase(it);
                touched("deputies");
            }
        }
        gap();
    }
    void people() {
        ui.label(ui.tr("form.people"), true);
        if (ui.stepper("form.people", s.people, 1, domain::kMaxPeople)) touched("people");
        ImGui::SameLine();
        ui.muted(ui.tr("form.people_hint"));
        error_of("people");
        gap();
    }
    void visitor() {
        const float w = ImGui::GetContentRegionAvail().x;
        const float half = (w - ImGui::GetStyle().ItemSpacing.x) / 2;
        const float top = ImGui::GetCursorPosY();
        ImGui::BeginGroup();
        ui.label(ui.tr("form.visitor_name"));
        if (ui.input("form.visitor_name", s.visitor_name, ui.tr("form.visitor_name_hint"), half))
            touched("visitor_name");
        ImGui::EndGroup();
        ImGui::SameLine();
        ImGui::SetCursorPosY(top);  // SameLine would align the caption to the input's baseline
        ImGui::BeginGroup();
        ui.label(ui.tr("form.visitor_phone"));
        if (ui.input("form.visitor_phone", s.visitor_phone, ui.tr("form.visitor_phone_hint"), half,
                     ImGuiInputTextFlags_CharsNoBlank))
            touched("visitor_phone");
        error_of("visitor_phone");
        ImGui::EndGroup();
        ui.muted(ui.tr("form.pii_note"));
        gap();
    }
    void category() {
        ui.label(ui.tr("form.category"), true);
        bool first = true;
        for (const auto& c : ref.categories) {
            ui.flow(ui.chip_width(c.label), first);
            first = false;
            if (ui.chip("form.category." + c.id, c.label, s.category == c.id)) {
                s.category = c.id;
                touched("category");
            }
        }
        error_of("category");
        gap();
    }
    void subject() {
        ui.label(ui.tr("form.subject"), true);
        if (ui.input("form.subject", s.subject, ui.tr("form.subject_hint"))) touched("subject");
        error_of("subject");
        gap();
    }
    void content(float h) {
        ui.label(ui.tr("form.content"));
        if (ui.input_multiline("form.content", s.content, h)) touched("content");
        gap();
    }
    void route() {
        ui.label(ui.tr("form.route"));
        ui.muted(ui.tr("form.route_hint"));
        // Four options with a line each on when to pick them: the tiers stations route visits in.
        const float w = ImGui::GetContentRegionAvail().x;
        const float cw = (w - ImGui::GetStyle().ItemSpacing.x) / 2;
        int i = 0;
        float top = 0;
        for (const char* r : store::kRoutes) {
            if (i % 2 == 0) {
                top = ImGui::GetCursorPosY();
            } else {
                ImGui::SameLine();
                ImGui::SetCursorPosY(top);
            }
            ImGui::BeginGroup();
            const std::string& label = ui.tr(route_key(r));
            if (ui.chip(std::string("form.route.") + r, label, s.route == r, cw)) {
                s.route = (s.route == r) ? "" : r;  // tap again: undecided
                touched("route");
            }
            ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + cw);
            ui.muted(ui.tr(std::string("form.route_desc.") + r));
            ImGui::PopTextWrapPos();
            ImGui::EndGroup();
            ++i;
        }
        if (s.route == "legal_channel") {
            ui.label(ui.tr("form.route_reason"), true);
            if (ui.input("form.route_reason", s.route_reason, ui.tr("form.route_reason_hint"))) touched("route_reason");
            error_of("route_reason");
        }
        gap();
    }
    void notes(float h) {
        ui.label(ui.tr("form.notes"));
        if (ui.input_multiline("form.notes", s.notes, h)) touched("notes");
    }
};
}  // namespace

void draw_visit_form(Ui& ui, VisitFormState& s, const RefData& ref) {
    const Layout& l = ui.layout();
    Form f{ui, s, ref};

    ui.heading(s.editing_id.empty() ? ui.tr("form.title_new") : ui.tr("form.title_edit"));
    if (!s.notice_key.empty()) ui.muted(ui.tr(s.notice_key));

    // The action bar stays visible at the bottom; the fields scroll above it.
    const float bar_h = l.touch + ImGui::GetStyle().ItemSpacing.y * 2 + (s.save_error.empty() ? 0 : l.font * 2.5f);
    ui.begin_scroll("form.scroll", ImVec2(0, -bar_h));
    if (l.portrait) {
        f.time();
        f.channel();
        f.category();
        f.subject();
        f.content(l.font * 6);
        f.route();
        f.deputies();
        f.people();
        f.visitor();
        f.notes(l.font * 3.5f);
    } else if (ImGui::BeginTable("form.cols", 2, ImGuiTableFlags_PadOuterX)) {
        ImGui::TableSetupColumn("a", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("b", ImGuiTableColumnFlags_WidthStretch, 1.15f);
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        f.time();
        f.channel();
        f.deputies();
        f.people();
        f.visitor();
        f.notes(l.font * 3.5f);
        ImGui::TableSetColumnIndex(1);
        f.category();
        f.subject();
        f.content(l.font * 5);
        f.route();
        ImGui::EndTable();
    }
    ui.drag_scroll();
    ImGui::EndChild();

    if (f.changed) {
        validate_form(s);
        s.save_error.clear();
        ui.emit(intent::FormEdited{});
    }

    // ---- action bar ----
    if (!s.save_error.empty()) ui.error(s.save_error);
    const float w = ImGui::GetContentRegionAvail().x;
    const float bw = std::min(320.0f, (w - ImGui::GetStyle().ItemSpacing.x) / 2);
    if (ui.button("form.save", ui.tr("form.save"), bw, Tone::Primary)) {
        s.tried_save = true;
        validate_form(s);
        if (s.errors.empty() && s.people > kPeopleAskAbove && s.people != s.people_confirmed)
            s.confirm_people = true;  // a slip of the stepper or a typo? ask before saving
        else
            ui.emit(intent::SaveVisit{});
    }
    ImGui::SameLine();
    const bool typed = !s.subject.empty() || !s.content.empty() || !s.visitor_name.empty() ||
                       !s.visitor_phone.empty() || !s.notes.empty() || !s.route_reason.empty();
    if (ui.button("form.discard", ui.tr(s.editing_id.empty() ? "form.discard" : "form.cancel"), bw, Tone::Quiet)) {
        if (s.editing_id.empty() && typed)
            s.confirm_discard = true;  // 清空 loses what was typed and its draft: ask first
        else
            ui.emit(intent::DiscardForm{});
    }
    if (s.confirm_discard) {
        const int r = ui.confirm_sheet("sheet.discard", ui.tr("form.discard_q"), ui.tr("form.discard_what"),
                                       ui.tr("form.discard_yes"), ui.tr("form.discard_no"));
        if (r != 0) s.confirm_discard = false;
        if (r > 0) ui.emit(intent::DiscardForm{});
    }
    if (s.confirm_people) {
        const int r = ui.confirm_sheet("sheet.people", ui.fmt("form.people_q", {std::to_string(s.people)}),
                                       ui.fmt("form.people_what", {std::to_string(kPeopleAskAbove)}),
                                       ui.tr("form.people_yes"), ui.tr("form.people_no"), Tone::Primary);
        if (r != 0) s.confirm_people = false;
        if (r > 0) {
            s.people_confirmed = s.people;
            ui.emit(intent::SaveVisit{});
        }
    }
    if (s.tried_save && !s.errors.empty()) {
        ImGui::SameLine();
        ui.error(ui.fmt("form.errors_n", {std::to_string(s.errors.size())}));
    }
}

}  // namespace liaison::ui
