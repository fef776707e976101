#include <algorithm>
#include <charconv>
#include <cmath>

#include <imgui_internal.h>

#include "client/ui/field_checks.h"
#include "client/ui/text_wrap.h"
#include "client/ui/ui.h"

namespace liaison::ui {

const char* view_name(View v) {
    switch (v) {
        case View::FirstRun: return "first-run";
        case View::Home: return "home";
        case View::Visits: return "visits";
        case View::VisitForm: return "visit-form";
        case View::VisitDetail: return "visit-detail";
        case View::Sync: return "sync";
        case View::Settings: return "settings";
        case View::Kiosk: return "kiosk";
        case View::Queue: return "queue";
        case View::CaseBoard: return "cases";
        case View::CaseDetail: return "case-detail";
        case View::CaseForm: return "case-form";
        case View::DeputyRecord: return "deputy-record";
        case View::Stats: return "stats";
        case View::SignIn: return "sign-in";
    }
    return "home";
}

std::optional<View> view_from_name(const std::string& n) {
    for (View v :
         {View::FirstRun, View::Home, View::Visits, View::VisitForm, View::VisitDetail, View::Sync, View::Settings,
          View::Kiosk, View::Queue, View::CaseBoard, View::CaseDetail, View::CaseForm, View::DeputyRecord, View::Stats})
        if (n == view_name(v)) return v;
    return std::nullopt;
}

std::string channel_key(const std::string& code) { return "channel." + code; }
std::string route_key(const std::string& code) { return code.empty() ? "route.none" : "route." + code; }

namespace {
ImVec4 v4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

// ImGui's InputText on a std::string: grow the string when ImGui needs more room, and insert
// text ImGui's character filter would drop (stand-ins for characters beyond the BMP).
struct FieldData {
    std::string* s;
    Ui* ui;
    size_t max_chars = 0;  // 0: no limit
};

// Cuts the text after max_chars characters, so a paste cannot make a field the store refuses.
void clip_field(ImGuiInputTextCallbackData* d, size_t max_chars) {
    if (max_chars == 0 || static_cast<size_t>(d->BufTextLen) <= max_chars) return;
    size_t chars = 0;
    for (int i = 0; i < d->BufTextLen; ++i) {
        if ((static_cast<unsigned char>(d->Buf[i]) & 0xc0) == 0x80) continue;
        if (++chars > max_chars) {
            d->DeleteChars(i, d->BufTextLen - i);
            d->CursorPos = std::min(d->CursorPos, d->BufTextLen);
            d->SelectionStart = d->SelectionEnd = d->CursorPos;
            return;
        }
    }
}

// Text typed by a script or the IME at the cursor, replacing the selection; false if none.
bool insert_typed(ImGuiInputTextCallbackData* d, const std::string& ins) {
    if (ins.empty()) return false;
    if (d->HasSelection()) {
        const int a = std::min(d->SelectionStart, d->SelectionEnd), b = std::max(d->SelectionStart, d->SelectionEnd);
        d->DeleteChars(a, b - a);
        d->CursorPos = a;
    }
    d->InsertChars(d->CursorPos, ins.c_str(), ins.c_str() + ins.size());
    return true;
}

int field_callback(ImGuiInputTextCallbackData* d) {
    auto* f = static_cast<FieldData*>(d->UserData);
    if (d->EventFlag == ImGuiInputTextFlags_CallbackEdit) {
        clip_field(d, f->max_chars);
    } else if (d->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        f->s->resize(static_cast<size_t>(d->BufTextLen));
        d->Buf = f->s->data();
    } else if (d->EventFlag == ImGuiInputTextFlags_CallbackAlways && f->ui) {
        if (insert_typed(d, f->ui->take_insert())) {
            d->SelectionStart = d->SelectionEnd = d->CursorPos;
            clip_field(d, f->max_chars);
        }
    }
    return 0;
}

bool has_stand_in(const std::string& s) {
    for (size_t i = 0; i < s.size();) {
        const char32_t c = next_codepoint(s, i);
        if (c >= 0xE000 && c <= 0xF8FF) return true;
    }
    return false;
}

std::string imgui_id(std::string_view id) { return "##" + std::string(id); }
}  // namespace

void apply_style(const Layout& l) {
    ImGuiStyle& st = ImGui::GetStyle();
    st = ImGuiStyle();
    ImGui::StyleColorsLight(&st);
    const float pad_y = std::max(8.0f, std::floor((l.touch - l.font) / 2.0f));
    st.FramePadding = ImVec2(12, pad_y);  // frame height = font + 2*pad_y >= touch
    st.ItemSpacing = ImVec2(12, 10);
    st.ItemInnerSpacing = ImVec2(10, 8);
    st.WindowPadding = ImVec2(l.pad, l.pad);
    st.ScrollbarSize = 22;  // a finger can hold it
    st.GrabMinSize = 40;
    st.FrameRounding = 8;
    st.ChildRounding = 10;
    st.PopupRounding = 8;
    st.ScrollbarRounding = 10;
    st.GrabRounding = 8;
    st.WindowRounding = 0;
    st.WindowBorderSize = 0;
    st.ChildBorderSize = 1;
    st.FrameBorderSize = 1;
    st.TouchExtraPadding = ImVec2(2, 2);
    auto* c = st.Colors;
    c[ImGuiCol_Text] = v4(color::kText);
    c[ImGuiCol_TextDisabled] = v4(IM_COL32(150, 150, 150, 255));
    c[ImGuiCol_WindowBg] = v4(color::kBackground);
    c[ImGuiCol_ChildBg] = v4(color::kCard);
    c[ImGuiCol_PopupBg] = v4(color::kCard);
    c[ImGuiCol_Border] = v4(color::kLine);
    c[ImGuiCol_FrameBg] = v4(IM_COL32(255, 255, 255, 255));
    c[ImGuiCol_FrameBgHovered] = v4(IM_COL32(250, 246, 246, 255));
    c[ImGuiCol_FrameBgActive] = v4(IM_COL32(255, 250, 250, 255));
    c[ImGuiCol_Button] = v4(IM_COL32(238, 238, 238, 255));
    c[ImGuiCol_ButtonHovered] = v4(IM_COL32(224, 224, 224, 255));
    c[ImGuiCol_ButtonActive] = v4(IM_COL32(210, 210, 210, 255));
    c[ImGuiCol_Header] = v4(color::kSelected);
    c[ImGuiCol_HeaderHovered] = v4(IM_COL32(250, 240, 240, 255));
    c[ImGuiCol_HeaderActive] = v4(IM_COL32(255, 225, 225, 255));
    c[ImGuiCol_CheckMark] = v4(color::kPrimary);
    c[ImGuiCol_TextSelectedBg] = v4(IM_COL32(255, 205, 210, 255));
    c[ImGuiCol_NavHighlight] = v4(color::kPrimary);
    c[ImGuiCol_ScrollbarBg] = v4(IM_COL32(240, 240, 240, 255));
    c[ImGuiCol_TableHeaderBg] = v4(IM_COL32(240, 240, 236, 255));
    c[ImGuiCol_TableBorderLight] = v4(color::kLine);
    c[ImGuiCol_TableBorderStrong] = v4(color::kLine);
}

namespace {
// Wrap at the window/column edge unless the caller already chose a wrap position.
bool push_wrap() {
    if (ImGui::GetCurrentWindow()->DC.TextWrapPos >= 0.0f) return false;
    ImGui::PushTextWrapPos(0.0f);
    return true;
}
}  // namespace

void Ui::type_text(const std::string& display) {
    if (has_stand_in(display))
        insert_ += display;  // the active field's callback inserts it next frame
    else
        ImGui::GetIO().AddInputCharactersUTF8(display.c_str());
}

void Ui::note_text(const std::string& s) {
    glyphs_->note(s);  // anything drawn gets a glyph by the next frame
    texts_.push_back(s);
}

void Ui::record(std::string_view id, const std::string& label) {
    const ImVec2 mn = ImGui::GetItemRectMin(), mx = ImGui::GetItemRectMax();
    const ImVec2 c((mn.x + mx.x) / 2, (mn.y + mx.y) / 2);
    const ImRect clip = ImGui::GetCurrentWindow()->ClipRect;
    // Whole: not cut by the display's edge nor by any window it sits in (a scrolled-off or
    // below-the-fold widget is not).
    const ImRect r(mn, mx);
    const float slack = 1.0f;  // borders drawn on a window's edge
    ImRect room(ImVec2(0, 0), ImGui::GetIO().DisplaySize);
    for (ImGuiWindow* w = ImGui::GetCurrentWindow(); w; w = w->ParentWindow) {
        room.ClipWith(w->Rect());
        if (!(w->Flags & ImGuiWindowFlags_ChildWindow)) break;
    }
    room.Expand(slack);
    widgets_.push_back({std::string(id), label, mn, mx, !(ImGui::GetItemFlags() & ImGuiItemFlags_Disabled),
                        clip.Contains(c), room.Contains(r)});
    if (!scroll_to_.empty() && scroll_to_ == id) {
        // Scroll the nearest window that can: a fixed-size group box (a child window that
        // fits its content) sits inside the view's scrolling region.
        ImGuiWindow* w = ImGui::GetCurrentWindow();
        while (w->ScrollMax.y <= 0 && (w->Flags & ImGuiWindowFlags_ChildWindow) && w->ParentWindow) w = w->ParentWindow;
        ImGui::SetScrollFromPosY(w, c.y - w->Pos.y, 0.5f);
        scroll_to_.clear();
    }
}

void Ui::text(const std::string& s) {
    note_text(s);
    const bool wrap = push_wrap();
    ImGui::TextUnformatted(s.c_str(), s.c_str() + s.size());
    if (wrap) ImGui::PopTextWrapPos();
}

void Ui::heading(const std::string& s) {
    note_text(s);
    push_heading_font();
    const bool wrap = push_wrap();
    ImGui::TextUnformatted(s.c_str(), s.c_str() + s.size());
    if (wrap) ImGui::PopTextWrapPos();
    ImGui::PopFont();
}

void Ui::push_heading_font() {
    ImFontAtlas* fonts = ImGui::GetIO().Fonts;
    ImGui::PushFont(fonts->Fonts.Size > 1 ? fonts->Fonts[1] : fonts->Fonts[0]);
}

float Ui::push_title_font(float scale) {
    ImFontAtlas* fonts = ImGui::GetIO().Fonts;
    if (scale > 1.2f && fonts->Fonts.Size > 3) {
        ImGui::PushFont(fonts->Fonts[3]);
        return ImGui::GetFontSize() * scale * Glyphs::kHeadingScale / Glyphs::kTitleScale;
    }
    if (scale * Glyphs::kHeadingScale <= 1.1f) {  // small print: the body font, hardly scaled
        ImGui::PushFont(fonts->Fonts[0]);
        return ImGui::GetFontSize() * scale * Glyphs::kHeadingScale;
    }
    push_heading_font();
    return ImGui::GetFontSize() * scale;
}

void Ui::push_display_font() {
    ImFontAtlas* fonts = ImGui::GetIO().Fonts;
    ImGui::PushFont(fonts->Fonts[std::min(2, fonts->Fonts.Size - 1)]);
}

void Ui::muted(const std::string& s) {
    note_text(s);
    ImGui::PushStyleColor(ImGuiCol_Text, color::kMuted);
    const bool wrap = push_wrap();
    ImGui::TextUnformatted(s.c_str(), s.c_str() + s.size());
    if (wrap) ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void Ui::error(const std::string& s) {
    note_text(s);
    ImGui::PushStyleColor(ImGuiCol_Text, color::kError);
    const bool wrap = push_wrap();
    ImGui::TextUnformatted(s.c_str(), s.c_str() + s.size());
    if (wrap) ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void Ui::label(const std::string& s, bool required) {
    note_text(s);
    ImGui::PushStyleColor(ImGuiCol_Text, color::kMuted);
    ImGui::TextUnformatted(s.c_str(), s.c_str() + s.size());
    ImGui::PopStyleColor();
    if (required) {
        ImGui::SameLine(0, 4);
        ImGui::PushStyleColor(ImGuiCol_Text, color::kError);
        ImGui::TextUnformatted("*");
        ImGui::PopStyleColor();
    }
}

void Ui::cell(const std::string& s, float width, ImU32 col) {
    note_text(s);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    ImGui::PushStyleColor(ImGuiCol_Text, col ? col : color::kText);
    ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), pos, ImVec2(pos.x + width, pos.y + h), pos.x + width,
                              pos.x + width, s.c_str(), s.c_str() + s.size(), nullptr);
    ImGui::PopStyleColor();
    ImGui::Dummy(ImVec2(width, h));
}

std::vector<std::string> Ui::wrap_lines(const std::string& s, float width, size_t max_lines) const {
    ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    const wrap::Advance advance = [font, scale](char32_t c) {
        return (c <= 0xFFFF ? font->GetCharAdvance(static_cast<ImWchar>(c)) : font->FallbackAdvanceX) * scale;
    };
    const wrap::Wrapped w = wrap::wrap(s, std::max(width, layout_.font), advance);
    std::vector<std::string> lines(1);
    for (size_t i = 0; i < w.text.size(); ++i) {
        if (w.text[i] != '\n') {
            lines.back() += w.text[i];
        } else if (lines.size() < std::max<size_t>(max_lines, 1)) {
            lines.emplace_back();
        } else if (!std::binary_search(w.soft.begin(), w.soft.end(), i)) {
            lines.back() += ' ';  // the text's own break, within the last line
        }
    }
    return lines;
}

bool Ui::button(std::string_view id, const std::string& label, float width, Tone tone, bool enabled) {
    note_text(label);
    int colors = 0;
    if (tone == Tone::Primary) {
        ImGui::PushStyleColor(ImGuiCol_Button, color::kPrimary);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, color::kPrimaryHover);
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, color::kPrimaryHover);
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32_WHITE);
        colors = 4;
    } else if (tone == Tone::Danger) {
        ImGui::PushStyleColor(ImGuiCol_Text, color::kError);
        colors = 1;
    } else if (tone == Tone::Quiet) {
        ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(0, 0, 0, 0));
        colors = 1;
    }
    if (!enabled) ImGui::BeginDisabled();
    const std::string full = label + imgui_id(id);
    const bool pressed = ImGui::Button(full.c_str(), ImVec2(width, std::max(layout_.touch, ImGui::GetFrameHeight())));
    if (!enabled) ImGui::EndDisabled();
    ImGui::PopStyleColor(colors);
    record(id, label);
    return pressed && enabled;
}

