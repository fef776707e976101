// The navigation bar: big buttons on the left in landscape; in portrait five tabs with icons along
// the bottom (首页, 接待, 意见建议, 统计, 更多), as the apps people use every day have, 更多 opening a
// sheet with the rest (docs/app.md, "Layout and touch").
#include <imgui_internal.h>

#include <algorithm>
#include <iterator>

#include "client/ui/ui.h"

namespace liaison::ui {

namespace {
struct NavItem {
    const char* id;
    const char* key;
    View view;
};
constexpr NavItem kItems[] = {
    {"nav.home", "nav.home", View::Home},
    {"nav.visits", "nav.visits", View::Visits},
    {"nav.new_visit", "nav.new_visit", View::VisitForm},
    {"nav.queue", "nav.queue", View::Queue},
    {"nav.cases", "nav.cases", View::CaseBoard},
    {"nav.record", "nav.record", View::DeputyRecord},
    {"nav.stats", "nav.stats", View::Stats},
    {"nav.sync", "nav.sync", View::Sync},
    {"nav.settings", "nav.settings", View::Settings},
};

void badge(Ui& ui, int64_t n, ImU32 col) {
    if (n <= 0) return;
    const std::string s = n > 999 ? "999+" : std::to_string(n);
    ui.note_text(s);
    const ImVec2 max = ImGui::GetItemRectMax();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    const float h = ts.y + 4, w = std::max(h, ts.x + 12);
    const ImVec2 a(max.x - w - 2, min.y - 2);  // top-right corner, clear of the centred label
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, ImVec2(a.x + w, a.y + h), col, h / 2);
    dl->AddText(ImVec2(a.x + (w - ts.x) / 2, a.y + 2), IM_COL32_WHITE, s.c_str());
}
bool is_current(View item, View current) {
    return current == item || (item == View::Visits && (current == View::VisitDetail || current == View::VisitForm)) ||
           (item == View::CaseBoard && (current == View::CaseDetail || current == View::CaseForm));
}

// Sync's badge: conflicts in red; records waiting only when sending them is in trouble (docs/app.md).
void sync_badge(Ui& ui, const SyncStatus& sync) {
    badge(ui,
          sync.conflicts > 0 ? sync.conflicts
          : sync.trouble()   ? sync.pending_records
                             : 0,
          sync.conflicts > 0 ? color::kError : color::kWarn);
}

// ---- portrait: tabs with icons, drawn with ImDrawList primitives in a square of side `s` ----
enum class Icon { Home, Visits, Cases, Stats, More };

void draw_icon(ImDrawList* dl, Icon icon, ImVec2 c, float s, ImU32 col) {
    const float h = s / 2, t = std::max(2.0f, s / 12);  // half side, stroke
    switch (icon) {
        case Icon::Home:  // a house: roof and walls with a door
            dl->AddTriangleFilled(ImVec2(c.x, c.y - h), ImVec2(c.x - h, c.y - h * 0.05f),
                                  ImVec2(c.x + h, c.y - h * 0.05f), col);
            dl->AddRectFilled(ImVec2(c.x - h * 0.72f, c.y - h * 0.1f), ImVec2(c.x + h * 0.72f, c.y + h), col, t / 2);
            dl->AddRectFilled(ImVec2(c.x - h * 0.2f, c.y + h * 0.3f), ImVec2(c.x + h * 0.2f, c.y + h), color::kNav);
            break;
        case Icon::Visits:  // a person: head and shoulders
            dl->AddCircleFilled(ImVec2(c.x, c.y - h * 0.45f), h * 0.42f, col, 24);
            dl->PathArcTo(ImVec2(c.x, c.y + h), h * 0.85f, IM_PI, 2 * IM_PI, 24);
            dl->PathFillConvex(col);
            break;
        case Icon::Cases:  // a speech bubble with lines of text
            dl->AddRectFilled(ImVec2(c.x - h, c.y - h * 0.8f), ImVec2(c.x + h, c.y + h * 0.45f), col, t * 1.5f);
            dl->AddTriangleFilled(ImVec2(c.x - h * 0.5f, c.y + h * 0.4f), ImVec2(c.x - h * 0.05f, c.y + h * 0.4f),
                                  ImVec2(c.x - h * 0.6f, c.y + h), col);
            for (float y : {-0.4f, 0.0f})
                dl->AddLine(ImVec2(c.x - h * 0.6f, c.y + h * y), ImVec2(c.x + h * 0.6f, c.y + h * y), color::kNav, t);
            break;
        case Icon::Stats:  // three bars on a base line
            for (int i = 0; i < 3; ++i) {
                const float x = c.x - h * 0.8f + static_cast<float>(i) * h * 0.6f;
                const float top = c.y + h * (0.4f - 0.5f * static_cast<float>(i));
                dl->AddRectFilled(ImVec2(x, top), ImVec2(x + h * 0.4f, c.y + h * 0.8f), col, t / 2);
            }
            dl->AddLine(ImVec2(c.x - h, c.y + h * 0.9f), ImVec2(c.x + h, c.y + h * 0.9f), col, t);
            break;
        case Icon::More:  // three dots
            for (int i = -1; i <= 1; ++i)
                dl->AddCircleFilled(ImVec2(c.x + static_cast<float>(i) * h * 0.7f, c.y), h * 0.2f, col);
            break;
    }
}

struct Tab {
    const char* id;
    const char* key;
    View view;  // View::FirstRun: 更多, which opens the sheet
    Icon icon;
};
constexpr Tab kTabs[] = {
    {"nav.home", "tab.home", View::Home, Icon::Home},         {"nav.visits", "tab.visits", View::Visits, Icon::Visits},
    {"nav.cases", "tab.cases", View::CaseBoard, Icon::Cases}, {"nav.stats", "tab.stats", View::Stats, Icon::Stats},
    {"nav.more", "tab.more", View::FirstRun, Icon::More},
};
// What 更多 holds: the views without a tab of their own.
constexpr View kMore[] = {View::Queue, View::DeputyRecord, View::Sync, View::Settings};
constexpr const char* kMoreSheet = "nav.more_sheet";

float icon_side(const Layout& l) { return std::max(24.0f, l.font * 1.15f); }

bool more_current(View current) {
    return std::any_of(std::begin(kMore), std::end(kMore), [&](View v) { return current == v; });
}

// One tab: the icon above its label, the current one in the primary colour with a bar on top.
bool draw_tab(Ui& ui, const Tab& tab, bool active, ImVec2 size) {
    const Layout& l = ui.layout();
    const std::string& label = ui.tr(tab.key);
    ui.note_text(label);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const bool pressed = ImGui::InvisibleButton(tab.id, size);
    ui.record(tab.id, label);
    auto* dl = ImGui::GetWindowDrawList();
    const ImU32 col = active ? color::kPrimary : color::kMuted;
    if (ImGui::IsItemActive()) dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), color::kSelected, 8);
    if (active) dl->AddRectFilled(ImVec2(p.x + size.x * 0.25f, p.y), ImVec2(p.x + size.x * 0.75f, p.y + 4), col, 2);
    const float s = icon_side(l);
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    const float top = p.y + (size.y - s - 6 - ts.y) / 2;
    draw_icon(dl, tab.icon, ImVec2(p.x + size.x / 2, top + s / 2), s, col);
    dl->AddText(ImVec2(p.x + (size.x - ts.x) / 2, top + s + 6), active ? color::kPrimary : color::kText, label.c_str());
    return pressed;
}

