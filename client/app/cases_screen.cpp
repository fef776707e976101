// The case screens: fills the case board, case detail, new case form, deputy record and
// statistics states from the store, and applies their intents.
#include "client/app/cases_screen.h"
#include "client/app/export.h"
#include "client/app/overload.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "client/store/duty.h"
#include "client/store/queue.h"
#include "client/store/stats.h"
#include "client/ui/charts.h"
#include "platform/platform.h"

namespace liaison::app {

namespace cases = store::cases;

namespace {
constexpr size_t kRecordEntries = 200;  // entries shown on the record screen

std::string add_days(const std::string& date, int64_t n) { return cases::date_of_day(cases::day_number(date) + n); }

// "YYYY-MM" moved by n months.
std::string add_months(const std::string& ym, int n) {
    int y = std::atoi(ym.substr(0, 4).c_str()), m = std::atoi(ym.substr(5, 2).c_str()) - 1 + n;
    y += m >= 0 ? m / 12 : (m - 11) / 12;
    m = ((m % 12) + 12) % 12;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, m + 1);
    return buf;
}
std::string month_end(const std::string& ym) { return add_days(add_months(ym, 1) + "-01", -1); }

std::optional<cases::Action> action_of(const std::string& code) {
    for (auto a : {cases::Action::Assign, cases::Action::Progress, cases::Action::Close, cases::Action::Feedback,
                   cases::Action::Rate})
        if (code == cases::action_code(a)) return a;
    return std::nullopt;
}

std::string refusal_text(const cases::Refusal& r, const ui::I18n& i18n) {
    const std::string from = i18n.tr("case.status." + r.from), to = i18n.tr("case.status." + r.to);
    if (r.needs.empty()) return i18n.fmt("case.refused_past", {from, to});
    return i18n.fmt("case.refused", {from, to, i18n.tr("case.status." + r.needs)});
}

// Why the open transition form cannot be applied yet ("" when it can).
std::string missing_field(cases::Action a, const ui::CaseDetailState& d, const ui::I18n& i18n) {
    switch (a) {
        case cases::Action::Assign:
            if (d.department_id.empty()) return i18n.tr("case.err.department");
            if (!store::valid_date(d.deadline)) return i18n.tr("case.err.deadline");
            return "";
        case cases::Action::Progress: return d.note.empty() ? i18n.tr("case.err.note") : "";
        case cases::Action::Close: return d.result.empty() ? i18n.tr("case.err.result") : "";
        case cases::Action::Feedback: return "";
        case cases::Action::Rate: return d.satisfaction.empty() ? i18n.tr("case.err.satisfaction") : "";
    }
    return "";
}

Status apply_action(cases::Action a, const ui::CaseDetailState& d, Context& c) {
    switch (a) {
        case cases::Action::Assign: return cases::assign(c.store, d.id, d.department_id, d.deadline, c.stored(d.note));
        case cases::Action::Progress: return cases::progress(c.store, d.id, c.stored(d.note));
        case cases::Action::Close: return cases::close(c.store, d.id, c.stored(d.result));
        case cases::Action::Feedback: return cases::feedback(c.store, d.id, d.channel, c.stored(d.note));
        case cases::Action::Rate: return cases::rate(c.store, d.id, d.satisfaction, c.stored(d.comment));
    }
    return {};
}
}  // namespace

ui::CaseRowView case_row(const cases::CaseRow& r, const Context& c) {
    ui::CaseRowView v;
    v.id = r.id;
    v.title = c.shown(r.title);
    v.category = c.ref.label(c.ref.categories, r.category);
    v.status = r.status;
    v.department = c.shown(r.department_name);
    v.deadline = r.deadline;
    v.created_at = r.created_at;
    v.deadline_state = cases::deadline_code(r.deadline_state);
    return v;
}

std::vector<ui::CaseRowView> cases_of_visit(const std::string& visit_id, const Context& c) {
    std::vector<ui::CaseRowView> out;
    if (visit_id.empty()) return out;
    cases::CaseQuery q;
    q.visit_id = visit_id;
    if (auto rows = cases::list(c.store, q))
        for (const auto& r : *rows) out.push_back(case_row(r, c));
    return out;
}

bool CasesScreen::owns(ui::View v) {
    return v == ui::View::CaseBoard || v == ui::View::CaseDetail || v == ui::View::CaseForm ||
           v == ui::View::DeputyRecord || v == ui::View::Stats;
}