bool Ui::chip(std::string_view id, const std::string& label, bool selected, float width) {
    note_text(label);
    if (selected) {
        ImGui::PushStyleColor(ImGuiCol_Button, color::kSelected);
        ImGui::PushStyleColor(ImGuiCol_Border, color::kPrimary);
        ImGui::PushStyleColor(ImGuiCol_Text, color::kPrimary);
    } else {
        ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32_WHITE);
        ImGui::PushStyleColor(ImGuiCol_Border, color::kLine);
        ImGui::PushStyleColor(ImGuiCol_Text, color::kText);
    }
    const std::string full = label + imgui_id(id);
    const bool pressed = ImGui::Button(full.c_str(), ImVec2(width, std::max(layout_.touch, ImGui::GetFrameHeight())));
    ImGui::PopStyleColor(3);
    record(id, label);
    return pressed;
}

bool Ui::input(std::string_view id, std::string& value, const std::string& hint, float width, ImGuiInputTextFlags flags,
               size_t max_chars) {
    note_text(value);
    if (!hint.empty()) glyphs_->note(hint);
    ImGui::SetNextItemWidth(width);
    const std::string iid = imgui_id(id);
    FieldData fd{&value, this, max_chars};
    const bool changed =
        ImGui::InputTextWithHint(iid.c_str(), hint.c_str(), value.data(), value.capacity() + 1,
                                 flags | ImGuiInputTextFlags_CallbackResize | ImGuiInputTextFlags_CallbackAlways |
                                     ImGuiInputTextFlags_CallbackEdit,
                                 field_callback, &fd);
    record(id, hint);
    return changed;
}

