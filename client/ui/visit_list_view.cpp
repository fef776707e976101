// The visit list: search as you type, filters, and a virtualised list that only ever holds the
// rows on screen (plus a margin): 100k visits scroll like 100.
#include <array>

#include <imgui_internal.h>

#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
// Text in a fixed box of a row, clipped with an ellipsis.
void put(Ui& ui, ImVec2 at, float w, const std::string& s, ImU32 col) {
    ui.note_text(s);
    const float h = ImGui::GetTextLineHeight();
    ImGui::PushStyleColor(ImGuiCol_Text, col);
    ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), at, ImVec2(at.x + w, at.y + h), at.x + w, at.x + w, s.c_str(),
                              s.c_str() + s.size(), nullptr);
    ImGui::PopStyleColor();
}

struct Column {
    const char* key;
    float weight;  // share of the row width
};
constexpr Column kColumns[] = {{"list.col.time", 1.35f},   {"list.col.category", 1.0f}, {"list.col.subject", 2.6f},
                               {"list.col.visitor", 1.0f}, {"list.col.people", 0.55f},  {"list.col.route", 1.3f}};
using Widths = std::array<float, std::size(kColumns)>;

// The time as the table shows it: "12-01 10:40" within this year, else the date with its year
// ("2025-11-03"): either fits the time column at every text size.
std::string list_time(const std::string& at, const std::string& today) {
    if (at.size() < 16 || today.size() < 4) return at;
    return at.compare(0, 4, today, 0, 4) == 0 ? at.substr(5, 11) : at.substr(0, 10);
}

// The columns' widths: the time column as wide as its longest form, the rest by weight.
Widths column_widths(float row_w) {
    const float time_w =
        std::max(ImGui::CalcTextSize("12-31 23:59").x, ImGui::CalcTextSize("2026-12-31").x) + ImGui::GetFontSize();
    float weights = 0;
    for (size_t c = 1; c < std::size(kColumns); ++c) weights += kColumns[c].weight;
    const float unit = (row_w - 16) / (weights + kColumns[0].weight);
    const float first = std::max(time_w, kColumns[0].weight * unit);
    const float rest_unit = (row_w - 16 - first) / weights;
    Widths w{};
    w[0] = first;
    for (size_t c = 1; c < std::size(kColumns); ++c) w[c] = kColumns[c].weight * rest_unit;
    return w;
}

// Returns true when the query changed (half-typed dates wait until complete).
bool draw_filters(Ui& ui, VisitListState& s, const RefData& ref, bool filtered) {
    const Layout& l = ui.layout();
    const ImGuiStyle& st = ImGui::GetStyle();
    bool changed = false;
    const float w = ImGui::GetContentRegionAvail().x;
    const int per_row = l.portrait ? 2 : 4;
    const float fw = (w - st.ItemSpacing.x * (per_row - 1)) / per_row;
    auto date_field = [&](const char* id, std::string& v, const char* hint_key) {
        if (ui.input(id, v, ui.tr(hint_key), fw, ImGuiInputTextFlags_CharsNoBlank)) {
            // Only a complete date (or none) changes the query; half-typed dates wait.
            if (v.empty() || v.size() == 10) changed = true;
        }
    };
    date_field("list.from", s.from, "list.from_hint");
    ImGui::SameLine();
    date_field("list.to", s.to, "list.to_hint");
    if (per_row == 4) ImGui::SameLine();
    if (ui.combo("list.category", ref.categories, s.category, ui.tr("list.all_categories"), fw)) changed = true;
    ImGui::SameLine();
    if (ui.combo("list.deputy", ref.deputies, s.deputy_id, ui.tr("list.all_deputies"), fw)) changed = true;
    if (filtered && ui.button("list.clear", ui.tr("list.clear_filters"), 0, Tone::Quiet)) {
        s.from.clear();
        s.to.clear();
        s.category.clear();
        s.deputy_id.clear();
        changed = true;
    }
    return changed;
}

void draw_search(Ui& ui, VisitListState& s, const RefData& ref) {
    const Layout& l = ui.layout();
    const ImGuiStyle& st = ImGui::GetStyle();
    bool query_changed = false;
    const float filter_btn = ui.chip_width(ui.tr("list.filters")) + l.touch;
    if (ui.input("list.search", s.text, ui.tr("list.search_hint"),
                 ImGui::GetContentRegionAvail().x - filter_btn - st.ItemSpacing.x))
        query_changed = true;
    ImGui::SameLine();
    const bool filtered = !s.from.empty() || !s.to.empty() || !s.category.empty() || !s.deputy_id.empty();
    if (ui.chip("list.filters", ui.tr("list.filters"), s.show_filters || filtered, -1))
        s.show_filters = !s.show_filters;
    if (s.show_filters && draw_filters(ui, s, ref, filtered)) query_changed = true;
    if (query_changed) ui.emit(intent::ListQueryChanged{});
}