void CasesScreen::draw(ui::Ui& u, ui::View v, const Context& c) {
    switch (v) {
        case ui::View::CaseBoard: ui::draw_case_board(u, board_, c.ref); break;
        case ui::View::CaseDetail: ui::draw_case_detail(u, detail_, c.ref); break;
        case ui::View::CaseForm: ui::draw_case_form(u, form_, c.ref); break;
        case ui::View::DeputyRecord: ui::draw_deputy_record(u, record_, c.ref); break;
        case ui::View::Stats: ui::draw_stats(u, stats_); break;
        default: break;
    }
}

// The board with its search and filters applied (CaseBoardState::text etc.): the columns, the
// list and the counts all show only the cases they keep.
void CasesScreen::refresh_board(Context& c) {
    auto& b = board_;
    b.columns.clear();
    b.all.clear();
    b.departments.clear();
    b.overdue = 0;
    b.error.clear();
    if (!c.store.initialized()) return;
    b.today = cases::today(c.store);
    if (auto deps = c.store.departments())
        for (const auto& dep : *deps) b.departments.push_back({dep.id, c.shown(dep.name)});
    cases::CaseQuery q;
    q.today = b.today;
    q.text = c.stored(b.text);
    q.overdue_only = b.overdue_only;
    q.category = b.category;
    q.department = b.department_id;
    auto board = cases::board(c.store, q);
    if (!board) {
        b.error = c.error_text(board.error());
        return;
    }
    for (const auto& col : *board) {
        // 已答复 is the web console's step (a department's reply waiting for the office's
        // review): a station without replies waiting keeps the width for the other columns.
        if (col.status == "replied" && col.cases.empty()) continue;
        ui::CaseBoardState::Column column;
        column.status = col.status;
        for (const auto& r : col.cases) column.cases.push_back(case_row(r, c));
        b.columns.push_back(std::move(column));
    }
    if (auto all = cases::list(c.store, q))
        for (const auto& r : *all) {
            b.all.push_back(case_row(r, c));
            if (r.deadline_state == cases::DeadlineState::Overdue) ++b.overdue;
        }
    c.app.changed();
}

void CasesScreen::open_case(const std::string& id, Context& c) {
    const std::string keep_action = detail_.id == id ? detail_.action : "";
    detail_ = {};
    detail_.id = id;
    c.app.show(ui::View::CaseDetail);
    c.app.changed();
    auto k = cases::get(c.store, id);
    if (!k) {
        detail_.loaded_error = c.error_text(k.error());
        return;
    }
    fill_detail(*k, c);
    auto& d = detail_;
    if (std::find(d.allowed.begin(), d.allowed.end(), keep_action) != d.allowed.end()) d.action = keep_action;
}

// The feedback step's 显示完整号码: recorded first (the timeline names who looked, not the number),
// then shown; a failed record shows nothing.
void CasesScreen::show_phone(Context& c) {
    const std::string id = detail_.id;  // a copy: open_case starts detail_ afresh
    if (auto st = cases::phone_shown(c.store, id); !st) {
        detail_.error = c.error_text(st.error());
        return;
    }
    open_case(id, c);  // the timeline with the new event
    auto k = cases::get(c.store, id);
    auto v = k ? c.store.visit(k->visit_id) : Result<store::Visit>(k.error());
    if (v && !v->visitors.empty()) detail_.phone_full = v->visitors.front().phone;
    c.app.refresh_status();
}