namespace {
// A multi-line field's callback: the shared one (resize, stand-in inserts), then wrap again
// whenever the text changed, keeping the caret on the same character.
struct WrapData {
    FieldData field;
    Ui::WrapField* wrap;
    float width;
    const wrap::Advance* advance;
    size_t max_chars;
};

void clip_chars(std::string& s, size_t max_chars) {
    if (max_chars == 0) return;
    size_t chars = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
        if (++chars > max_chars) {
            s.resize(i);
            return;
        }
    }
}

int wrap_callback(ImGuiInputTextCallbackData* d) {
    auto* w = static_cast<WrapData*>(d->UserData);
    if (d->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        d->UserData = &w->field;
        field_callback(d);
        d->UserData = w;
        return 0;
    }
    if (d->EventFlag == ImGuiInputTextFlags_CallbackAlways && w->field.ui) {
        insert_typed(d, w->field.ui->take_insert());
    }
    const std::string now(d->Buf, static_cast<size_t>(d->BufTextLen));
    if (now == w->wrap->text) return 0;
    wrap::Edit e = wrap::after_edit(w->wrap->text, w->wrap->soft, now, static_cast<size_t>(d->CursorPos));
    clip_chars(e.plain, w->max_chars);
    e.cursor = std::min(e.cursor, e.plain.size());
    wrap::Wrapped wr = wrap::wrap(e.plain, w->width, *w->advance);
    if (wr.text != now) {
        d->DeleteChars(0, d->BufTextLen);
        d->InsertChars(0, wr.text.c_str(), wr.text.c_str() + wr.text.size());
    }
    d->CursorPos = static_cast<int>(wrap::to_wrapped(wr, e.cursor));
    d->SelectionStart = d->SelectionEnd = d->CursorPos;
    w->wrap->text = std::move(wr.text);
    w->wrap->soft = std::move(wr.soft);
    return 0;
}
}  // namespace

