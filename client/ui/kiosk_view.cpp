// The kiosk (docs/design.md §6, docs/queue.md): a visitor takes a queue number by touch alone. Full
// screen, big type and targets, Chinese first with an English switch on every step. The view
// shows only what this visitor typed and their own number: never the queue or anyone else.
// The hidden way out: five taps on the top-right corner open the sign-in view with the
// station's administrators (docs/security.md "Kiosk mode").
// One question per screen under a ①②③④ step bar (姓名 → 电话 → 事项 → 代表), and every step
// keeps its buttons (上一步, 请工作人员帮助, 下一步) and the phone keypad in a fixed area that
// fits the screen: nothing a visitor needs is below the fold (docs/queue.md). The first step is
// also the kiosk at rest: the welcome, the name, and the consent as a short notice whose full text
// unfolds in place; its buttons are 不同意 and 同意并继续, so a check-in is five screens.
#include <algorithm>

#include <imgui_internal.h>

#include "client/ui/ui.h"

namespace liaison::ui {

const char* kiosk_step_name(KioskStep s) {
    switch (s) {
        case KioskStep::Name: return "kiosk-name";
        case KioskStep::Phone: return "kiosk-phone";
        case KioskStep::Topic: return "kiosk-topic";
        case KioskStep::Deputy: return "kiosk-deputy";
        case KioskStep::Ticket: return "kiosk-ticket";
        case KioskStep::Declined: return "kiosk-declined";
    }
    return "kiosk-name";
}

std::optional<KioskStep> kiosk_step_from_name(const std::string& n) {
    if (n == "kiosk" || n == "kiosk-welcome" || n == "kiosk-consent") return KioskStep::Name;
    for (KioskStep s : {KioskStep::Name, KioskStep::Phone, KioskStep::Topic, KioskStep::Deputy, KioskStep::Ticket,
                        KioskStep::Declined})
        if (n == kiosk_step_name(s)) return s;
    return std::nullopt;
}

namespace {
using intent::KioskAction;

struct Kiosk {
    Ui& ui;
    KioskState& s;
    const RefData& ref;
    float big() const { return ui.layout().touch * 1.25f; }  // the main button of a step

    void act(KioskAction a, std::string arg = {}) { ui.emit(intent::Kiosk{a, std::move(arg)}); }

    // Text in the heading font scaled by `scale` (or in the display font: the ticket number),
    // each wrapped line centred in the available width.
    void centred(const std::string& t, float scale, ImU32 col = color::kText, bool display = false) {
        ui.note_text(t);
        float size = 0;
        if (display) {
            ui.push_display_font();
            size = ImGui::GetFontSize() * scale;
        } else {
            size = ui.push_title_font(scale);
        }
        ImFont* f = ImGui::GetFont();
        const float wrap = ImGui::GetContentRegionAvail().x;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const char* line = t.c_str();
        const char* const end = line + t.size();
        float y = p.y;
        while (line < end) {
            const char* eol = f->CalcWordWrapPositionA(size / f->FontSize, line, end, wrap);
            if (eol <= line) {  // a glyph wider than the line: draw it anyway
                eol = line + 1;
                while (eol < end && (static_cast<unsigned char>(*eol) & 0xC0) == 0x80) ++eol;
            }
            const float w = f->CalcTextSizeA(size, FLT_MAX, 0, line, eol).x;
            ImGui::GetWindowDrawList()->AddText(f, size, ImVec2(p.x + std::max(0.0f, (wrap - w) / 2), y), col, line,
                                                eol);
            y += size;
            line = eol;
            while (line < end && (*line == ' ' || *line == '\n')) ++line;
        }
        ImGui::Dummy(ImVec2(wrap, std::max(size, y - p.y)));
        ImGui::PopFont();
    }
    bool big_button(const char* id, const std::string& label, float w, Tone tone = Tone::Primary, bool enabled = true) {
        ui.push_heading_font();
        const bool r = ui.button(id, label, w, tone, enabled);
        ImGui::PopFont();
        return r;
    }
    void gap(float h) { ImGui::Dummy(ImVec2(0, h)); }