void CasesScreen::fill_detail(const store::Case& k, Context& c) {
    auto& d = detail_;
    const std::string today = cases::today(c.store);
    for (const auto& e : k.timeline) d.timeline.push_back({e.at, c.shown(e.author), e.kind, c.shown(e.note)});
    d.c = k;
    d.c.timeline.clear();
    for (auto* f : {&d.c.title, &d.c.content, &d.c.result, &d.c.satisfaction_comment}) *f = c.shown(*f);
    d.category = c.ref.label(c.ref.categories, k.category);
    if (auto deps = c.store.departments()) {
        for (const auto& dep : *deps) {
            d.departments.push_back({dep.id, c.shown(dep.name)});
            if (dep.id == k.department_id) d.department = c.shown(dep.name);
        }
    }
    std::vector<std::string> deputy_ids = k.deputy_ids;
    if (!k.visit_id.empty()) {
        if (auto v = c.store.visit(k.visit_id)) {
            d.visit_subject = c.shown(v->subject);
            if (!v->visitors.empty() && !v->visitors.front().phone.empty()) {
                d.voter = c.shown(v->visitors.front().name);
                d.phone_masked = store::queue::mask_phone(v->visitors.front().phone);
            }
            if (deputy_ids.empty()) deputy_ids = v->deputy_ids;
        }
    }
    for (const auto& dep : deputy_ids)
        d.deputies += (d.deputies.empty() ? "" : "、") + c.ref.label(c.ref.deputies, dep);
    d.deadline_state = cases::deadline_code(cases::deadline_state(k.status, k.deadline, today));
    for (auto a : cases::allowed_actions(k.status)) d.allowed.push_back(cases::action_code(a));
    for (int n : {7, 15, 30})
        d.quick_deadlines.push_back({add_days(today, n), c.i18n.fmt("case.in_days", {std::to_string(n)})});
    // Re-assigning keeps the current department and deadline as the starting point.
    d.department_id = k.department_id;
    d.deadline = k.deadline;
}

// E.g. --view case-detail: a case in progress, else the first on the board.
void CasesScreen::open_some_case(Context& c) {
    refresh_board(c);
    std::string id;
    for (const auto& r : board_.all)
        if (r.status == "in_progress" && id.empty()) id = r.id;
    if (id.empty() && !board_.all.empty()) id = board_.all.front().id;
    if (!id.empty())
        open_case(id, c);
    else
        detail_.loaded_error = c.i18n.tr("case.none");
}

void CasesScreen::submit_action(Context& c) {
    auto& d = detail_;
    d.error.clear();
    const auto action = action_of(d.action);
    if (!action) return;
    // The status may have moved since the buttons were drawn (another tablet, a sync): ask again.
    auto cur = cases::get(c.store, d.id);
    if (!cur) {
        d.error = c.error_text(cur.error());
        return;
    }
    if (auto refusal = cases::check(cur->status, *action)) {
        d.error = refusal_text(*refusal, c.i18n);
        return;
    }
    if (d.error = missing_field(*action, d, c.i18n); !d.error.empty()) return;
    if (auto st = apply_action(*action, d, c); !st) {
        d.error = c.error_text(st.error());
        return;
    }
    const std::string id = d.id;
    detail_.action.clear();
    open_case(id, c);
    refresh_board(c);
    c.app.refresh_status();
    c.app.show_toast("toast.saved");
}

void CasesScreen::new_case(const ui::intent::NewCase& n, Context& c) {
    form_ = {};
    form_.visit_id = n.visit_id;
    if (!n.visit_id.empty()) {
        if (auto v = c.store.visit(n.visit_id)) {
            form_.visit_subject = c.shown(v->subject);
            form_.title = c.shown(v->subject);
            form_.content = c.shown(v->content);
            form_.category = v->category;
        }
    }
    c.app.show(ui::View::CaseForm);
}

void CasesScreen::save_case(Context& c) {
    cases::NewCase nc;
    nc.visit_id = form_.visit_id;
    nc.title = c.stored(form_.title);
    nc.content = c.stored(form_.content);
    nc.category = form_.category;
    auto id = cases::add(c.store, nc);
    if (!id) {
        form_.error = c.error_text(id.error());
        return;
    }
    form_ = {};
    refresh_board(c);
    c.app.refresh_status();
    open_case(*id, c);
    c.app.show_toast("toast.saved");
}

// The record's dates for its period ("" = open).
void CasesScreen::record_period(const std::string& today) {
    auto& r = record_;
    r.from.clear();
    r.to.clear();
    if (r.period == "month") {
        r.from = today.substr(0, 8) + "01";
        r.to = today;
    } else if (r.period == "quarter") {
        r.from = add_days(today, -90);
        r.to = today;
    } else if (r.period == "year") {
        r.from = today.substr(0, 5) + "01-01";
        r.to = today;
    }
}