bool Ui::input_multiline(std::string_view id, std::string& value, float height, float width, size_t max_chars) {
    note_text(value);
    const std::string iid = imgui_id(id);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float w = width > 0 ? width : std::max(4.0f, ImGui::GetContentRegionAvail().x + width);
    // The lines' room: the field less its padding and the scrollbar it grows when the text is long.
    const float room = std::max(layout_.font * 2, w - st.FramePadding.x * 2 - st.ScrollbarSize - 2);
    ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    const wrap::Advance advance = [font, scale](char32_t c) {
        return (c <= 0xFFFF ? font->GetCharAdvance(static_cast<ImWchar>(c)) : font->FallbackAdvanceX) * scale;
    };
    auto it = wraps_.find(id);
    if (it == wraps_.end()) it = wraps_.emplace(std::string(id), WrapField{}).first;
    WrapField& wf = it->second;
    // Not being edited: wrap the stored text afresh (a new width, a restored draft, a new visitor).
    if (ImGui::GetActiveID() != ImGui::GetID(iid.c_str())) {
        wrap::Wrapped wr = wrap::wrap(value, room, advance);
        wf.text = std::move(wr.text);
        wf.soft = std::move(wr.soft);
    }
    std::string buf = wf.text;
    WrapData wd{{&buf, this, 0}, &wf, room, &advance, max_chars};
    const bool changed = ImGui::InputTextMultiline(
        iid.c_str(), buf.data(), buf.capacity() + 1, ImVec2(w, height),
        ImGuiInputTextFlags_CallbackResize | ImGuiInputTextFlags_CallbackAlways | ImGuiInputTextFlags_CallbackEdit,
        wrap_callback, &wd);
    if (changed) value = wrap::strip(wf.text, wf.soft);
    record(id, "");
    // The box the shown lines take, one line tall: wider than the field means text runs off.
    const ImVec2 mn = ImGui::GetItemRectMin();
    float widest = 0;
    for (size_t a = 0; a <= wf.text.size();) {
        size_t b = wf.text.find('\n', a);
        if (b == std::string::npos) b = wf.text.size();
        widest = std::max(widest, ImGui::CalcTextSize(wf.text.c_str() + a, wf.text.c_str() + b).x);
        a = b + 1;
    }
    const ImVec2 tmin(mn.x + st.FramePadding.x, mn.y + st.FramePadding.y);
    const ImVec2 tmax(tmin.x + widest, tmin.y + ImGui::GetTextLineHeight());
    ImRect room_rect(ImVec2(0, 0), ImGui::GetIO().DisplaySize);
    for (ImGuiWindow* win = ImGui::GetCurrentWindow(); win; win = win->ParentWindow) {
        room_rect.ClipWith(win->Rect());
        if (!(win->Flags & ImGuiWindowFlags_ChildWindow)) break;
    }
    room_rect.Max.x = std::min(room_rect.Max.x, mn.x + w);  // and inside the field itself
    room_rect.Expand(1.0f);
    widgets_.push_back({std::string(id) + ".text", "", tmin, tmax, true, true, room_rect.Contains(ImRect(tmin, tmax))});
    return changed;
}