    // Station name left, language switch right; the corner beyond it is the hidden way out.
    void top_bar() {
        const Layout& l = ui.layout();
        const float corner = l.touch * 1.2f;
        ImGui::BeginGroup();
        ui.push_heading_font();
        ui.note_text(ref.device.station_name);
        const std::string title = ref.device.station_name.empty() ? ui.tr("app.title") : ref.device.station_name;
        ui.note_text(title);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (l.touch - ImGui::GetFontSize()) / 2);
        ImGui::TextUnformatted(title.c_str());
        ImGui::PopFont();
        ImGui::EndGroup();
        const std::string other = ui.tr("kiosk.other_language");
        const float lw = ui.chip_width(other) + 16;
        ImGui::SameLine(std::max(0.0f, ImGui::GetWindowContentRegionMax().x - lw - corner));
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().WindowPadding.y * 0);
        if (ui.chip("kiosk.lang", other, false, lw)) act(KioskAction::Language, s.lang == "en" ? "zh" : "en");
        // The hidden corner: an invisible button in the window's top-right corner.
        ImGuiWindow* w = ImGui::GetCurrentWindow();
        const ImVec2 keep = ImGui::GetCursorScreenPos();
        ImGui::SetCursorScreenPos(ImVec2(w->Pos.x + w->Size.x - corner, w->Pos.y));
        if (ImGui::InvisibleButton("##kiosk.corner", ImVec2(corner, corner))) act(KioskAction::CornerTap);
        ui.record("kiosk.corner", "");
        ImGui::SetCursorScreenPos(keep);
        gap(4);
    }

    // 请工作人员帮助: on every visitor screen; after a tap it says the desk was called.
    void help_button(float w) {
        if (big_button("kiosk.help", ui.tr(s.help_called ? "kiosk.help_called" : "kiosk.help"), w, Tone::Normal))
            act(KioskAction::Help);
    }
    // What the help call did, in the fixed area above the bottom row.
    void help_notice() {
        if (s.help_called) centred(ui.tr("kiosk.help_notice"), 0.7f, color::kOk);
    }
    float notice_h() const { return s.help_called ? ui.layout().font * 1.25f + ImGui::GetStyle().ItemSpacing.y : 0; }

    // The fixed row along the bottom: back, ask staff for help, and the step's main button.
    void bottom(const char* back_id, const std::string& back, const char* next_id, const std::string& next,
                KioskAction back_action, KioskAction next_action) {
        help_notice();
        const float gap_x = ImGui::GetStyle().ItemSpacing.x;
        const float w = ImGui::GetContentRegionAvail().x - 2 * gap_x;
        const float bw = w * 0.22f, hw = w * 0.36f, nw = w - bw - hw;
        if (big_button(back_id, back, bw, Tone::Normal)) act(back_action);
        ImGui::SameLine();
        help_button(hw);
        ImGui::SameLine();
        if (big_button(next_id, next, nw)) act(next_action);
    }
    float bottom_h() const { return big() + ImGui::GetStyle().ItemSpacing.y * 2 + notice_h(); }

    // ①②③④ and each question's name; the current one in the station's red, the ones done underlined.
    void step_bar() {
        static const struct {
            KioskStep step;
            const char *mark, *key;
        } steps[] = {{KioskStep::Name, "①", "kiosk.step.name"},
                     {KioskStep::Phone, "②", "kiosk.step.phone"},
                     {KioskStep::Topic, "③", "kiosk.step.topic"},
                     {KioskStep::Deputy, "④", "kiosk.step.deputy"}};
        const float w = ImGui::GetContentRegionAvail().x, cw = w / 4;
        const float h = ImGui::GetTextLineHeight() + 14;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        auto* dl = ImGui::GetWindowDrawList();
        for (int i = 0; i < 4; ++i) {
            const bool current = s.step == steps[i].step;
            const bool done = static_cast<int>(s.step) > static_cast<int>(steps[i].step);
            const std::string t = std::string(steps[i].mark) + " " + ui.tr(steps[i].key);
            ui.note_text(t);
            const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
            const float x = p.x + static_cast<float>(i) * cw;
            dl->AddText(ImVec2(x + std::max(0.0f, (cw - ts.x) / 2), p.y),
                        current ? color::kPrimary
                        : done  ? color::kText
                                : color::kMuted,
                        t.c_str());
            dl->AddRectFilled(ImVec2(x + 4, p.y + h - 5), ImVec2(x + cw - 4, p.y + h - 1),
                              current || done ? color::kPrimary : color::kLine, 2);
        }
        ImGui::Dummy(ImVec2(w, h));
        gap(4);
    }

