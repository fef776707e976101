// The case screens (docs/cases.md): one view per file, drawn with the Ui context of ui.h.
#pragma once
#include <string>

#include "client/ui/case_state.h"
#include "client/ui/ui.h"

namespace liaison::ui {

void draw_case_board(Ui& ui, CaseBoardState& s, const RefData& ref);
void draw_case_detail(Ui& ui, CaseDetailState& s, const RefData& ref);
void draw_case_form(Ui& ui, CaseFormState& s, const RefData& ref);
void draw_deputy_record(Ui& ui, DeputyRecordState& s, const RefData& ref);
void draw_stats(Ui& ui, StatsState& s);

inline void emit_case(Ui& ui, intent::CaseIntent i) { ui.emit(intent::Cases{std::move(i)}); }

// Deadline colours: overdue red, due soon orange, on time green; done and none muted.
inline ImU32 deadline_color(const std::string& state) {
    if (state == "overdue") return color::kError;
    if (state == "due_soon") return color::kWarn;
    if (state == "on_time") return color::kOk;
    return color::kMuted;
}
// A card behind a group of items (no child window, so it grows with its content):
// card_begin(width) ... card_end(card). Cards do not nest. Widgets inside take inner() as width.
struct Card {
    ImVec2 start;
    float width, pad;
    float inner() const { return width - 2 * pad; }
};
inline Card card_begin(float width, float pad = 14) {
    Card c{ImGui::GetCursorScreenPos(), width, pad};
    auto* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(c.start.x + pad, c.start.y + pad));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(c.start.x + width - pad - ImGui::GetWindowPos().x + ImGui::GetScrollX());
    return c;
}
inline void card_end(const Card& c) {
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + c.pad;
    auto* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(c.start, ImVec2(c.start.x + c.width, bottom), color::kCard, 10);
    dl->AddRect(c.start, ImVec2(c.start.x + c.width, bottom), color::kLine, 10);
    dl->ChannelsMerge();
    // The whole card becomes the last item, so SameLine() places the next one beside it.
    ImGui::SetCursorScreenPos(c.start);
    ImGui::Dummy(ImVec2(c.width, bottom - c.start.y));
}

inline std::string status_key(const std::string& code) { return "case.status." + code; }
// A date on a card: "11-20" in this year (today's), else "2025-11-20".
inline std::string card_date(const std::string& date, const std::string& today) {
    if (date.size() < 10) return date;
    return today.size() >= 4 && date.compare(0, 4, today, 0, 4) == 0 ? date.substr(5, 5) : date.substr(0, 10);
}
// "逾期 11-20" (short, for cards: card_date) or "已逾期（期限 2026-11-20）".
inline std::string deadline_text(const Ui& ui, const std::string& state, const std::string& deadline, bool shorter,
                                 const std::string& today = "") {
    if (deadline.empty()) return ui.tr("case.no_deadline");
    const std::string d = shorter ? card_date(deadline, today) : deadline;
    return ui.fmt((shorter ? "case.dl_short." : "case.dl.") + (state.empty() || state == "none" ? "on_time" : state),
                  {d});
}

}  // namespace liaison::ui