bool Ui::combo(std::string_view id, const std::vector<Choice>& choices, std::string& value,
               const std::string& none_label, float width) {
    std::string preview = none_label;
    for (const auto& c : choices)
        if (c.id == value) preview = c.label;
    note_text(preview);
    ImGui::SetNextItemWidth(width);
    bool changed = false;
    const std::string iid = imgui_id(id);
    // Tall enough for a finger, not taller than the screen.
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(FLT_MAX, layout_.height * 0.6f));
    const bool open = ImGui::BeginCombo(iid.c_str(), preview.c_str(), ImGuiComboFlags_HeightLargest);
    record(id, preview);
    if (open) {
        auto item = [&](const std::string& cid, const std::string& label) {
            note_text(label);
            const bool sel = cid == value;
            const std::string full = label + "##" + std::string(id) + "." + cid;
            if (ImGui::Selectable(full.c_str(), sel, 0, ImVec2(0, layout_.touch))) {
                changed = value != cid;
                value = cid;
            }
            record(std::string(id) + "." + (cid.empty() ? "none" : cid), label);
            if (sel) ImGui::SetItemDefaultFocus();
        };
        if (!none_label.empty()) item("", none_label);
        for (const auto& c : choices) item(c.id, c.label);
        drag_scroll();
        ImGui::EndCombo();
    }
    return changed;
}

