// Statistics (统计): a month or a year; the six figures stations report; visits per month
// (bars), the share of each category (horizontal bars with percentages), cases by status; and
// the work summary as text with copy and export.
#include <algorithm>
#include <cmath>

#include "client/ui/case_views.h"

namespace liaison::ui {

namespace {
void figure_card(Ui& ui, const std::string& value, const std::string& caption, float w) {
    const Card card = card_begin(w, 12);
    ui.push_heading_font();
    ui.note_text(value);
    ImGui::PushStyleColor(ImGuiCol_Text, color::kPrimary);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ui.cell(caption, card.inner(), color::kMuted);
    card_end(card);
}

// Vertical bars with the value above each and its label below.
void column_chart(Ui& ui, const std::vector<ChartBar>& bars, float w, float h) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    auto* dl = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    int64_t max = 1;
    for (const auto& b : bars) max = std::max(max, b.value);
    const size_t n = std::max<size_t>(bars.size(), 1);
    const float slot = w / static_cast<float>(n);
    const float bar_w = std::max(6.0f, slot * 0.6f);
    const float base = p.y + h - line - 6;  // bottom of the bars
    const float top = p.y + line + 4;       // room for the value label
    dl->AddLine(ImVec2(p.x, base), ImVec2(p.x + w, base), color::kLine, 1);
    for (size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const float cx = p.x + slot * (static_cast<float>(i) + 0.5f);
        const float bh = (base - top) * static_cast<float>(b.value) / static_cast<float>(max);
        if (b.value > 0)
            dl->AddRectFilled(ImVec2(cx - bar_w / 2, base - bh), ImVec2(cx + bar_w / 2, base), color::kPrimary, 3,
                              ImDrawFlags_RoundCornersTop);
        const std::string v = std::to_string(b.value);
        ui.note_text(v);
        const float vw = ImGui::CalcTextSize(v.c_str()).x;
        dl->AddText(ImVec2(cx - vw / 2, base - bh - line - 2), color::kText, v.c_str());
        ui.note_text(b.label);
        const float lw = ImGui::CalcTextSize(b.label.c_str()).x;
        dl->AddText(ImVec2(cx - lw / 2, base + 4), color::kMuted, b.label.c_str());
    }
    ImGui::Dummy(ImVec2(w, h));
}

// Horizontal bars: label on the left, the bar, then "value · share".
void bar_chart(Ui& ui, const std::vector<ChartBar>& bars, float w, ImU32 col) {
    auto* dl = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    float label_w = 0, value_w = 0;
    int64_t max = 1;
    for (const auto& b : bars) {
        label_w = std::max(label_w, ImGui::CalcTextSize(b.label.c_str()).x);
        const std::string v = std::to_string(b.value) + (b.percent.empty() ? "" : " · " + b.percent);
        value_w = std::max(value_w, ImGui::CalcTextSize(v.c_str()).x);
        max = std::max(max, b.value);
    }
    label_w = std::min(label_w + 12, w * 0.4f);
    const float bar_max = std::max(20.0f, w - label_w - value_w - 16);
    const float row = line + 12;
    for (const auto& b : bars) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + 6));
        ui.cell(b.label, label_w - 12, color::kText);
        const float bw = bar_max * static_cast<float>(b.value) / static_cast<float>(max);
        const float y0 = p.y + 8, y1 = p.y + row - 4;
        dl->AddRectFilled(ImVec2(p.x + label_w, y0), ImVec2(p.x + label_w + bar_max, y1), IM_COL32(240, 240, 236, 255),
                          3);
        if (b.value > 0) dl->AddRectFilled(ImVec2(p.x + label_w, y0), ImVec2(p.x + label_w + bw, y1), col, 3);
        const std::string v = std::to_string(b.value) + (b.percent.empty() ? "" : " · " + b.percent);
        ui.note_text(v);
        dl->AddText(ImVec2(p.x + label_w + bar_max + 8, p.y + 6), color::kText, v.c_str());
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row));
        ImGui::Dummy(ImVec2(w, 0));
    }
}
}  // namespace

void draw_stats(Ui& ui, const StatsState& s) {
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
    const float gap = st.ItemSpacing.x;
    const float full = ImGui::GetContentRegionAvail().x - st.ScrollbarSize;
    // The six figures: one row in landscape, two rows of three in portrait.
    const int per_row = l.portrait ? 3 : 6;
    const float fw = (full - gap * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
    const std::pair<std::string, std::string> figs[] = {{std::to_string(s.visits), ui.tr("stats.visits")},
                                                        {std::to_string(s.people), ui.tr("stats.people")},
                                                        {std::to_string(s.suggestions), ui.tr("stats.suggestions")},
                                                        {std::to_string(s.resolved), ui.tr("stats.resolved")},
                                                        {s.resolution_rate, ui.tr("stats.resolution_rate")},
                                                        {s.satisfaction_rate, ui.tr("stats.satisfaction_rate")}};
    for (int i = 0; i < 6; ++i) {
        if (i % per_row != 0) ImGui::SameLine();
        figure_card(ui, figs[i].first, figs[i].second, fw);
    }

    const float half = l.portrait ? full : (full - gap) / 2;
    const float chart_h = l.font * 10;
    {
        ImGui::BeginGroup();
        const Card card = card_begin(half);
        ui.heading(ui.tr("stats.chart.months"));
        column_chart(ui, s.by_month, card.inner(), chart_h);
        card_end(card);
        const Card c2 = card_begin(half);
        ui.heading(ui.tr("stats.chart.status"));
        bar_chart(ui, s.by_status, c2.inner(), IM_COL32(96, 125, 139, 255));
        card_end(c2);
        ImGui::EndGroup();
    }
    if (!l.portrait) ImGui::SameLine();
    {
        ImGui::BeginGroup();
        const Card card = card_begin(half);
        ui.heading(ui.tr("stats.chart.categories"));
        if (s.by_category.empty()) ui.muted(ui.tr("stats.nothing"));
        bar_chart(ui, s.by_category, card.inner(), color::kPrimary);
        card_end(card);
        ImGui::EndGroup();
    }
    // The work summary.
    {
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
    ui.drag_scroll();
    ImGui::EndChild();
}

}  // namespace liaison::ui
