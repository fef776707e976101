// The context every view draws with: translations, the glyph collector, layout metrics, the
// intents a view emits, and a record of widgets and text drawn (for scripted tests).
// Widgets are touch sized: every tappable thing is at least Layout::touch points tall.
#pragma once
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "domain/rules.h"

#include "client/ui/glyphs.h"
#include "client/ui/i18n.h"
#include "client/ui/state.h"

namespace liaison::ui {

struct Layout {
    float width = 1280, height = 800;  // logical points of the content area's window
    bool portrait = false;
    float touch = 48;  // minimum touch target
    float pad = 16;    // outer padding
    float font = 20;
};

struct WidgetRecord {
    std::string id, label;
    ImVec2 min, max;
    bool enabled = true;
    bool visible = true;  // its centre is inside the visible part of its window
    bool whole = true;    // all of it is inside its window, every enclosing window and the display
};

enum class Tone { Normal, Primary, Danger, Quiet };

class Ui {
public:
    Ui(const I18n& t, Glyphs& g) : t_(&t), glyphs_(&g) {}
    void begin_frame(const I18n& t, const Layout& l) {
        t_ = &t;
        layout_ = l;
        widgets_.clear();
        texts_.clear();
    }
    const Layout& layout() const { return layout_; }
    const std::string& tr(std::string_view key) const { return t_->tr(key); }
    std::string fmt(std::string_view key, const std::vector<std::string>& args) const { return t_->fmt(key, args); }
    Glyphs& glyphs() { return *glyphs_; }

    void emit(Intent i) { intents_.push_back(std::move(i)); }
    std::vector<Intent> take_intents() { return std::exchange(intents_, {}); }
    const std::vector<WidgetRecord>& widgets() const { return widgets_; }
    const std::vector<std::string>& texts() const { return texts_; }

    // ---- text ----
    void text(const std::string& s);     // wrapped body text
    void heading(const std::string& s);  // larger title (atlas font 1)
    void push_heading_font();            // pair with ImGui::PopFont()
    void push_display_font();            // ticket numbers: digits and capitals only
    // Text at `scale` x the heading size from the font nearest that size: the large-title font
    // when the atlas has it (kiosk), the heading font, or for small print the body font; returns
    // the size to draw at. Pair with ImGui::PopFont().
    float push_title_font(float scale);
    void muted(const std::string& s);                         // secondary text
    void error(const std::string& s);                         // red, wrapped
    void label(const std::string& s, bool required = false);  // a field's caption
    // Text clipped to `width` with an ellipsis (list cells).
    void cell(const std::string& s, float width, ImU32 color = 0);
    // `s` in lines of `width` in the current font (text_wrap.h), at most `max_lines`: the last
    // keeps the rest of the text, for cell() to end with an ellipsis (two-line card titles).
    std::vector<std::string> wrap_lines(const std::string& s, float width, size_t max_lines) const;

    // ---- controls (id: stable, language independent, used by scripts) ----
    bool button(std::string_view id, const std::string& label, float width = 0, Tone tone = Tone::Normal,
                bool enabled = true);
    bool chip(std::string_view id, const std::string& label, bool selected, float width = 0);
    // A text field holds at most max_chars characters (the domain's limits, docs/domain.md).
    bool input(std::string_view id, std::string& value, const std::string& hint = "", float width = -1,
               ImGuiInputTextFlags flags = 0, size_t max_chars = domain::kShortTextChars);
    // Wraps its lines at the field's width (soft breaks while editing, never stored: text_wrap.h).
    // Also records "<id>.text": the box the text's lines take, so a test sees text run off.
    bool input_multiline(std::string_view id, std::string& value, float height, float width = -1,
                         size_t max_chars = domain::kLongTextChars);
    // A touch-friendly drop-down; `none_label` is the empty choice when not empty.
    bool combo(std::string_view id, const std::vector<Choice>& choices, std::string& value,
               const std::string& none_label, float width = -1);
    // A bottom sheet asking to confirm what cannot be taken back lightly: the question, what
    // happens, and two wide buttons (ids "<id>.confirm", "<id>.cancel"). Drawn over everything,
    // which it blocks. Returns +1 confirmed, -1 cancelled, 0 still open.
    int confirm_sheet(std::string_view id, const std::string& question, const std::string& consequence,
                      const std::string& confirm, const std::string& cancel, Tone confirm_tone = Tone::Danger);
    // A - N + stepper for whole numbers.
    bool stepper(std::string_view id, int64_t& value, int64_t min, int64_t max);