// 更多's sheet, above the tab bar: the other views as wide buttons (ids nav.queue, nav.sync ...).
void draw_more_sheet(Ui& ui, View current, const SyncStatus& sync) {
    const Layout& l = ui.layout();
    const float w = std::min(l.width - 2 * l.pad, std::max(l.width * 0.5f, l.font * 12));
    const float h = static_cast<float>(std::size(kMore)) * (l.touch + ImGui::GetStyle().ItemSpacing.y) + 2 * l.pad;
    ImGui::SetNextWindowPos(ImVec2(l.width - l.pad - w, l.height - nav_height(l) - h - 8));
    ImGui::SetNextWindowSize(ImVec2(w, h));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(l.pad, l.pad));
    ImGui::PushStyleVar(ImGuiStyleVar_PopupRounding, 12.0f);
    if (ImGui::BeginPopup(kMoreSheet, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoScrollbar)) {
        for (View v : kMore) {
            const auto* item =
                std::find_if(std::begin(kItems), std::end(kItems), [&](const NavItem& n) { return n.view == v; });
            if (ui.button(item->id, ui.tr(item->key), -1, current == v ? Tone::Primary : Tone::Normal)) {
                ui.emit(intent::Navigate{v});
                ImGui::CloseCurrentPopup();
            }
            if (v == View::Sync) sync_badge(ui, sync);
        }
        ImGui::EndPopup();
    }
    ImGui::PopStyleVar(2);
}

void draw_tabs(Ui& ui, View current, const SyncStatus& sync) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float w = avail.x / static_cast<float>(std::size(kTabs));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
    for (const auto& tab : kTabs) {
        if (&tab != kTabs) ImGui::SameLine();
        const bool more = tab.view == View::FirstRun;
        if (draw_tab(ui, tab, more ? more_current(current) : is_current(tab.view, current), ImVec2(w, avail.y))) {
            if (more)
                ImGui::OpenPopup(kMoreSheet);
            else
                ui.emit(intent::Navigate{tab.view});
        }
        if (more) sync_badge(ui, sync);
    }
    ImGui::PopStyleVar();
    draw_more_sheet(ui, current, sync);
}
}  // namespace

float nav_height(const Layout& l) {
    // A tab: its icon above its label, as tall as a touch target at least.
    return std::max(l.touch * 1.3f, icon_side(l) + l.font * 1.25f + 22);
}

void draw_nav(Ui& ui, View current, const SyncStatus& sync) {
    const Layout& l = ui.layout();
    if (l.portrait) {
        draw_tabs(ui, current, sync);
        return;
    }
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    for (const auto& it : kItems) {
        const bool active = is_current(it.view, current) && !(it.view == View::Visits && current == View::VisitForm);
        const ImVec2 size(avail.x, std::max(l.touch * 1.4f, 64.0f));
        const std::string& label = ui.tr(it.key);
        ui.note_text(label);
        ImGui::PushStyleColor(ImGuiCol_Button, active ? color::kSelected : IM_COL32(0, 0, 0, 0));
        ImGui::PushStyleColor(ImGuiCol_Text, active ? color::kPrimary : color::kText);
        ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
        const std::string full = label + "##" + it.id;
        if (ImGui::Button(full.c_str(), size)) {
            if (it.view == View::VisitForm)
                ui.emit(intent::NewVisit{});
            else
                ui.emit(intent::Navigate{it.view});
        }
        ImGui::PopStyleVar();
        ImGui::PopStyleColor(2);
        ui.record(it.id, label);
        if (active) {  // a bar marks the current screen, not only the colour
            const ImVec2 mn = ImGui::GetItemRectMin(), mx = ImGui::GetItemRectMax();
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(mn.x, mn.y + 10), ImVec2(mn.x + 4, mx.y - 10),
                                                      color::kPrimary, 2);
        }
        if (it.view == View::Sync) sync_badge(ui, sync);
    }
}

}  // namespace liaison::ui
