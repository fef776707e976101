// The app root's part for the case screens (docs/cases.md): fills the case board, case detail, new
// case form, deputy record and statistics states from the store, and applies their intents.
// Only here do those screens touch the store (client/store/cases.h, duty.h, stats.h).
#include <algorithm>
#include <cstdio>
#include <fstream>

#include "client/app/model.h"
#include "client/store/cases.h"
#include "client/store/duty.h"
#include "client/store/stats.h"
#include "client/app/overload.h"
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
}  // namespace

bool AppModel::is_case_view(ui::View v) {
    return v == ui::View::CaseBoard || v == ui::View::CaseDetail || v == ui::View::CaseForm ||
           v == ui::View::DeputyRecord || v == ui::View::Stats;
}

ui::CaseRowView AppModel::case_row(const cases::CaseRow& r) {
    ui::CaseRowView v;
    v.id = r.id;
    v.title = shown(r.title);
    v.category = ref.label(ref.categories, r.category);
    v.status = r.status;
    v.department = shown(r.department_name);
    v.deadline = r.deadline;
    v.created_at = r.created_at;
    v.deadline_state = cases::deadline_code(r.deadline_state);
    return v;
}

void AppModel::refresh_cases() {
    auto& b = case_board;
    b.columns.clear();
    b.all.clear();
    b.overdue = 0;
    b.error.clear();
    if (!store->initialized()) return;
    b.today = cases::today(*store);
    auto board = cases::board(*store, b.today);
    if (!board) {
        b.error = board.error().message;
        return;
    }
    for (const auto& col : *board) {
        ui::CaseBoardState::Column c;
        c.status = col.status;
        for (const auto& r : col.cases) c.cases.push_back(case_row(r));
        b.columns.push_back(std::move(c));
    }
    cases::CaseQuery q;
    q.today = b.today;
    if (auto all = cases::list(*store, q))
        for (const auto& r : *all) {
            b.all.push_back(case_row(r));
            if (r.deadline_state == cases::DeadlineState::Overdue) ++b.overdue;
        }
    data_changed = true;
}

void AppModel::load_visit_cases() {
    detail.cases.clear();
    if (detail.id.empty()) return;
    cases::CaseQuery q;
    q.visit_id = detail.id;
    if (auto rows = cases::list(*store, q))
        for (const auto& r : *rows) detail.cases.push_back(case_row(r));
}

void AppModel::open_case(const std::string& id) {
    const std::string keep_action = case_detail.id == id ? case_detail.action : "";
    case_detail = {};
    auto& d = case_detail;
    d.id = id;
    view = ui::View::CaseDetail;
    data_changed = true;
    auto c = cases::get(*store, id);
    if (!c) {
        d.loaded_error = c.error().message;
        return;
    }
    const std::string today = cases::today(*store);
    for (const auto& e : c->timeline) d.timeline.push_back({e.at, shown(e.author), e.kind, shown(e.note)});
    d.c = *c;
    d.c.timeline.clear();
    for (auto* f : {&d.c.title, &d.c.content, &d.c.result, &d.c.satisfaction_comment}) *f = shown(*f);
    d.category = ref.label(ref.categories, c->category);
    if (auto deps = store->departments()) {
        for (const auto& dep : *deps) {
            d.departments.push_back({dep.id, shown(dep.name)});
            if (dep.id == c->department_id) d.department = shown(dep.name);
        }
    }
    std::vector<std::string> deputy_ids = c->deputy_ids;
    if (!c->visit_id.empty()) {
        if (auto v = store->visit(c->visit_id)) {
            d.visit_subject = shown(v->subject);
            if (deputy_ids.empty()) deputy_ids = v->deputy_ids;
        }
    }
    for (const auto& dep : deputy_ids) d.deputies += (d.deputies.empty() ? "" : "、") + ref.label(ref.deputies, dep);
    d.deadline_state = cases::deadline_code(cases::deadline_state(c->status, c->deadline, today));
    for (auto a : cases::allowed_actions(c->status)) d.allowed.push_back(cases::action_code(a));
    for (int n : {7, 15, 30}) d.quick_deadlines.push_back({add_days(today, n), i18n.fmt("case.in_days", {std::to_string(n)})});
    // Re-assigning keeps the current department and deadline as the starting point.
    d.department_id = c->department_id;
    d.deadline = c->deadline;
    if (std::find(d.allowed.begin(), d.allowed.end(), keep_action) != d.allowed.end()) d.action = keep_action;
}

