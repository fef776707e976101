// Statistics (统计): a month or a year; the six figures stations report; visits per month
// (bars), the share of each category (horizontal bars with percentages), cases by status; and
// the work summary as text with copy and export; the period's visits, cases and summary exported
// as .xlsx or CSV.
#include <algorithm>
#include <cmath>

#include "client/ui/case_views.h"
#include "client/ui/charts.h"
#include "client/ui/text_wrap.h"

namespace liaison::ui {

namespace {
// `s` broken into lines no wider than `w` by the app's own rules (text_wrap.h): ImGui's wrapping
// would start a line with 「，」 or 「）」.
std::string wrap_lines(const std::string& s, float w) {
    ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    const wrap::Advance advance = [font, scale](char32_t c) {
        return (c <= 0xFFFF ? font->GetCharAdvance(static_cast<ImWchar>(c)) : font->FallbackAdvanceX) * scale;
    };
    return wrap::wrap(s, w, advance).text;
}

// Text already broken into lines (wrap_lines), in `col`.
void lines(Ui& ui, const std::string& s, ImU32 col) {
    ui.note_text(s);
    ImGui::PushStyleColor(ImGuiCol_Text, col);
    ImGui::PushTextWrapPos(-1.0f);
    ImGui::TextUnformatted(s.c_str(), s.c_str() + s.size());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

float lines_height(const std::string& s) { return ImGui::CalcTextSize(s.c_str()).y; }

// A figure, its name and, muted below, what it counts (both broken into lines already);
// `text_h` is the tallest name and note of the row, so the cards of a row line up.
void figure_card(Ui& ui, const std::string& value, const std::string& name, const std::string& note, float w,
                 float text_h) {
    const Card card = card_begin(w, 12);
    ui.push_heading_font();
    ui.note_text(value);
    ImGui::PushStyleColor(ImGuiCol_Text, color::kPrimary);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    const float y = ImGui::GetCursorPosY();
    lines(ui, name, color::kText);
    lines(ui, note, color::kMuted);
    ImGui::SetCursorPosY(y + text_h);
    ImGui::Dummy(ImVec2(0, 0));
    card_end(card);
}

// Years under the month labels, each after the tick where it begins ("2026" under 1月). A year
// with too little room after its tick ends before the next one instead ("2025 | 2026" around a
// boundary after one December), or is left out when it has no room at all.
void year_marks(Ui& ui, const std::vector<ChartBar>& bars, ImVec2 p, float w, float slot, float y_tick, float y_text) {
    auto* dl = ImGui::GetWindowDrawList();
    float next = p.x + w;  // where the next year's tick is
    for (size_t i = bars.size(); i-- > 0;) {
        if (bars[i].year.empty()) continue;
        const float x = p.x + slot * static_cast<float>(i);
        if (i > 0) dl->AddLine(ImVec2(x, y_tick), ImVec2(x, y_text + ImGui::GetTextLineHeight()), color::kMuted, 1);
        const float tw = ImGui::CalcTextSize(bars[i].year.c_str()).x;
        const float tx = std::min(x + 4, next - 4 - tw);
        if (tx >= p.x - 8) {
            ui.note_text(bars[i].year);
            dl->AddText(ImVec2(tx, y_text), color::kMuted, bars[i].year.c_str());
        }
        next = x;
    }
}

// Vertical bars with the value above each, its label below and the year under that. The month
// in progress is drawn light: it is counted so far, not whole.
void column_chart(Ui& ui, const std::vector<ChartBar>& bars, float w, float h) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    auto* dl = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    int64_t max = 1;
    for (const auto& b : bars) max = std::max(max, b.value);
    const size_t n = std::max<size_t>(bars.size(), 1);
    const float slot = w / static_cast<float>(n);
    const float bar_w = std::max(6.0f, slot * 0.6f);
    const float base = p.y + h - 2 * line - 10;  // bottom of the bars; labels and years below
    const float top = p.y + line + 4;            // room for the value label
    dl->AddLine(ImVec2(p.x, base), ImVec2(p.x + w, base), color::kLine, 1);
    // Labels that would touch their neighbours give way to the short ones ("10月" to "10").
    const bool short_labels = std::any_of(bars.begin(), bars.end(), [&](const ChartBar& b) {
        return !b.short_label.empty() && ImGui::CalcTextSize(b.label.c_str()).x > slot - 2;
    });
    for (size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const float cx = p.x + slot * (static_cast<float>(i) + 0.5f);
        const float bh = (base - top) * static_cast<float>(b.value) / static_cast<float>(max);
        const ImU32 col = b.partial ? IM_COL32(183, 28, 28, 90) : color::kPrimary;
        if (b.value > 0)
            dl->AddRectFilled(ImVec2(cx - bar_w / 2, base - bh), ImVec2(cx + bar_w / 2, base), col, 3,
                              ImDrawFlags_RoundCornersTop);
        const std::string v = std::to_string(b.value);
        ui.note_text(v);
        const float vw = ImGui::CalcTextSize(v.c_str()).x;
        dl->AddText(ImVec2(cx - vw / 2, base - bh - line - 2), color::kText, v.c_str());
        const std::string& label = short_labels && !b.short_label.empty() ? b.short_label : b.label;
        ui.note_text(label);
        const float lw = ImGui::CalcTextSize(label.c_str()).x;
        dl->AddText(ImVec2(cx - lw / 2, base + 4), b.partial ? color::kPrimary : color::kMuted, label.c_str());
    }
    year_marks(ui, bars, p, w, slot, base, base + line + 8);
    ImGui::Dummy(ImVec2(w, h));
}

// Horizontal share bars: label on the left, the track (the whole, 100 %) filled to the share,
// then "share · count". Bars without a share (permille -1) fill nothing.
void bar_chart(Ui& ui, const std::vector<ChartBar>& bars, float w, ImU32 col) {
    auto* dl = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    auto value_text = [](const ChartBar& b) {
        return b.percent.empty() ? std::to_string(b.value) : b.percent + " · " + std::to_string(b.value);
    };
    float label_w = 0, value_w = 0;
    for (const auto& b : bars) {
        label_w = std::max(label_w, ImGui::CalcTextSize(b.label.c_str()).x);
        value_w = std::max(value_w, ImGui::CalcTextSize(value_text(b).c_str()).x);
    }
    label_w = std::min(label_w + 12, w * 0.4f);
    const float bar_max = std::max(20.0f, w - label_w - value_w - 16);
    const float row = line + 12;
    for (const auto& b : bars) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + 6));
        ui.cell(b.label, label_w - 12, color::kText);
        const float bw = bar_max * charts::share_fill(b.permille);
        const float y0 = p.y + 8, y1 = p.y + row - 4;
        dl->AddRectFilled(ImVec2(p.x + label_w, y0), ImVec2(p.x + label_w + bar_max, y1), IM_COL32(240, 240, 236, 255),
                          3);
        if (bw > 0) dl->AddRectFilled(ImVec2(p.x + label_w, y0), ImVec2(p.x + label_w + bw, y1), col, 3);
        const std::string v = value_text(b);
        ui.note_text(v);
        dl->AddText(ImVec2(p.x + label_w + bar_max + 8, p.y + 6), color::kText, v.c_str());
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row));
        ImGui::Dummy(ImVec2(w, 0));
    }
}