    // A question step: the step bar, the question, its body (scrolls only if it must), the fixed bottom row.
    template <class Body>
    void question(const std::string& title, Body body, const char* next_id, const std::string& next,
                  KioskAction next_action = KioskAction::Next) {
        step_bar();
        ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(0, 0, 0, 0));
        ImGui::BeginChild("kiosk.body", ImVec2(0, -bottom_h()), false);
        ImGui::PopStyleColor();
        if (!title.empty()) {
            ui.heading(title);
            gap(6);
        }
        body();
        ui.drag_scroll();
        ImGui::EndChild();
        // The first step has nothing before it: its left button is 不同意.
        if (s.step == KioskStep::Name)
            bottom("kiosk.disagree", ui.tr("kiosk.disagree"), next_id, next, KioskAction::Disagree, next_action);
        else
            bottom("kiosk.back", ui.tr("kiosk.back"), next_id, next, KioskAction::Back, next_action);
    }

    // 不同意's screen and the ticket: the help button centred on the bottom edge.
    void centred_help() {
        const float bh = big() + notice_h();
        const float y = ImGui::GetWindowContentRegionMax().y - bh;
        if (ImGui::GetCursorPosY() < y) ImGui::SetCursorPosY(y);
        help_notice();
        const float bw = std::min(ImGui::GetContentRegionAvail().x, std::max(ui.layout().width * 0.4f, 320.0f));
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - bw) / 2);
        help_button(bw);
    }

    // The height centred() takes for `t` at `scale` in a column `wrap` wide.
    float centred_h(const std::string& t, float scale, float wrap) {
        const float size = ui.push_title_font(scale);
        const float h = ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, wrap, t.c_str()).y;
        ImGui::PopFont();
        return std::max(size, h);
    }

    // 不同意: what happens instead, in plain words; back to the consent, or finish.
    void declined() {
        const Layout& l = ui.layout();
        const float h = ImGui::GetContentRegionAvail().y;
        gap(h * (l.portrait ? 0.16f : 0.06f));
        centred(ui.tr("kiosk.declined_title"), 1.3f);
        gap(l.font);
        centred(ui.tr("kiosk.declined_text"), 0.85f);
        gap(l.font * 0.5f);
        centred(ui.tr("kiosk.declined_kept"), 0.7f, color::kMuted);
        gap(l.font * 1.5f);
        const float bw = std::min(ImGui::GetContentRegionAvail().x, std::max(l.width * 0.5f, 360.0f));
        const float x = ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - bw) / 2;
        ImGui::SetCursorPosX(x);
        if (big_button("kiosk.declined.finish", ui.tr("kiosk.declined_finish"), bw)) act(KioskAction::Done);
        gap(4);
        ImGui::SetCursorPosX(x);
        if (big_button("kiosk.declined.back", ui.tr("kiosk.declined_back"), bw, Tone::Normal))
            act(KioskAction::Consent);
        centred_help();
    }

    // The consent text: a small subset of Markdown (# headings, - items, **bold** marks dropped).
    void consent_text() {
        size_t p = 0;
        const std::string& t = s.consent;
        while (p <= t.size()) {
            size_t e = t.find('\n', p);
            if (e == std::string::npos) e = t.size();
            std::string line = t.substr(p, e - p);
            p = e + 1;
            for (size_t b; (b = line.find("**")) != std::string::npos;) line.erase(b, 2);
            if (line.empty()) {
                gap(4);
            } else if (line.rfind("# ", 0) == 0) {
                ui.heading(line.substr(2));
            } else if (line.rfind("## ", 0) == 0) {
                gap(4);
                ui.heading(line.substr(3));
            } else if (line.rfind("- ", 0) == 0) {
                ui.note_text("•");
                ImGui::Bullet();
                ImGui::SameLine();
                ui.text(line.substr(2));
            } else {
                ui.text(line);
            }
            if (e >= t.size()) break;
        }
    }

    void error_of(const char* field) {
        auto it = s.form.errors.find(field);
        if (it != s.form.errors.end()) ui.error(ui.tr(it->second));
    }

    // The first step and the kiosk at rest: the welcome, 姓名 and how many came, and the consent
    // as a short notice above 同意并继续 (beside the name in landscape). Its full text unfolds
    // over the question, in a box of its own that a finger scrolls (which restarts the idle
    // clock, like any input).
    void name_step() {
        question(
            "",
            [&] {
                if (s.consent_open) return consent_full();
                const Layout& l = ui.layout();
                const float avail = ImGui::GetContentRegionAvail().x;
                const float w = l.portrait ? avail : avail * 0.56f;
                ImGui::BeginGroup();
                ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
                ImGui::PushStyleColor(ImGuiCol_Text, color::kPrimary);
                ui.heading(ui.tr("kiosk.welcome"));
                ImGui::PopStyleColor();
                ui.heading(ui.tr("kiosk.q.name"));
                ImGui::PopTextWrapPos();
                gap(6);
                ui.push_heading_font();
                if (ui.input("kiosk.name", s.form.name, ui.tr("kiosk.name_hint"), w)) s.form.errors.erase("name");
                ImGui::PopFont();
                ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
                error_of("name");
                ImGui::PopTextWrapPos();
                gap(l.font * 0.5f);
                ui.label(ui.tr("kiosk.people"), true);
                ui.push_heading_font();
                ui.stepper("kiosk.people", s.form.people, 1, 50);
                ImGui::PopFont();
                ImGui::EndGroup();
                if (l.portrait)
                    gap(l.font * 0.5f);
                else
                    ImGui::SameLine(0, l.pad * 2);
                consent_notice();
            },
            "kiosk.agree", ui.tr("kiosk.agree"));
    }

    // The consent in two lines on a card, and the way to its full text.
    void consent_notice() {
        const float pad = ui.layout().pad;
        const float w = ImGui::GetContentRegionAvail().x;
        auto* dl = ImGui::GetWindowDrawList();
        dl->ChannelsSplit(2);  // the card drawn behind once its height is known
        dl->ChannelsSetCurrent(1);
        const ImVec2 top = ImGui::GetCursorScreenPos();
        ImGui::SetCursorScreenPos(ImVec2(top.x + pad, top.y + pad));
        ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset = 0;  // beside the name field: not on its text line
        ImGui::BeginGroup();
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w - pad * 2);
        ui.text(ui.tr("kiosk.consent_short"));
        ImGui::PopTextWrapPos();
        const std::string read = ui.tr("kiosk.consent_read");
        if (ui.chip("kiosk.consent.open", read, false, std::min(w - pad * 2, ui.chip_width(read) + pad * 2))) {
            s.consent_open = true;
            s.consent_jump = true;
        }
        ImGui::EndGroup();
        const ImVec2 bottom(top.x + w, ImGui::GetItemRectMax().y + pad);
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled(top, bottom, color::kCard, 12);
        dl->AddRect(top, bottom, color::kLine, 12);
        dl->ChannelsMerge();
        ImGui::SetCursorScreenPos(ImVec2(top.x, bottom.y));
        ImGui::Dummy(ImVec2(w, 1));
    }

    // The consent's full text over the question: a box that scrolls, and the way back to the name.
    void consent_full() {
        const std::string back = ui.tr("kiosk.consent_close");
        if (ui.chip("kiosk.consent.close", back, false, ui.chip_width(back) + ui.layout().pad * 2)) {
            s.consent_open = false;
            return;
        }
        ImGui::BeginChild("kiosk.consent.text", ImVec2(0, 0), true);
        if (s.consent_jump) {
            ImGui::SetScrollY(0);
            s.consent_jump = false;
        }
        consent_text();
        ui.drag_scroll();
        ImGui::EndChild();
    }

    // 电话: the number shown large, typed on a keypad (no keyboard needed) that always fits:
    // beside the number in landscape, under it in portrait, its keys shorter if they must be.
    void phone_step() {
        question(
            ui.tr("kiosk.q.phone"),
            [&] {
                const Layout& l = ui.layout();
                const float gx = ImGui::GetStyle().ItemSpacing.x;
                const float avail = ImGui::GetContentRegionAvail().x;
                const float pad_w = l.portrait ? avail : std::min(avail * 0.5f, l.touch * 3 * 2.2f);
                const float box_w = l.portrait ? avail : avail - pad_w - gx * 2;
                ImGui::BeginGroup();
                const std::string shown = s.form.phone.empty() ? ui.tr("kiosk.phone_hint") : s.form.phone;
                ui.note_text(shown);
                ImGui::PushStyleColor(ImGuiCol_ChildBg, color::kCard);
                ImGui::BeginChild("kiosk.phone.box", ImVec2(box_w, l.touch), true, ImGuiWindowFlags_NoScrollbar);
                ui.push_heading_font();
                ImGui::SetCursorPosY((l.touch - ImGui::GetFontSize()) / 2 - 2);
                ImGui::PushStyleColor(ImGuiCol_Text, s.form.phone.empty() ? color::kMuted : color::kText);
                ImGui::TextUnformatted(shown.c_str());
                ImGui::PopStyleColor();
                ImGui::PopFont();
                ImGui::EndChild();
                ImGui::PopStyleColor();
                ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + box_w);
                error_of("phone");
                ImGui::PopTextWrapPos();
                ImGui::EndGroup();
                if (!l.portrait) ImGui::SameLine(0, gx * 2);
                keypad(pad_w);
            },
            "kiosk.next", ui.tr("kiosk.next"));
    }

    // 1-9, then 删除 0 —: keys as tall as a finger needs (taller where there is room), shorter only
    // when the space left is less.
    void keypad(float width) {
        const float gx = ImGui::GetStyle().ItemSpacing.x, gy = ImGui::GetStyle().ItemSpacing.y;
        const float kw = (width - 2 * gx) / 3;
        const float room = ImGui::GetContentRegionAvail().y - 3 * gy - 2;
        const float kh = std::clamp(room / 4, ui.layout().touch * 0.75f, ui.layout().touch * 1.3f);
        static const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "erase", "0", "-"};
        const float x0 = ImGui::GetCursorPosX();
        ImGui::BeginGroup();
        ui.push_heading_font();
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding,
                            ImVec2(ImGui::GetStyle().FramePadding.x, (kh - ImGui::GetFontSize()) / 2));
        for (int i = 0; i < 12; ++i) {
            if (i % 3)
                ImGui::SameLine();
            else
                ImGui::SetCursorPosX(x0);
            const std::string k = keys[i];
            const std::string label = k == "erase" ? ui.tr("kiosk.erase") : k == "-" ? "—" : k;
            const std::string id = "kiosk.pad." + (k == "-" ? std::string("dash") : k);
            if (key_button(id, label, kw, kh)) {
                if (k == "erase") {
                    if (!s.form.phone.empty()) s.form.phone.pop_back();
                } else if (s.form.phone.size() < 16) {
                    s.form.phone += k;
                }
                s.form.errors.erase("phone");
            }
        }
        ImGui::PopStyleVar();
        ImGui::PopFont();
        ImGui::EndGroup();
    }
    bool key_button(const std::string& id, const std::string& label, float w, float h) {
        ui.note_text(label);
        const bool pressed = ImGui::Button((label + "##" + id).c_str(), ImVec2(w, h));
        ui.record(id, label);
        return pressed;
    }

    // 事项 (optional): common topics as chips (each files it under its category), and a few words.
    void topic_step() {
        question(
            ui.tr("kiosk.q.topic"),
            [&] {
                const Layout& l = ui.layout();
                ui.muted(ui.tr("kiosk.topic_optional"));
                gap(4);
                static const struct {
                    const char *id, *category;
                } chips[] = {{"streetlight", "urban"}, {"elevator", "urban"},  {"property", "governance"},
                             {"noise", "environment"}, {"pension", "welfare"}, {"medical", "health"},
                             {"school", "education"},  {"bus", "transport"},   {"wages", "employment"}};
                bool first = true;
                for (const auto& c : chips) {
                    const std::string label = ui.tr(std::string("kiosk.chip.") + c.id);
                    const float cw = std::max(ui.chip_width(label), l.touch * 1.8f);
                    ui.flow(cw, first);
                    first = false;
                    const bool on = s.form.topic_chip == c.id;
                    if (ui.chip(std::string("kiosk.chip.") + c.id, label, on, cw)) {
                        s.form.topic_chip = on ? "" : c.id;
                        s.form.category = on ? "" : c.category;
                        s.form.errors.erase("topic");
                    }
                }
                gap(l.font * 0.5f);
                ui.label(ui.tr("kiosk.topic"));
                if (ui.input_multiline("kiosk.topic", s.form.topic, l.touch * 1.6f, -1, domain::kShortTextChars))
                    s.form.errors.erase("topic");
                error_of("topic");
            },
            "kiosk.next", ui.tr("kiosk.next"));
    }

    void deputy() {
        question(
            ui.tr("kiosk.deputy_title"),
            [&] {
                const Layout& l = ui.layout();
                // Nobody on duty: said plainly where the hint would be, and 不指定 is all there is.
                if (s.duty_deputies.empty())
                    ui.text(ui.tr("kiosk.deputy_none_today"));
                else
                    ui.muted(ui.tr("kiosk.deputy_hint"));
                gap(8);
                const float w = ImGui::GetContentRegionAvail().x;
                const float cw = l.portrait ? w : (w - ImGui::GetStyle().ItemSpacing.x) / 2;
                int n = 0;
                auto choice = [&](const std::string& id, const std::string& label) {
                    if (n++ % 2 && !l.portrait) ImGui::SameLine();
                    ui.push_heading_font();
                    if (ui.chip("kiosk.deputy." + (id.empty() ? std::string("none") : id), label,
                                s.form.deputy_id == id, cw))
                        s.form.deputy_id = id;
                    ImGui::PopFont();
                };
                choice("", ui.tr("kiosk.deputy_any"));
                for (const auto& d : s.duty_deputies) choice(d.id, d.label);
                if (!s.error.empty()) {
                    gap(8);
                    ui.error(ui.tr("kiosk.take_failed") + " " + s.error);
                }
            },
            "kiosk.take", ui.tr("kiosk.take"), KioskAction::Take);
    }

    void ticket() {
        const Layout& l = ui.layout();
        const float h = ImGui::GetContentRegionAvail().y;
        gap(h * (l.portrait ? 0.12f : 0.04f));
        centred(ui.tr("kiosk.your_number"), 1.0f, color::kMuted);
        gap(l.font * 0.5f);
        centred(s.ticket_label, 1.0f, color::kPrimary, true);
        gap(l.font * 0.5f);
        centred(
            s.ticket_ahead > 0 ? ui.fmt("kiosk.ahead", {std::to_string(s.ticket_ahead)}) : ui.tr("kiosk.ahead_none"),
            1.0f);
        gap(l.font * 0.5f);
        centred(ui.tr(s.print_failed ? "kiosk.print_failed" : "kiosk.ticket_hint"), 0.7f,
                s.print_failed ? color::kError : color::kMuted);
        gap(l.font * 1.5f);
        const float bw = std::min(ImGui::GetContentRegionAvail().x, std::max(l.width * 0.4f, 320.0f));
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - bw) / 2);
        if (big_button("kiosk.done", ui.tr("kiosk.done"), bw)) act(KioskAction::Done);
        gap(l.font);
        if (s.ticket_left_s > 0)
            centred(ui.fmt("kiosk.ticket_closes", {std::to_string(s.ticket_left_s)}), 0.6f, color::kMuted);
        centred_help();
    }

    // 还在吗？: the idle reset is near. The screen dims, a card counts down, and a big 继续 keeps
    // everything typed; any other input keeps it too. Nothing under the scrim takes a tap.
    void idle_sheet() {
        if (s.countdown_s <= 0) return;
        const Layout& l = ui.layout();
        const ImVec2 display = ImGui::GetIO().DisplaySize;
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(display);
        ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(0, 0, 0, 130));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
        // Not focused on appearing: a field being typed in stays active, its text untouched.
        ImGui::Begin("##kiosk.idle.scrim", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoFocusOnAppearing);
        ImGui::PopStyleVar();
        ImGui::PopStyleColor();
        const float margin = l.pad * 2;
        // Wide enough for the message on one or two lines: the whole width in portrait.
        const float w =
            l.portrait ? display.x - margin * 2 : std::min(display.x - margin * 2, std::max(560.0f, display.x * 0.6f));
        const float pad = l.pad * 2;
        const float text_w = w - pad * 2;
        const std::string title = ui.tr("kiosk.idle_title");
        const std::string left = ui.fmt("kiosk.idle_left", {std::to_string(s.countdown_s)});
        const std::string what = ui.tr("kiosk.idle_text");
        // Its height, as drawn below: three texts, three gaps, the button, spacing after each but the last.
        const float sy = ImGui::GetStyle().ItemSpacing.y, button_pad = l.touch * 0.3f;
        ui.push_heading_font();
        const float button_h = ImGui::GetFontSize() + button_pad * 2;
        ImGui::PopFont();
        const float h = pad * 2 + centred_h(title, 1.3f, text_w) + centred_h(left, 1.0f, text_w) +
                        centred_h(what, 0.75f, text_w) + 8 + l.font + sy * 6 + button_h;
        ImGui::SetCursorScreenPos(ImVec2((display.x - w) / 2, std::max(margin, (display.y - h) / 2)));
        ImGui::PushStyleColor(ImGuiCol_ChildBg, color::kCard);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad, pad));
        ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 18.0f);
        ImGui::BeginChild("kiosk.idle.card", ImVec2(w, std::min(h, display.y - margin * 2)), false,
                          ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar);
        centred(title, 1.3f);
        gap(4);
        centred(left, 1.0f, color::kPrimary);
        gap(4);
        centred(what, 0.75f, color::kMuted);
        gap(l.font);
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(24, button_pad));
        if (big_button("kiosk.idle.continue", ui.tr("kiosk.idle_continue"), ImGui::GetContentRegionAvail().x))
            act(KioskAction::StillHere);
        ImGui::PopStyleVar();
        ImGui::EndChild();
        ImGui::PopStyleVar(2);
        ImGui::PopStyleColor();
        ImGui::End();
    }
};