int Ui::confirm_sheet(std::string_view id, const std::string& question, const std::string& consequence,
                      const std::string& confirm, const std::string& cancel, Tone confirm_tone) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    // The dimmed screen: a window of its own on top, so nothing under it takes a tap.
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(display);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(0, 0, 0, 110));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    const std::string scrim = "##" + std::string(id) + ".scrim";
    ImGui::Begin(scrim.c_str(), nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    // The sheet along the bottom, as wide as the screen up to a comfortable reading width.
    const float w = std::min(display.x, std::max(560.0f, display.x * 0.6f));
    const float pad = layout_.pad * 1.5f;
    ImGui::SetCursorScreenPos(ImVec2((display.x - w) / 2, 0));
    const float text_w = w - pad * 2;
    ImGui::PushFont(ImGui::GetIO().Fonts->Fonts.Size > 1 ? ImGui::GetIO().Fonts->Fonts[1] : ImGui::GetFont());
    const float qh = ImGui::CalcTextSize(question.c_str(), nullptr, false, text_w).y;
    ImGui::PopFont();
    const float ch = ImGui::CalcTextSize(consequence.c_str(), nullptr, false, text_w).y;
    const float h = pad * 2 + qh + ch + layout_.touch + ImGui::GetStyle().ItemSpacing.y * 4;
    ImGui::SetCursorScreenPos(ImVec2((display.x - w) / 2, display.y - h));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, color::kCard);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad, pad));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 16.0f);
    ImGui::BeginChild(("##" + std::string(id)).c_str(), ImVec2(w, h), false,
                      ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar);
    heading(question);
    ImGui::Dummy(ImVec2(0, 2));
    text(consequence);
    ImGui::Dummy(ImVec2(0, 4));
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float bw = (ImGui::GetContentRegionAvail().x - gap) / 2;
    int r = 0;
    if (button(std::string(id) + ".cancel", cancel, bw)) r = -1;
    ImGui::SameLine();
    if (button(std::string(id) + ".confirm", confirm, bw, confirm_tone == Tone::Danger ? Tone::Primary : confirm_tone))
        r = 1;
    ImGui::EndChild();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor();
    ImGui::End();
    return r;
}

bool Ui::stepper(std::string_view id, int64_t& value, int64_t min, int64_t max) {
    bool changed = false;
    const float t = layout_.touch;
    if (button(std::string(id) + ".minus", "-", t, Tone::Normal, value > min)) {
        --value;
        changed = true;
    }
    ImGui::SameLine();
    std::string num = std::to_string(value);
    ImGui::SetNextItemWidth(t * 1.6f);
    const std::string iid = imgui_id(id);
    FieldData fd{&num, nullptr};
    if (ImGui::InputText(iid.c_str(), num.data(), num.capacity() + 1,
                         ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_CallbackResize, field_callback, &fd)) {
        int64_t typed = 0;
        const char* first = num.data() + (!num.empty() && num[0] == '+');
        if (num.empty())
            value = min;
        else if (std::from_chars(first, num.data() + num.size(), typed).ec == std::errc())
            value = std::clamp<int64_t>(typed, min, max);
        // else not a number yet: keep the old value
        changed = true;
    }
    record(id, "");
    ImGui::SameLine();
    if (button(std::string(id) + ".plus", "+", t, Tone::Normal, value < max)) {
        ++value;
        changed = true;
    }
    return changed;
}