void CasesScreen::refresh_record(Context& c) {
    auto& r = record_;
    const std::string today = cases::today(c.store);
    if (r.act_date.empty()) r.act_date = today;
    record_period(today);
    r.visits = r.people = r.duty_slots = r.activities = 0;
    r.by_type.clear();
    r.entries.clear();
    r.upcoming.clear();
    if (r.deputy_id.empty()) return;
    auto rec = store::duty::deputy_record(c.store, r.deputy_id, r.from, r.to);
    if (!rec) {
        r.error = c.error_text(rec.error());
        return;
    }
    r.visits = rec->visits;
    r.people = rec->people;
    r.duty_slots = rec->duty_slots;
    r.activities = rec->activity_count();
    for (const auto& t : store::duty::activity_types()) {
        auto it = rec->by_type.find(t.code);
        r.by_type.push_back({t.code, it == rec->by_type.end() ? 0 : it->second});
    }
    for (const auto& e : rec->entries) {
        if (r.entries.size() >= kRecordEntries) break;
        r.entries.push_back({e.date, e.type, c.shown(e.text), e.type == "reception" ? e.people : 0});
    }
    if (auto slots = store::duty::slots(c.store, today, add_days(today, 14)))
        for (const auto& s : *slots)
            if (std::find(s.deputy_ids.begin(), s.deputy_ids.end(), r.deputy_id) != s.deputy_ids.end()) {
                auto v = s;
                v.note = c.shown(v.note);
                r.upcoming.push_back(std::move(v));
            }
    c.app.changed();
}

void CasesScreen::add_activity(Context& c) {
    auto& r = record_;
    r.error.clear();
    store::Activity a;
    a.deputy_id = r.deputy_id;
    a.type = r.act_type;
    a.date = r.act_date;
    a.notes = c.stored(r.act_notes);
    if (!store::valid_date(a.date)) {
        r.error = c.i18n.tr("case.err.date");
        return;
    }
    auto id = store::duty::add_activity(c.store, a);
    if (!id) {
        r.error = c.error_text(id.error());
        return;
    }
    r.adding = false;
    r.act_notes.clear();
    refresh_record(c);
    c.app.refresh_status();
    c.app.show_toast("toast.saved");
}

void CasesScreen::stats_period(const ui::intent::StatsPeriod& p, Context& c) {
    auto& s = stats_;
    if (p.period != s.period) {
        s.period = p.period;
        s.anchor.clear();
    } else if (p.step != 0 && !s.anchor.empty()) {
        if (s.period == "month")
            s.anchor = add_months(s.anchor, p.step);
        else
            s.anchor = std::to_string(std::atoi(s.anchor.c_str()) + p.step);
    }
    refresh_stats(c);
}

// The shown period's dates from its anchor; returns where the month chart starts.
std::string CasesScreen::stats_range(const std::string& today) {
    auto& s = stats_;
    if (s.anchor.empty() || (s.period == "month") != (s.anchor.size() == 7))
        s.anchor = s.period == "month" ? today.substr(0, 7) : today.substr(0, 4);
    if (s.period == "month") {
        s.from = s.anchor + "-01";
        s.to = month_end(s.anchor);
        return add_months(s.anchor, -11) + "-01";
    }
    s.from = s.anchor + "-01-01";
    s.to = s.anchor + "-12-31";
    return s.from;
}

void CasesScreen::refresh_stats(Context& c) {
    namespace stats = store::stats;
    auto& s = stats_;
    const std::string chart_from = stats_range(cases::today(c.store));
    s.error.clear();
    s.message.clear();
    s.export_message.clear();
    s.export_error.clear();
    s.by_month.clear();
    s.by_category.clear();
    s.by_status.clear();
    s.report_lines.clear();
    if (!c.store.initialized()) return;
    auto total = stats::figures(c.store.db(), {s.from, s.to, c.store.station_id()}, stats::By::Category);
    if (!total) {
        s.error = c.error_text(total.error());
        return;
    }
    const auto& f = total->total;
    s.visits = f.visits;
    s.people = f.people;
    s.suggestions = f.suggestions;
    s.resolved = f.resolved;
    s.resolution_rate = f.resolution_rate();
    s.satisfaction_rate = f.satisfaction_rate();
    for (const auto& g : total->groups) {
        if (g.figures.visits == 0) continue;
        ui::ChartBar b;
        b.label = c.ref.label(c.ref.categories, g.key);
        b.value = g.figures.visits;
        b.permille = stats::permille(g.figures.visits, f.visits);
        b.percent = stats::percent(g.figures.visits, f.visits);
        s.by_category.push_back(std::move(b));
    }
    std::stable_sort(s.by_category.begin(), s.by_category.end(),
                     [](const ui::ChartBar& a, const ui::ChartBar& b) { return a.value > b.value; });
    stats_charts(chart_from, c);
    stats_report(f, c);
    refresh_folders(c);
    c.app.changed();
}