bool any_input() {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.MouseClicked[0] || io.MouseReleased[0] || io.MouseWheel != 0.0f || io.MouseWheelH != 0.0f ||
        io.InputQueueCharacters.Size > 0)
        return true;
    // A finger dragging (the consent text read by scrolling it): SDL turns touch into mouse input.
    if (io.MouseDown[0] && (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f)) return true;
    for (ImGuiKey k : {ImGuiKey_Backspace, ImGuiKey_Enter, ImGuiKey_Delete, ImGuiKey_LeftArrow, ImGuiKey_RightArrow,
                       ImGuiKey_Tab, ImGuiKey_Space})
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(k))) return true;
    return false;
}
}  // namespace

void draw_kiosk(Ui& ui, KioskState& s, const RefData& ref) {
    // A new visitor: nothing ImGui holds (the active field, its edit buffer) may carry over.
    if (s.drawn_session != s.session) {
        ImGui::ClearActiveID();
        s.drawn_session = s.session;
    }
    if (any_input()) ui.emit(intent::Kiosk{intent::KioskAction::Touch, {}});
    Kiosk k{ui, s, ref};
    ImGui::PushID(s.session);  // every visitor's fields have ids of their own
    k.top_bar();
    switch (s.step) {
        case KioskStep::Name: k.name_step(); break;
        case KioskStep::Phone: k.phone_step(); break;
        case KioskStep::Topic: k.topic_step(); break;
        case KioskStep::Deputy: k.deputy(); break;
        case KioskStep::Ticket: k.ticket(); break;
        case KioskStep::Declined: k.declined(); break;
    }
    ImGui::PopID();
    k.idle_sheet();
}

}  // namespace liaison::ui