    // A white bordered card as tall as what it holds, its content inset by the window padding and
    // wrapped inside it at any text size. Pair with end_card(); cards do not nest.
    void begin_card();
    void end_card();
    // A scrolling region on the page background (pair with ImGui::EndChild()).
    void begin_scroll(const char* id, ImVec2 size);
    // Lets a finger drag scroll the current window (ImGui 1.86 only scrolls by wheel/scrollbar).
    void drag_scroll();
    // Lays chips out in wrapping rows: call before each chip with its width.
    void flow(float item_width, bool first);
    float chip_width(const std::string& label) const;
    // Records the last ImGui item for scripts (controls call this themselves).
    void record(std::string_view id, const std::string& label);
    void note_text(const std::string& s);

    float button_height() const { return layout_.touch; }
    // Typed text (display form) for the active field. ImGui drops Private Use Area characters
    // typed as input, so text carrying a stand-in for a non-BMP character is inserted by the
    // field's callback instead (see Ui::input).
    void type_text(const std::string& display);
    std::string take_insert() { return std::exchange(insert_, {}); }
    // Scrolls the widget with this id into view when it is next drawn (scripts tap only what
    // a finger could reach).
    void scroll_to(std::string id) { scroll_to_ = std::move(id); }
    // Width of a label column: the widest of `keys`' translations plus a gap.
    float label_width(std::initializer_list<const char*> keys) const;

private:
    const I18n* t_;
    Glyphs* glyphs_;
    Layout layout_;
    std::vector<Intent> intents_;
    std::vector<WidgetRecord> widgets_;
    std::vector<std::string> texts_;
    std::string insert_;
    std::string scroll_to_;
    ImVec2 card_top_;  // begin_card(): where the card starts, and its width
    float card_w_ = 0;

public:
    struct WrapField {  // a multi-line field's edit text with its soft breaks (text_wrap.h)
        std::string text;
        std::vector<size_t> soft;
    };

private:
    std::map<std::string, WrapField, std::less<>> wraps_;  // by field id
};

// Colours of the app theme.
namespace color {
inline constexpr ImU32 kPrimary = IM_COL32(183, 28, 28, 255);  // deep red: the station's main action
inline constexpr ImU32 kPrimaryHover = IM_COL32(211, 47, 47, 255);
inline constexpr ImU32 kText = IM_COL32(33, 33, 33, 255);
inline constexpr ImU32 kMuted = IM_COL32(97, 97, 97, 255);
inline constexpr ImU32 kError = IM_COL32(198, 40, 40, 255);
inline constexpr ImU32 kOk = IM_COL32(46, 125, 50, 255);
inline constexpr ImU32 kWarn = IM_COL32(239, 108, 0, 255);
inline constexpr ImU32 kCard = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 kBackground = IM_COL32(245, 245, 242, 255);
inline constexpr ImU32 kNav = IM_COL32(250, 250, 250, 255);
inline constexpr ImU32 kLine = IM_COL32(224, 224, 224, 255);
inline constexpr ImU32 kSelected = IM_COL32(255, 235, 238, 255);
inline constexpr ImU32 kSelectedActive = IM_COL32(255, 205, 210, 255);  // a marked tile while pressed
}  // namespace color

// Applies the theme and touch sizes to the current ImGui style.
void apply_style(const Layout& l);

// Views: one per file.
void draw_nav(Ui& ui, View current, const SyncStatus& sync);
float nav_height(const Layout& l);  // of the bar along the bottom in portrait
void draw_first_run(Ui& ui, FirstRunState& s);
void draw_sign_in(Ui& ui, const SignInState& s);  // full screen, no nav bar
void draw_home(Ui& ui, const HomeState& s, const SyncStatus& sync, const RefData& ref);
void draw_visit_list(Ui& ui, VisitListState& s, const RefData& ref);
void draw_visit_form(Ui& ui, VisitFormState& s, const RefData& ref);
void draw_visit_detail(Ui& ui, const VisitDetailState& s, const RefData& ref);
void draw_sync(Ui& ui, SyncViewState& s);
void draw_settings(Ui& ui, SettingsState& s, const RefData& ref, const std::string& lang, float font_px);
void draw_kiosk(Ui& ui, KioskState& s, const RefData& ref);  // full screen, no nav bar
void draw_queue(Ui& ui, QueueState& s);                      // the desk's queue panel
// The calling display's whole window: for a TV across the room, its text size set by the caller.
void draw_calling_display(Ui& ui, const CallingDisplayState& s);

// Form rules shared by the view (inline errors) and the app root (before saving).
void validate_form(VisitFormState& s);
// Translation key of a stable code ("channel.station", "route.answered").
std::string channel_key(const std::string& code);
std::string route_key(const std::string& code);

}  // namespace liaison::ui