std::string AppModel::refusal_text(const cases::Refusal& r) {
    const std::string from = i18n.tr("case.status." + r.from), to = i18n.tr("case.status." + r.to);
    if (r.needs.empty()) return i18n.fmt("case.refused_past", {from, to});
    return i18n.fmt("case.refused", {from, to, i18n.tr("case.status." + r.needs)});
}

void AppModel::submit_case_action() {
    auto& d = case_detail;
    d.error.clear();
    const auto action = action_of(d.action);
    if (!action) return;
    // The status may have moved since the buttons were drawn (another tablet, a sync): ask again.
    auto cur = cases::get(*store, d.id);
    if (!cur) {
        d.error = cur.error().message;
        return;
    }
    if (auto refusal = cases::check(cur->status, *action)) {
        d.error = refusal_text(*refusal);
        return;
    }
    Status st;
    switch (*action) {
        case cases::Action::Assign:
            if (d.department_id.empty()) {
                d.error = i18n.tr("case.err.department");
                return;
            }
            if (!store::valid_date(d.deadline)) {
                d.error = i18n.tr("case.err.deadline");
                return;
            }
            st = cases::assign(*store, d.id, d.department_id, d.deadline, stored(d.note));
            break;
        case cases::Action::Progress:
            if (d.note.empty()) {
                d.error = i18n.tr("case.err.note");
                return;
            }
            st = cases::progress(*store, d.id, stored(d.note));
            break;
        case cases::Action::Close:
            if (d.result.empty()) {
                d.error = i18n.tr("case.err.result");
                return;
            }
            st = cases::close(*store, d.id, stored(d.result));
            break;
        case cases::Action::Feedback: st = cases::feedback(*store, d.id, d.channel, stored(d.note)); break;
        case cases::Action::Rate:
            if (d.satisfaction.empty()) {
                d.error = i18n.tr("case.err.satisfaction");
                return;
            }
            st = cases::rate(*store, d.id, d.satisfaction, stored(d.comment));
            break;
    }
    if (!st) {
        d.error = shown(st.error().message);
        return;
    }
    const std::string id = d.id;
    case_detail.action.clear();
    open_case(id);
    refresh_cases();
    refresh_status();
    show_toast("toast.saved");
}

void AppModel::refresh_record() {
    auto& r = record;
    const std::string today = cases::today(*store);
    if (r.act_date.empty()) r.act_date = today;
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
    r.visits = r.people = r.duty_slots = r.activities = 0;
    r.by_type.clear();
    r.entries.clear();
    r.upcoming.clear();
    if (r.deputy_id.empty()) return;
    auto rec = store::duty::deputy_record(*store, r.deputy_id, r.from, r.to);
    if (!rec) {
        r.error = rec.error().message;
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
        r.entries.push_back({e.date, e.type, shown(e.text), e.type == "reception" ? e.people : 0});
    }
    if (auto slots = store::duty::slots(*store, today, add_days(today, 14)))
        for (const auto& s : *slots)
            if (std::find(s.deputy_ids.begin(), s.deputy_ids.end(), r.deputy_id) != s.deputy_ids.end()) {
                auto v = s;
                v.note = shown(v.note);
                r.upcoming.push_back(std::move(v));
            }
    data_changed = true;
}