// Visits per month up to the period's end, and the period's cases by status.
void CasesScreen::stats_charts(const std::string& chart_from, Context& c) {
    namespace stats = store::stats;
    auto& s = stats_;
    if (auto months = stats::figures(c.store.db(), {chart_from, s.to, c.store.station_id()}, stats::By::Month)) {
        std::vector<ui::charts::MonthCount> counts;
        for (const auto& g : months->groups) counts.push_back({g.key, g.figures.visits});
        for (const auto& m : ui::charts::month_series(counts, cases::today(c.store).substr(0, 7))) {
            ui::ChartBar b;
            b.short_label = std::to_string(std::atoi(m.month.substr(5, 2).c_str()));
            b.label = c.i18n.tr("month." + b.short_label);
            b.value = m.value;
            b.year = m.year;
            b.partial = m.current;
            s.by_month.push_back(std::move(b));
        }
    } else {
        s.error = c.error_text(months.error());
    }
    if (auto st = stats::cases_by_status(c.store.db(), {s.from, s.to, c.store.station_id()})) {
        for (const auto& [code, n] : *st) {
            ui::ChartBar b;
            b.label = c.i18n.tr("case.status." + code);
            b.value = n;
            b.percent = s.suggestions ? stats::percent(n, s.suggestions) : "";
            b.permille = s.suggestions ? stats::permille(n, s.suggestions) : -1;
            s.by_status.push_back(std::move(b));
        }
    } else {
        s.error = c.error_text(st.error());
    }
}

// The work summary: the store's monthly report, or the year's summary sentence.
void CasesScreen::stats_report(const store::stats::Figures& f, Context& c) {
    namespace stats = store::stats;
    auto& s = stats_;
    if (s.period == "month") {
        if (auto rep = stats::monthly_report(c.store.db(), c.store.station_id(), s.anchor)) {
            s.report_title = c.shown(rep->title);
            s.report_lines.push_back(c.shown(rep->summary));
            for (const auto& line : rep->category_lines) s.report_lines.push_back(c.shown(line));
            if (!rep->deputy_line.empty()) s.report_lines.push_back(c.shown(rep->deputy_line));
            s.report_text = c.shown(rep->text());
        }
        return;
    }
    s.report_title = c.i18n.fmt("stats.year_report_title", {c.ref.device.station_name, s.anchor});
    s.report_lines.push_back(c.shown(stats::summary_sentence(f, "本年")));
    s.report_text = s.report_title + "\n" + s.report_lines.front() + "\n";
}

// The text export goes where the tables go (the export folder), written by platform::write_file.
void CasesScreen::export_report(Context& c) {
    auto& s = stats_;
    auto folder = export_folder(c);
    const std::string path = folder ? *folder + "/report-" + s.anchor + ".txt" : c.stored(s.export_folder);
    if (!folder || !platform::write_file(path, c.stored(s.report_text))) {
        s.message = c.shown(c.i18n.fmt("stats.export_failed", {path}));
        return;
    }
    s.message = c.shown(c.i18n.fmt("stats.exported", {path}));
}

// The quick folder choices; the first is the default until the user picks or types another.
void CasesScreen::refresh_folders(Context& c) {
    auto& s = stats_;
    s.folder_choices.clear();
    for (const auto& f : exports::folder_choices(c.data_folder))
        s.folder_choices.emplace_back(c.shown(c.i18n.fmt(f.label_key, {f.name})), c.shown(f.path));
    if (s.export_folder.empty() && !s.folder_choices.empty()) s.export_folder = s.folder_choices.front().second;
}

// The folder to write to (stored form): it must exist, except the data folder's own exports.
Result<std::string> CasesScreen::export_folder(Context& c) {
    std::string folder = c.stored(stats_.export_folder);
    while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
    if (folder == c.data_folder + "/exports") platform::ensure_dir(folder);
    std::error_code ec;
    if (folder.empty() || !std::filesystem::is_directory(folder, ec))
        return coded(Error::Kind::NotFound, "export.no_folder", {folder}, "no folder " + folder);
    return folder;
}