// Landscape: a table header; portrait: two-line cards need no header.
void draw_header(Ui& ui, float row_w, const Widths& widths) {
    const Layout& l = ui.layout();
    if (l.portrait) return;
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + row_w, p.y + l.font + 12), IM_COL32(240, 240, 236, 255),
                                              6);
    float x = p.x + 8;
    for (size_t c = 0; c < std::size(kColumns); ++c) {
        put(ui, ImVec2(x, p.y + 6), widths[c] - 8, ui.tr(kColumns[c].key), color::kMuted);
        x += widths[c];
    }
    ImGui::Dummy(ImVec2(row_w, l.font + 12));
}

// The cells of one row: a line per column in landscape, a two-line card in portrait.
void draw_row_cells(Ui& ui, const VisitRowView& r, ImVec2 p, float row_w, float row_h, const Widths& widths,
                    const std::string& today) {
    const Layout& l = ui.layout();
    const ImGuiStyle& st = ImGui::GetStyle();
    const std::string people = std::to_string(r.people);
    const std::string& route = ui.tr(route_key(r.route));
    if (l.portrait) {
        const float y1 = p.y + (row_h - st.ItemSpacing.y - 2 * l.font - 6) / 2;
        put(ui, ImVec2(p.x + 8, y1), row_w - 16, r.subject, color::kText);
        put(ui, ImVec2(p.x + 8, y1 + l.font + 6), row_w - 16,
            r.received_at + "  ·  " + r.category + "  ·  " + r.visitor + "  ·  " + ui.fmt("list.people_n", {people}) +
                "  ·  " + route,
            color::kMuted);
        return;
    }
    const float y = p.y + (row_h - st.ItemSpacing.y - l.font) / 2;
    const std::string time = list_time(r.received_at, today);
    const std::string* cells[] = {&time, &r.category, &r.subject, &r.visitor, &people, &route};
    float x = p.x + 8;
    for (size_t c = 0; c < std::size(kColumns); ++c) {
        put(ui, ImVec2(x, y), widths[c] - 8, *cells[c],
            c == 2 ? color::kText : (c == 5 && r.route.empty() ? color::kWarn : color::kText));
        x += widths[c];
    }
}

void draw_row(Ui& ui, const VisitListState& s, int i, float row_w, float row_h, const Widths& widths) {
    const Layout& l = ui.layout();
    const ImGuiStyle& st = ImGui::GetStyle();
    const int64_t k = i - s.cache_offset;
    const VisitRowView* r = (k >= 0 && k < static_cast<int64_t>(s.cache.size())) ? &s.cache[k] : nullptr;
    ImGui::PushID(i);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const bool clicked = ImGui::Selectable("##row", false, ImGuiSelectableFlags_AllowItemOverlap,
                                           ImVec2(row_w, row_h - st.ItemSpacing.y));
    if (i % 2 == 1)
        ImGui::GetWindowDrawList()->AddRectFilled(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                                  IM_COL32(0, 0, 0, 8));
    if (r) {
        if (clicked) ui.emit(intent::OpenVisit{r->id});
        ui.record("list.row." + std::to_string(i), r->subject);
        draw_row_cells(ui, *r, p, row_w, row_h, widths, s.today);
    } else {
        put(ui, ImVec2(p.x + 8, p.y + (row_h - l.font) / 2), row_w, "…", color::kMuted);
    }
    ImGui::PopID();
}

void draw_rows(Ui& ui, VisitListState& s, float row_w, const Widths& widths) {
    const Layout& l = ui.layout();
    const float row_h = l.portrait ? std::max(l.touch, l.font * 2 + 28) : std::max(l.touch + 8, l.font + 28);
    ImGui::BeginChild("list.rows", ImVec2(0, 0), false);
    if (s.scroll_to_top) {
        ImGui::SetScrollY(0);
        s.scroll_to_top = false;
    }
    if (s.total == 0 && s.error.empty()) ui.muted(ui.tr("list.empty"));
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(s.total), row_h);
    int64_t first = -1, last = -1;
    while (clipper.Step()) {
        if (first < 0) first = clipper.DisplayStart;
        last = clipper.DisplayEnd;
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) draw_row(ui, s, i, row_w, row_h, widths);
    }
    clipper.End();
    // Ask for the visible window when the cache does not cover it; the app root fetches it (and
    // a margin) with find_visits(limit, offset) before the next frame.
    if (first >= 0 && (first < s.cache_offset || last > s.cache_offset + static_cast<int64_t>(s.cache.size())))
        ui.emit(intent::NeedRows{first, last});
    ui.drag_scroll();
    ImGui::EndChild();
}
}  // namespace

void draw_visit_list(Ui& ui, VisitListState& s, const RefData& ref) {
    draw_search(ui, s, ref);
    ui.muted(s.error.empty() ? ui.fmt("list.count", {std::to_string(s.total)}) : s.error);
    const float row_w = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
    const Widths widths = column_widths(row_w);
    draw_header(ui, row_w, widths);
    draw_rows(ui, s, row_w, widths);
}

}  // namespace liaison::ui