void AppModel::add_activity() {
    auto& r = record;
    r.error.clear();
    store::Activity a;
    a.deputy_id = r.deputy_id;
    a.type = r.act_type;
    a.date = r.act_date;
    a.notes = stored(r.act_notes);
    if (!store::valid_date(a.date)) {
        r.error = i18n.tr("case.err.date");
        return;
    }
    auto id = store::duty::add_activity(*store, a);
    if (!id) {
        r.error = shown(id.error().message);
        return;
    }
    r.adding = false;
    r.act_notes.clear();
    refresh_record();
    refresh_status();
    show_toast("toast.saved");
}

void AppModel::refresh_stats() {
    namespace stats = store::stats;
    auto& s = stats_view;
    const std::string today = cases::today(*store);
    if (s.anchor.empty() || (s.period == "month") != (s.anchor.size() == 7))
        s.anchor = s.period == "month" ? today.substr(0, 7) : today.substr(0, 4);
    std::string chart_from;
    if (s.period == "month") {
        s.from = s.anchor + "-01";
        s.to = month_end(s.anchor);
        chart_from = add_months(s.anchor, -11) + "-01";
    } else {
        s.from = s.anchor + "-01-01";
        s.to = s.anchor + "-12-31";
        chart_from = s.from;
    }
    s.error.clear();
    s.message.clear();
    s.by_month.clear();
    s.by_category.clear();
    s.by_status.clear();
    s.report_lines.clear();
    if (!store->initialized()) return;
    const stats::Range range{s.from, s.to, store->station_id()};
    auto total = stats::figures(store->db(), range, stats::By::Category);
    if (!total) {
        s.error = total.error().message;
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
        b.label = ref.label(ref.categories, g.key);
        b.value = g.figures.visits;
        b.permille = stats::permille(g.figures.visits, f.visits);
        b.percent = stats::percent(g.figures.visits, f.visits);
        s.by_category.push_back(std::move(b));
    }
    std::stable_sort(s.by_category.begin(), s.by_category.end(),
                     [](const ui::ChartBar& a, const ui::ChartBar& b) { return a.value > b.value; });
    if (auto months = stats::figures(store->db(), {chart_from, s.to, store->station_id()}, stats::By::Month))
        for (const auto& g : months->groups) {
            ui::ChartBar b;
            b.label = i18n.tr("month." + std::to_string(std::atoi(g.key.substr(5, 2).c_str())));
            b.value = g.figures.visits;
            s.by_month.push_back(std::move(b));
        }
    if (auto st = stats::cases_by_status(store->db(), range)) {
        for (const auto& [code, n] : *st) {
            ui::ChartBar b;
            b.label = i18n.tr("case.status." + code);
            b.value = n;
            b.percent = f.suggestions ? stats::percent(n, f.suggestions) : "";
            s.by_status.push_back(std::move(b));
        }
    }
    // The work summary: the store's monthly report, or the year's summary sentence.
    if (s.period == "month") {
        if (auto rep = stats::monthly_report(store->db(), store->station_id(), s.anchor)) {
            s.report_title = shown(rep->title);
            s.report_lines.push_back(shown(rep->summary));
            for (const auto& line : rep->category_lines) s.report_lines.push_back(shown(line));
            if (!rep->deputy_line.empty()) s.report_lines.push_back(shown(rep->deputy_line));
            s.report_text = shown(rep->text());
        }
    } else {
        s.report_title = i18n.fmt("stats.year_report_title", {ref.device.station_name, s.anchor});
        s.report_lines.push_back(shown(stats::summary_sentence(f, "本年")));
        s.report_text = s.report_title + "\n" + s.report_lines.front() + "\n";
    }
    data_changed = true;
}