// The six figures with what each counts: one row in landscape, two rows of three in portrait
// or with large text;
// then how the case figures are counted (by the month or year a case was registered).
void figures(Ui& ui, const StatsState& s, float full) {
    const Layout& l = ui.layout();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const std::string when = ui.tr("stats.when." + s.period);
    struct Fig {
        std::string value, key;
    };
    const Fig figs[] = {
        {std::to_string(s.visits), "stats.visits"},           {std::to_string(s.people), "stats.people"},
        {std::to_string(s.suggestions), "stats.suggestions"}, {std::to_string(s.resolved), "stats.resolved"},
        {s.resolution_rate, "stats.resolution_rate"},         {s.satisfaction_rate, "stats.satisfaction_rate"}};
    // Six in a row when each still holds a few words a line (not at the largest text sizes).
    const float six = (full - gap * 5) / 6;
    const int per_row = l.portrait || six < l.font * 8 ? 3 : 6;
    const float fw = (full - gap * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
    const float inner = fw - 24;  // figure_card's padding
    for (int row = 0; row < 6; row += per_row) {
        std::vector<std::pair<std::string, std::string>> text;  // name, note
        float text_h = 0;
        for (int i = row; i < row + per_row; ++i) {
            text.emplace_back(wrap_lines(ui.tr(figs[i].key), inner),
                              wrap_lines(ui.fmt(figs[i].key + ".note", {when}), inner));
            text_h = std::max(text_h, lines_height(text.back().first) + ImGui::GetStyle().ItemSpacing.y +
                                          lines_height(text.back().second));
        }
        for (int i = row; i < row + per_row; ++i) {
            if (i != row) ImGui::SameLine();
            const auto& t = text[static_cast<size_t>(i - row)];
            figure_card(ui, figs[i].value, t.first, t.second, fw, text_h);
        }
    }
    lines(ui, wrap_lines(ui.fmt("stats.cohort_note", {when}), full), color::kMuted);
}

// The month chart with the cases by status below it, and the categories beside them (or below).
void charts_section(Ui& ui, const StatsState& s, float full) {
    const Layout& l = ui.layout();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    // The charts side by side in landscape, unless large text leaves a half too narrow for
    // twelve months.
    const bool stacked = l.portrait || (full - gap) / 2 < l.font * 20;
    const float half = stacked ? full : (full - gap) / 2;
    const float chart_h = l.font * 10;
    {
        ImGui::BeginGroup();
        const Card card = card_begin(half);
        ui.heading(ui.tr("stats.chart.months"));
        if (s.by_month.empty())
            ui.muted(ui.tr("stats.chart.not_yet"));
        else
            column_chart(ui, s.by_month, card.inner(), chart_h);
        if (std::any_of(s.by_month.begin(), s.by_month.end(), [](const ChartBar& b) { return b.partial; }))
            ui.muted(ui.tr("stats.chart.in_progress"));
        card_end(card);
        const Card c2 = card_begin(half);
        ui.heading(ui.tr("stats.chart.status"));
        ui.muted(ui.fmt("stats.chart.status_note", {ui.tr("stats.when." + s.period)}));
        bar_chart(ui, s.by_status, c2.inner(), IM_COL32(96, 125, 139, 255));
        card_end(c2);
        ImGui::EndGroup();
    }
    if (!stacked) ImGui::SameLine();
    {
        ImGui::BeginGroup();
        const Card card = card_begin(half);
        ui.heading(ui.tr("stats.chart.categories"));
        if (s.by_category.empty())
            ui.muted(ui.tr("stats.nothing"));
        else
            ui.muted(ui.fmt("stats.chart.categories_note", {ui.tr("stats.when." + s.period)}));
        bar_chart(ui, s.by_category, card.inner(), color::kPrimary);
        card_end(card);
        ImGui::EndGroup();
    }
}

// The work summary, with copy and export.
void report_card(Ui& ui, const StatsState& s, float full) {
    const Card card = card_begin(full);
    ui.heading(s.report_title);
    ui.muted(ui.tr("stats.report_note"));
    for (const auto& line : s.report_lines) ui.text(line);
    const float bw = std::max(ui.chip_width(ui.tr("stats.copy")), ui.chip_width(ui.tr("stats.export"))) + 16;
    if (ui.button("stats.copy", ui.tr("stats.copy"), bw)) {
        ImGui::SetClipboardText(s.report_text.c_str());
        emit_case(ui, intent::CopiedReport{});
    }
    ImGui::SameLine();
    if (ui.button("stats.export", ui.tr("stats.export"), bw)) emit_case(ui, intent::ExportReport{});
    if (!s.message.empty()) ui.muted(s.message);
    card_end(card);
}
// Export (docs/app.md): the format, the folder (typed, or a quick choice such as a USB stick) and
// one button per table; then the path written or what went wrong.
void export_card(Ui& ui, StatsState& s, float full) {
    const Card card = card_begin(full);
    ui.heading(ui.tr("export.title"));
    ui.muted(ui.fmt("export.note", {ui.tr("stats.when." + s.period)}));
    ui.label(ui.tr("export.format"));
    bool first = true;
    for (const char* f : {"xlsx", "csv"}) {
        const std::string label = ui.tr(std::string("export.format.") + f);
        const float w = ui.chip_width(label);
        ui.flow(w, first);
        first = false;
        if (ui.chip(std::string("export.format.") + f, label, s.export_format == f, w))
            emit_case(ui, intent::ExportFormat{f});
    }
    ui.label(ui.tr("export.folder"));
    ui.input("export.folder", s.export_folder, ui.tr("export.folder_hint"), card.inner(), 0, 1024);
    first = true;
    for (size_t i = 0; i < s.folder_choices.size(); ++i) {
        const auto& [label, path] = s.folder_choices[i];
        const float w = ui.chip_width(label);
        ui.flow(w, first);
        first = false;
        if (ui.chip("export.folder." + std::to_string(i), label, s.export_folder == path, w))
            emit_case(ui, intent::ExportFolder{path});
    }
    first = true;
    for (const char* what : {"visits", "cases", "report"}) {
        const std::string label = ui.tr(std::string("export.") + what);
        const float w = ui.chip_width(label) + 16;
        ui.flow(w, first);
        first = false;
        if (ui.button(std::string("export.") + what, label, w, Tone::Primary)) emit_case(ui, intent::ExportData{what});
    }
    if (!s.export_error.empty()) ui.error(s.export_error);
    if (!s.export_message.empty()) ui.text(s.export_message);
    card_end(card);
}
}  // namespace