// The shown period's visits, cases or summary (with the figures by category), named in the
// display language.
Result<std::vector<XlsxSheet>> CasesScreen::export_sheets(const std::string& what, Context& c) {
    namespace stats = store::stats;
    const auto& s = stats_;
    const stats::Range range{s.from, s.to, c.store.station_id()};
    exports::Names names{c.i18n, {}};
    for (const auto& k : c.ref.categories) names.categories[k.id] = c.stored(k.label);
    if (what == "report") {
        LIAISON_ASSIGN_OR_RETURN(auto b, stats::figures(c.store.db(), range, stats::By::Category));
        XlsxSheet summary{c.i18n.tr("export.sheet.report"), {c.stored(s.report_title)}, {}, {100}};
        for (const auto& line : s.report_lines) summary.rows.push_back({c.stored(line)});
        return std::vector<XlsxSheet>{
            std::move(summary), exports::sheet_of(c.i18n.tr("export.sheet.figures"), exports::figures_table(b, names))};
    }
    LIAISON_ASSIGN_OR_RETURN(auto kind, stats::parse_export(what));
    // The visitors' names and phones stay on the tablet: a USB stick gets lost (docs/app.md).
    LIAISON_ASSIGN_OR_RETURN(auto t, stats::export_table(c.store.db(), kind, range, false, stats::Cells::Codes));
    return std::vector<XlsxSheet>{exports::sheet_of(c.i18n.tr("export.sheet." + what), exports::shown_table(t, names))};
}

void CasesScreen::export_data(const std::string& what, Context& c) {
    auto& s = stats_;
    s.export_message.clear();
    s.export_error.clear();
    auto written = [&]() -> Result<std::string> {
        LIAISON_ASSIGN_OR_RETURN(auto folder, export_folder(c));
        LIAISON_ASSIGN_OR_RETURN(auto format, exports::parse_format(s.export_format));
        LIAISON_ASSIGN_OR_RETURN(auto sheets, export_sheets(what, c));
        LIAISON_ASSIGN_OR_RETURN(auto bytes, exports::document(format, sheets));
        const std::string path = folder + "/" + what + "-" + s.anchor + exports::extension(format);
        LIAISON_TRY(platform::write_file(path, bytes));
        return path;
    }();
    if (!written) {
        s.export_error = c.shown(c.i18n.fmt("export.failed", {c.error_text(written.error())}));
        return;
    }
    s.export_message = c.shown(c.i18n.fmt("export.written", {*written}));
}

void CasesScreen::enter(ui::View v, Context& c) {
    switch (v) {
        case ui::View::CaseBoard: refresh_board(c); break;
        case ui::View::CaseDetail:
            if (detail_.id.empty())
                open_some_case(c);
            else
                open_case(detail_.id, c);
            break;
        case ui::View::DeputyRecord:
            if (record_.deputy_id.empty() && !c.ref.deputies.empty()) record_.deputy_id = c.ref.deputies.front().id;
            refresh_record(c);
            break;
        case ui::View::Stats: refresh_stats(c); break;
        default: break;
    }
    c.app.show(v);
    c.app.changed();
}

void CasesScreen::handle(const ui::intent::Cases& in, Context& c) {
    namespace it = ui::intent;
    std::visit(Overload{
                   [&](const it::OpenCase& o) { open_case(o.id, c); },
                   [&](const it::CaseFilter& f) { board_.filter = f.status; },
                   [&](const it::CaseBoardQuery&) { refresh_board(c); },
                   [&](const it::CaseOpenAction& a) {
                       detail_.action = a.action;
                       detail_.error.clear();
                   },
                   [&](const it::CaseSubmit&) { submit_action(c); },
                   [&](const it::ShowPhone&) { show_phone(c); },
                   [&](const it::NewCase& n) { new_case(n, c); },
                   [&](const it::SaveCase&) { save_case(c); },
                   [&](const it::PickDeputy& p) {
                       record_.deputy_id = p.id;
                       record_.adding = false;
                       record_.error.clear();
                       refresh_record(c);
                   },
                   [&](const it::RecordPeriod& p) {
                       record_.period = p.period;
                       refresh_record(c);
                   },
                   [&](const it::AddActivity&) { add_activity(c); },
                   [&](const it::StatsPeriod& p) { stats_period(p, c); },
                   [&](const it::ExportReport&) { export_report(c); },
                   [&](const it::CopiedReport&) { c.app.show_toast("stats.copied"); },
                   [&](const it::ExportFormat& f) { stats_.export_format = f.format; },
                   [&](const it::ExportFolder& f) { stats_.export_folder = f.path; },
                   [&](const it::ExportData& d) { export_data(d.what, c); },
               },
               in.v);
    c.app.changed();
}

}  // namespace liaison::app