void AppModel::export_report() {
    auto& s = stats_view;
    const std::string dir = data_folder + "/exports";
    if (!platform::ensure_dir(dir)) {
        s.message = i18n.fmt("stats.export_failed", {dir});
        return;
    }
    const std::string path = dir + "/report-" + s.anchor + ".txt";
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << stored(s.report_text);
        if (!out.good()) {
            s.message = i18n.fmt("stats.export_failed", {path});
            return;
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        s.message = i18n.fmt("stats.export_failed", {path});
        return;
    }
    s.message = i18n.fmt("stats.exported", {path});
}

void AppModel::navigate_cases(ui::View v) {
    switch (v) {
        case ui::View::CaseBoard: refresh_cases(); break;
        case ui::View::CaseDetail:
            if (case_detail.id.empty()) {  // e.g. --view case-detail: a case in progress, else the first on the board
                refresh_cases();
                std::string id;
                for (const auto& c : case_board.all)
                    if (c.status == "in_progress" && id.empty()) id = c.id;
                if (id.empty() && !case_board.all.empty()) id = case_board.all.front().id;
                if (!id.empty()) {
                    open_case(id);
                } else {
                    case_detail.loaded_error = i18n.tr("case.none");
                }
            } else {
                open_case(case_detail.id);
            }
            break;
        case ui::View::CaseForm: break;
        case ui::View::DeputyRecord:
            if (record.deputy_id.empty() && !ref.deputies.empty()) record.deputy_id = ref.deputies.front().id;
            refresh_record();
            break;
        case ui::View::Stats: refresh_stats(); break;
        default: break;
    }
    view = v;
    data_changed = true;
}

void AppModel::apply_cases(const ui::intent::CaseIntent& in) {
    namespace it = ui::intent;
    std::visit(Overload{
                   [&](const it::OpenCase& o) { open_case(o.id); },
                   [&](const it::CaseFilter& f) { case_board.filter = f.status; },
                   [&](const it::CaseOpenAction& a) {
                       case_detail.action = a.action;
                       case_detail.error.clear();
                   },
                   [&](const it::CaseSubmit&) { submit_case_action(); },
                   [&](const it::NewCase& n) {
                       case_form = {};
                       case_form.visit_id = n.visit_id;
                       if (!n.visit_id.empty()) {
                           if (auto v = store->visit(n.visit_id)) {
                               case_form.visit_subject = shown(v->subject);
                               case_form.title = shown(v->subject);
                               case_form.content = shown(v->content);
                               case_form.category = v->category;
                           }
                       }
                       view = ui::View::CaseForm;
                   },
                   [&](const it::SaveCase&) {
                       cases::NewCase nc;
                       nc.visit_id = case_form.visit_id;
                       nc.title = stored(case_form.title);
                       nc.content = stored(case_form.content);
                       nc.category = case_form.category;
                       auto id = cases::add(*store, nc);
                       if (!id) {
                           case_form.error = shown(id.error().message);
                           return;
                       }
                       case_form = {};
                       refresh_cases();
                       refresh_status();
                       open_case(*id);
                       show_toast("toast.saved");
                   },
                   [&](const it::PickDeputy& p) {
                       record.deputy_id = p.id;
                       record.adding = false;
                       record.error.clear();
                       refresh_record();
                   },
                   [&](const it::RecordPeriod& p) {
                       record.period = p.period;
                       refresh_record();
                   },
                   [&](const it::AddActivity&) { add_activity(); },
                   [&](const it::StatsPeriod& p) {
                       if (p.period != stats_view.period) {
                           stats_view.period = p.period;
                           stats_view.anchor.clear();
                       } else if (p.step != 0 && !stats_view.anchor.empty()) {
                           if (stats_view.period == "month")
                               stats_view.anchor = add_months(stats_view.anchor, p.step);
                           else
                               stats_view.anchor = std::to_string(std::atoi(stats_view.anchor.c_str()) + p.step);
                       }
                       refresh_stats();
                   },
                   [&](const it::ExportReport&) { export_report(); },
                   [&](const it::CopiedReport&) { show_toast("stats.copied"); },
               },
               in);
    data_changed = true;
}

}  // namespace liaison::app