void draw_stats(Ui& ui, StatsState& s) {
    const Layout& l = ui.layout();
    const ImGuiStyle& st = ImGui::GetStyle();
    // Period: month or year, and earlier/later.
    ui.heading(ui.tr("stats.title"));
    bool first = true;
    for (const char* p : {"month", "year"}) {
        const std::string label = ui.tr(std::string("stats.period.") + p);
        const float w = ui.chip_width(label);
        ui.flow(w, first);
        first = false;
        if (ui.chip(std::string("stats.period.") + p, label, s.period == p, w))
            emit_case(ui, intent::StatsPeriod{p, 0});
    }
    ImGui::SameLine(0, st.ItemSpacing.x * 3);
    if (ui.button("stats.prev", "‹", l.touch)) emit_case(ui, intent::StatsPeriod{s.period, -1});
    ImGui::SameLine();
    const std::string anchor =
        s.period == "month" ? ui.fmt("stats.month_label",
                                     {s.anchor.substr(0, 4),
                                      s.anchor.size() >= 7 ? std::to_string(std::stoi(s.anchor.substr(5, 2))) : ""})
                            : ui.fmt("stats.year_label", {s.anchor});
    const float aw = std::max(ImGui::CalcTextSize(anchor.c_str()).x + 24, l.font * 6);
    ui.chip("stats.anchor", anchor, true, aw);
    ImGui::SameLine();
    if (ui.button("stats.next", "›", l.touch)) emit_case(ui, intent::StatsPeriod{s.period, +1});
    if (!s.error.empty()) ui.error(s.error);

    ui.begin_scroll("stats.scroll", ImVec2(0, 0));
    const float full = ImGui::GetContentRegionAvail().x - st.ScrollbarSize;
    figures(ui, s, full);
    charts_section(ui, s, full);
    report_card(ui, s, full);
    export_card(ui, s, full);
    ui.drag_scroll();
    ImGui::EndChild();
}

}  // namespace liaison::ui