void Ui::drag_scroll() {
    // A finger drag on the window scrolls it, also when it started on a button: the button then
    // loses its press so lifting the finger does not tap it. Text fields keep their drag (selection).
    ImGuiIO& io = ImGui::GetIO();
    if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem | ImGuiHoveredFlags_ChildWindows))
        return;
    if (!ImGui::IsMouseDragging(ImGuiMouseButton_Left, layout_.touch / 4) || io.MouseDelta.y == 0.0f) return;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.ActiveId != 0) {
        if (io.WantTextInput || g.ActiveIdWindow != ImGui::GetCurrentWindow()) return;
        ImGui::ClearActiveID();
    }
    ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
}

float Ui::label_width(std::initializer_list<const char*> keys) const {
    float w = 0;
    for (const char* k : keys) w = std::max(w, ImGui::CalcTextSize(tr(k).c_str()).x);
    return w + layout_.font;
}

void Ui::begin_card() {
    const ImVec2 pad = ImGui::GetStyle().WindowPadding;
    ImGuiWindow* w = ImGui::GetCurrentWindow();
    w->DrawList->ChannelsSplit(2);  // the card is drawn behind its content once its height is known
    w->DrawList->ChannelsSetCurrent(1);
    card_top_ = ImGui::GetCursorScreenPos();
    card_w_ = ImGui::GetContentRegionAvail().x;
    ImGui::SetCursorScreenPos(ImVec2(card_top_.x + pad.x, card_top_.y + pad.y));
    ImGui::BeginGroup();
    // Text wraps, and fields size themselves, inside the card's right padding.
    w->ContentRegionRect.Max.x -= pad.x;
    w->WorkRect.Max.x -= pad.x;
}

void Ui::end_card() {
    const ImVec2 pad = ImGui::GetStyle().WindowPadding;
    ImGuiWindow* w = ImGui::GetCurrentWindow();
    w->ContentRegionRect.Max.x += pad.x;
    w->WorkRect.Max.x += pad.x;
    ImGui::EndGroup();
    const ImVec2 bottom(card_top_.x + card_w_, ImGui::GetItemRectMax().y + pad.y);
    w->DrawList->ChannelsSetCurrent(0);
    const float rounding = ImGui::GetStyle().ChildRounding;
    w->DrawList->AddRectFilled(card_top_, bottom, color::kCard, rounding);
    w->DrawList->AddRect(card_top_, bottom, ImGui::GetColorU32(ImGuiCol_Border), rounding);
    w->DrawList->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(card_top_.x, bottom.y));
    ImGui::Dummy(ImVec2(card_w_, 0));
}

void Ui::begin_scroll(const char* id, ImVec2 size) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(0, 0, 0, 0));
    ImGui::BeginChild(id, size, false);
    ImGui::PopStyleColor();
}

void Ui::flow(float item_width, bool first) {
    // Wrap a row of chips: stay on this line while the next one fits.
    if (first) return;
    const float right = ImGui::GetContentRegionMaxAbs().x;  // honours table columns
    const float x = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
    if (x + item_width <= right) ImGui::SameLine();
}

float Ui::chip_width(const std::string& label) const {
    return ImGui::CalcTextSize(label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2 + 8;
}

void validate_form(VisitFormState& s) {
    s.errors.clear();
    if (!checks::datetime(s.received_at)) s.errors["received_at"] = "form.err.time";
    if (s.category.empty()) s.errors["category"] = "form.err.category";
    if (s.subject.empty()) s.errors["subject"] = "form.err.subject";
    if (s.people < 1) s.errors["people"] = "form.err.people";
    if (s.route == "legal_channel" && s.route_reason.empty()) s.errors["route_reason"] = "form.err.reason";
    if (!s.visitor_phone.empty() && !checks::phone(s.visitor_phone)) s.errors["visitor_phone"] = "form.err.phone";
}

}  // namespace liaison::ui
