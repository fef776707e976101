#include "client/app/model.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "client/app/demo.h"
#include "client/store/stats.h"
#include "client/store/duty.h"
#include "client/store/queue.h"
#include "client/ui/ui.h"
#include "client/app/tuning.h"
#include "client/app/overload.h"
#include "platform/platform.h"

namespace liaison::app {

namespace {
int64_t now_ms() { return platform::monotonic_ms(); }

// The desk's font size as saved in the settings; the default when unset or unreadable.
float saved_font_px(store::Store& s) {
    auto text = s.setting("ui.font_px", "20");
    if (!text) return tuning::kDefaultFontPx;
    float px = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), px);
    if (ec != std::errc()) return tuning::kDefaultFontPx;
    return std::clamp(px, 14.0f, 32.0f);
}
}  // namespace

Status AppModel::open(const std::string& data_dir, const std::string& lang_override, bool demo) {
    auto t_lap = std::chrono::steady_clock::now();
    if (!platform::ensure_dir(data_dir)) return Error{Error::Kind::Io, "cannot create data folder " + data_dir};
    store::OpenOptions oo;
    oo.create = true;
    auto s = store::Store::open(data_dir + "/liaison.db", oo);
    if (!s) return s.error();
    store = std::move(*s);
    data_folder = data_dir;

    std::string lang = lang_override;
    if (lang.empty()) {
        auto saved = store->setting("ui.lang", "zh");
        if (!saved) return saved.error();
        lang = *saved;
    }
    auto t = ui::I18n::load(assets_dir, lang);
    if (!t) return t.error();
    i18n = std::move(*t);
    glyphs->note(i18n.all_text());
    font_px = saved_font_px(*store);

    if (!store->initialized()) {
        if (demo) {
            LIAISON_TRY(seed_demo(*store, demo_visit_count()));
        } else {
            view = ui::View::FirstRun;
        }
    } else if (auto n = store->count_visits(store::VisitQuery{}); demo && n && *n == 0) {
        // An enrolled station with no records yet (scripts/start.sh enrols first): --demo still
        // gives a newcomer a living app, in the enrolled station.
        LIAISON_TRY(seed_demo(*store, demo_visit_count()));
    }
    // LIAISON_PERF=1: where start-up time goes (the first frame waits for all of this).
    const bool perf = std::getenv("LIAISON_PERF") != nullptr;
    auto lap = [&](const char* what) {
        if (!perf) return;
        const auto n = std::chrono::steady_clock::now();
        std::fprintf(stderr, "perf: %s %.1f ms\n", what, std::chrono::duration<double, std::milli>(n - t_lap).count());
        t_lap = n;
    };
    lap("open store");
    load_ref();
    restore_draft();
    lap("reference data");
    refresh_home();
    lap("home");
    run_list_query();
    lap("visit list");
    // Pending and conflict counts come just after the first frame: on a big store they take a
    // while, and the first frame should not wait for a badge.
    status_due = now_ms() + tuning::kFirstStatusMs;
    return {};
}

void AppModel::load_ref() {
    ref = {};
    const bool en = i18n.lang() == "en";
    if (auto cats = store->categories())
        for (const auto& c : *cats) ref.categories.push_back({c.id, shown(en ? c.name_en : c.name_zh)});
    if (auto deps = store->deputies(true))
        for (const auto& d : *deps) ref.deputies.push_back({d.id, shown(d.name)});
    if (store->initialized()) {
        if (auto d = store->device()) {
            ref.device = *d;
            ref.device.station_name = shown(d->station_name);
            ref.device.device_name = shown(d->device_name);
            store->set_author(d->device_name);  // until deputies unlock the tablet with their PIN
        }
    }
    settings.server_url = ref.device.server_url;
}

ui::VisitRowView AppModel::row_view(const store::VisitRow& r) {
    ui::VisitRowView v;
    v.id = r.id;
    v.received_at = r.received_at;
    v.category = ref.label(ref.categories, r.category);
    v.subject = shown(r.subject);
    v.visitor = shown(r.first_visitor);
    v.route = r.route;
    v.people = r.people;
    return v;
}

void AppModel::refresh_home() {
    home = {};
    home.today = platform::local_date(platform::wall_ms());
    if (!store->initialized()) return;
    // Exact 批次 and 人次 from the station figures (the same code the monthly report uses).
    auto figures = [&](const std::string& from, int64_t& visits, int64_t& people) {
        store::stats::Range r;
        r.from = from;
        r.to = home.today;
        r.station_id = store->station_id();
        if (auto f = store::stats::figures(store->db(), r)) {
            visits = f->total.visits;
            people = f->total.people;
        }
    };
    figures(home.today, home.today_visits, home.today_people);
    figures(home.today.substr(0, 8) + "01", home.month_visits, home.month_people);
    if (auto slots = store::duty::slots(*store, home.today, home.today)) home.duty = *slots;  // today's duty roster
    store::VisitQuery q;
    q.limit = tuning::kRecentVisits;
    if (auto rows = store->find_visits(q))
        for (const auto& r : *rows) home.recent.push_back(row_view(r));
    data_changed = true;
}

bool AppModel::refresh_status() {
    const ui::SyncStatus before = sync;
    const size_t conflicts_before = sync_view.conflicts.size();
    if (auto p = store->pending_changes()) sync.pending = *p;
    sync_view.conflicts.clear();
    if (auto cs = store->conflicts()) {
        for (auto c : *cs) {
            c.mine = shown(c.mine);
            c.theirs = shown(c.theirs);
            c.record_label = shown(c.record_label);
            sync_view.conflicts.push_back(std::move(c));
        }
        sync.conflicts = static_cast<int64_t>(cs->size());
    }
    sync_view.status = sync;
    // Redraw only when something visible changed: the periodic refresh must not cost frames.
    const bool changed = sync.pending != before.pending || sync.conflicts != before.conflicts ||
                         sync.online != before.online || sync.last_success != before.last_success ||
                         sync.last_error != before.last_error || sync_view.conflicts.size() != conflicts_before;
    if (changed) data_changed = true;
    return changed;
}

namespace {
store::VisitQuery list_query(const ui::VisitListState& l, const ui::Glyphs& g) {
    store::VisitQuery q;
    q.text = g.stored(l.text);
    if (store::valid_date(l.from)) q.from = l.from;
    if (store::valid_date(l.to)) q.to = l.to;
    q.category = l.category;
    q.deputy_id = l.deputy_id;
    return q;
}
}  // namespace

void AppModel::run_list_query() {
    list_query_due = 0;
    list.cache.clear();
    list.cache_offset = 0;
    list.error.clear();
    list.scroll_to_top = true;
    if (!store->initialized()) {
        list.total = 0;
        return;
    }
    auto q = list_query(list, *glyphs);
    auto n = store->count_visits(q);
    if (!n) {
        list.total = 0;
        list.error = n.error().message;
        return;
    }
    list.total = *n;
    fetch_rows(0, 40);
}

void AppModel::fetch_rows(int64_t first, int64_t last) {
    const auto t0 = std::chrono::steady_clock::now();
    auto q = list_query(list, *glyphs);
    q.offset = std::max<int64_t>(0, first - tuning::kRowMargin);
    q.limit = (last - first) + 2 * tuning::kRowMargin;
    auto rows = store->find_visits(q);
    if (!rows) {
        list.error = rows.error().message;
        return;
    }
    list.cache_offset = q.offset;
    list.cache.clear();
    list.cache.reserve(rows->size());
    for (const auto& r : *rows) list.cache.push_back(row_view(r));
    list.last_query_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    data_changed = true;
}

void AppModel::open_visit(const std::string& id) {
    detail = {};
    detail.id = id;
    auto v = store->visit(id);
    if (!v) {
        detail.error = v.error().message;
        view = ui::View::VisitDetail;
        return;
    }
    detail.visit = *v;
    auto& d = detail.visit;
    for (auto* f : {&d.subject, &d.content, &d.route_reason, &d.notes}) *f = shown(*f);
    for (auto& p : d.visitors) p.name = shown(p.name);
    for (const auto& dep : d.deputy_ids) detail.deputy_names.push_back(ref.label(ref.deputies, dep));
    if (auto a = store->audit_trail("visits", id)) {
        for (auto e : *a) {
            if (e.column == "station_id" || e.column == "created_at" || e.column == "visit_id") continue;
            e.author = shown(e.author);
            e.device = shown(e.device);
            if (e.column == "deputy_ids") {  // ids are meaningless to a person: show names
                auto names = [&](const std::string& ids) {
                    std::string out;
                    size_t p = 0;
                    while (p < ids.size()) {
                        size_t q = ids.find(',', p);
                        if (q == std::string::npos) q = ids.size();
                        out += (out.empty() ? "" : "、") + ref.label(ref.deputies, ids.substr(p, q - p));
                        p = q + 1;
                    }
                    return out;
                };
                e.old_value = names(e.old_value);
                e.new_value = names(e.new_value);
            } else if (e.column == "category") {
                e.old_value = ref.label(ref.categories, e.old_value);
                e.new_value = ref.label(ref.categories, e.new_value);
            } else if (e.column == "route" || e.column == "channel") {
                const std::string pre = e.column == "route" ? "route." : "channel.";
                if (!e.old_value.empty()) e.old_value = i18n.tr(pre + e.old_value);
                if (!e.new_value.empty()) e.new_value = i18n.tr(pre + e.new_value);
            } else {
                e.old_value = shown(e.old_value);
                e.new_value = shown(e.new_value);
            }
            detail.audit.push_back(std::move(e));
        }
    }
    std::reverse(detail.audit.begin(), detail.audit.end());  // newest first
    load_visit_cases();
    view = ui::View::VisitDetail;
    data_changed = true;
}

void AppModel::first_run_done(const Status& st) {
    if (!st) {
        first_run.error = st.error().message;
        return;
    }
    load_ref();
    refresh_status();
    run_list_query();
    navigate(ui::View::Home);
}

void AppModel::navigate(ui::View v) {
    view = v;
    switch (v) {
        case ui::View::Home: refresh_home(); break;
        case ui::View::Sync: refresh_status(); break;
        case ui::View::Settings: {
            settings.server_url = ref.device.server_url;
            settings.message_key.clear();
            settings.kiosk_error.clear();
            settings.pin_message.clear();
            auto letter = store::queue::series(*store);
            settings.ticket_series = letter ? *letter : std::string();
            auto lock = store::kiosk::load_lock(*store);
            settings.default_kiosk_pin = lock && lock->using_default_pin();
            break;
        }
        case ui::View::VisitForm: new_form(); break;
        case ui::View::Queue: refresh_queue(); break;
        case ui::View::Kiosk:
            if (auto st = start_kiosk(ui::KioskStep::Welcome, kiosk_mode); !st) {
                navigate(ui::View::Settings);  // where kiosk mode is started, with the reason it cannot
                settings.kiosk_error = st.error().message;
                return;
            }
            break;
        case ui::View::CaseBoard:
        case ui::View::CaseDetail:
        case ui::View::CaseForm:
        case ui::View::DeputyRecord:
        case ui::View::Stats: navigate_cases(v); break;
        case ui::View::VisitDetail:
            if (detail.id.empty()) {  // e.g. --view visit-detail: show the newest visit
                store::VisitQuery q;
                q.limit = 1;
                if (auto rows = store->find_visits(q); rows && !rows->empty()) open_visit(rows->front().id);
                else detail.error = i18n.tr("detail.none");
            }
            break;
        default: break;
    }
    data_changed = true;
}

std::string AppModel::draft_key() const { return "visit-form"; }

void AppModel::new_form() {
    view = ui::View::VisitForm;
    // A new visit in progress (or restored from a draft) is kept until saved or discarded.
    if (form.editing_id.empty() && (!form.subject.empty() || !form.content.empty() || !form.touched.empty())) return;
    form = {};
    form.received_at = platform::local_datetime(platform::wall_ms());
    ui::validate_form(form);
}

namespace {
nlohmann::json form_json(const ui::VisitFormState& f, const ui::Glyphs& g) {
    return {{"editing_id", f.editing_id}, {"received_at", f.received_at},  {"channel", f.channel},
            {"category", f.category},     {"subject", g.stored(f.subject)}, {"content", g.stored(f.content)},
            {"route", f.route},           {"route_reason", g.stored(f.route_reason)},
            {"notes", g.stored(f.notes)}, {"visitor_name", g.stored(f.visitor_name)},
            {"visitor_phone", f.visitor_phone}, {"people", f.people}, {"deputy_ids", f.deputy_ids},
            {"touched", f.touched}};
}
}  // namespace

void AppModel::save_draft_now() {
    draft_due = 0;
    if (!store) return;
    if (auto st = store->save_draft(draft_key(), form_json(form, *glyphs).dump()); !st)
        form.save_error = st.error().message;
}

void AppModel::restore_draft() {
    auto d = store->draft(draft_key());
    if (!d || d->empty()) return;
    auto j = nlohmann::json::parse(*d, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return;
    form = {};
    auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
    form.editing_id = str("editing_id");
    form.received_at = str("received_at");
    form.channel = str("channel").empty() ? "station" : str("channel");
    form.category = str("category");
    form.subject = shown(str("subject"));
    form.content = shown(str("content"));
    form.route = str("route");
    form.route_reason = shown(str("route_reason"));
    form.notes = shown(str("notes"));
    form.visitor_name = shown(str("visitor_name"));
    form.visitor_phone = str("visitor_phone");
    if (j.contains("people") && j["people"].is_number_integer()) form.people = j["people"].get<int64_t>();
    if (j.contains("deputy_ids") && j["deputy_ids"].is_array())
        for (const auto& x : j["deputy_ids"])
            if (x.is_string()) form.deputy_ids.push_back(x.get<std::string>());
    if (j.contains("touched") && j["touched"].is_array())
        for (const auto& x : j["touched"])
            if (x.is_string()) form.touched.insert(x.get<std::string>());
    form.notice_key = "form.draft_restored";
    ui::validate_form(form);
}

void AppModel::save_form() {
    form.tried_save = true;
    ui::validate_form(form);
    if (!form.errors.empty()) return;
    store::Visit v;
    v.received_at = form.received_at;
    v.channel = form.channel;
    v.category = form.category;
    v.subject = stored(form.subject);
    v.content = stored(form.content);
    v.route = form.route;
    v.route_reason = form.route == "legal_channel" ? stored(form.route_reason) : "";
    v.notes = stored(form.notes);
    v.people = form.people;
    v.deputy_ids = form.deputy_ids;
    v.queue_ticket_id = form.queue_ticket_id;
    std::string id = form.editing_id;
    Status served;
    if (form.editing_id.empty()) {
        if (!form.visitor_name.empty() || !form.visitor_phone.empty()) {
            store::Visitor p;
            p.name = stored(form.visitor_name);
            p.phone = form.visitor_phone;
            v.visitors.push_back(p);
        }
        auto r = store->add_visit(v);
        if (!r) {
            form.save_error = r.error().message;
            return;
        }
        id = *r;
        // Started from the queue's "call next": the visit closes its ticket.
        if (!form.queue_ticket_id.empty())
            if (auto t = store::queue::serve(*store, form.queue_ticket_id, id); !t) served = t.error();
    } else {
        store::VisitPatch p;
        p.received_at = v.received_at;
        p.channel = v.channel;
        p.category = v.category;
        p.subject = v.subject;
        p.content = v.content;
        p.route = v.route;
        p.route_reason = v.route_reason;
        p.notes = v.notes;
        p.people = v.people;
        p.deputy_ids = v.deputy_ids;
        p.visitor_name = stored(form.visitor_name);
        p.visitor_phone = form.visitor_phone;
        auto st = store->update_visit(form.editing_id, p);
        if (!st) {
            form.save_error = st.error().message;
            return;
        }
    }
    const Status cleared = store->clear_draft(draft_key());
    draft_due = 0;
    const bool was_edit = !form.editing_id.empty();
    const bool from_queue = !form.queue_ticket_id.empty();
    form = {};
    show_toast("toast.saved");
    report(served);   // the visit is saved; its ticket stays open on the queue panel
    report(cleared);  // the visit is saved; only a stale draft would come back
    refresh_status();
    refresh_home();
    run_list_query();
    if (was_edit)
        open_visit(id);
    else if (from_queue)
        navigate(ui::View::Queue);
    else
        view = ui::View::Visits;
}

void AppModel::set_language(const std::string& lang) {
    auto t = ui::I18n::load(assets_dir, lang);
    if (!t) return;
    i18n = std::move(*t);
    glyphs->note(i18n.all_text());
    report(store->set_setting("ui.lang", i18n.lang()));
    load_ref();
    refresh_home();
    run_list_query();
    if (!detail.id.empty() && view == ui::View::VisitDetail) open_visit(detail.id);
    if (is_case_view(view)) navigate_cases(view);
}

void AppModel::show_toast(const std::string& key) {
    toast = i18n.tr(key);
    toast_until = now_ms() + tuning::kToastMs;
    data_changed = true;
}

void AppModel::report(const Status& st) {
    if (st) return;
    toast = shown(st.error().message);
    toast_until = now_ms() + tuning::kToastMs;
    data_changed = true;
}

void AppModel::flush() {
    if (draft_due) save_draft_now();
}

bool AppModel::run_timers(int64_t now) {
    bool ran = false;
    if (list_query_due && now >= list_query_due) {
        run_list_query();
        ran = true;
    }
    if (draft_due && now >= draft_due) {
        save_draft_now();
        ran = true;
    }
    if (toast_until && now >= toast_until) {
        toast.clear();
        toast_until = 0;
        ran = true;
    }
    if (kiosk_timers(now)) ran = true;
    if (status_due && now >= status_due) {
        // Once: afterwards local writes refresh it, and the sync worker posts its own status.
        ran = refresh_status() || ran;
        status_due = 0;
    }
    return ran;
}

int64_t AppModel::next_deadline() const {
    int64_t d = 0;
    for (int64_t t : {list_query_due, draft_due, toast_until, status_due, kiosk_deadline()})
        if (t && (!d || t < d)) d = t;
    return d;
}

void AppModel::apply(const ui::Intent& in) {
    // Any intent that wrote to the store (a visit, a case step, a resolution...) wakes the sync
    // worker, which debounces bursts into one round.
    const int64_t writes_before = store->write_count();
    apply_intent(in);
    if (worker && store->write_count() != writes_before) worker->notify_local_write();
}

void AppModel::apply_intent(const ui::Intent& in) {
    const int64_t now = now_ms();
    std::visit(
        Overload{
            [&](const ui::intent::Navigate& n) { navigate(n.to); },
            [&](const ui::intent::OpenVisit& o) { open_visit(o.id); },
            [&](const ui::intent::NewVisit&) { new_form(); },
            [&](const ui::intent::EditVisit& e) {
                auto v = store->visit(e.id);
                if (!v) return;
                form = {};
                form.editing_id = e.id;
                form.received_at = v->received_at;
                form.channel = v->channel;
                form.category = v->category;
                form.subject = shown(v->subject);
                form.content = shown(v->content);
                form.route = v->route;
                form.route_reason = shown(v->route_reason);
                form.notes = shown(v->notes);
                form.people = v->people;
                form.deputy_ids = v->deputy_ids;
                if (!v->visitors.empty()) {
                    form.visitor_name = shown(v->visitors.front().name);
                    form.visitor_phone = v->visitors.front().phone;
                }
                ui::validate_form(form);
                view = ui::View::VisitForm;
            },
            [&](const ui::intent::SaveVisit&) { save_form(); },
            [&](const ui::intent::FormEdited&) {
                form.notice_key.clear();
                if (immediate)
                    save_draft_now();
                else
                    draft_due = now + tuning::kDraftDebounceMs;
            },
            [&](const ui::intent::DiscardForm&) {
                const std::string editing = form.editing_id;
                report(store->clear_draft(draft_key()));
                draft_due = 0;
                form = {};
                if (!editing.empty())
                    open_visit(editing);
                else
                    navigate(ui::View::Home);
            },
            [&](const ui::intent::ListQueryChanged& q) {
                if (immediate || q.immediate)
                    run_list_query();
                else
                    list_query_due = now + tuning::kSearchDebounceMs;
            },
            [&](const ui::intent::NeedRows& r) { fetch_rows(r.first, r.last); },
            [&](const ui::intent::ResolveConflict& r) {
                auto st = store->resolve_conflict(r.id, r.keep);
                sync_view.message = st ? i18n.tr("sync.resolved") : st.error().message;
                refresh_status();
            },
            [&](const ui::intent::ResolveConflictWith& r) {
                auto st = store->resolve_conflict_with(r.id, stored(r.text));
                sync_view.message = st ? i18n.tr("sync.resolved") : st.error().message;
                sync_view.edits.erase(r.id);
                refresh_status();
            },
            [&](const ui::intent::SetLanguage& l) { set_language(l.lang); },
            [&](const ui::intent::SetFontSize& f) {
                font_px = std::clamp(f.px, 14.0f, 32.0f);
                report(store->set_setting("ui.font_px", std::to_string(static_cast<int>(font_px))));
            },
            [&](const ui::intent::SaveServer& s) {
                std::string token;
                if (auto t = store->token()) token = *t;
                auto st = store->set_server(s.url, token);
                settings.message_key = st ? "settings.server_saved" : "settings.server_invalid";
                load_ref();
            },
            [&](const ui::intent::ChangeKioskPin&) { change_kiosk_pin(); },
            [&](const ui::intent::StartKiosk&) {
                if (auto st = start_kiosk(ui::KioskStep::Welcome, true); !st) settings.kiosk_error = st.error().message;
            },
            [&](const ui::intent::SeedDemo&) {
                first_run_done(seed_demo(*store, demo_visit_count()));
            },
            [&](const ui::intent::Kiosk& k) { apply_kiosk(k); },
            [&](const ui::intent::Queue& q) { apply_queue(q); },
            [&](const ui::intent::Cases& c) { apply_cases(c.v); },
            [&](const ui::intent::InitStation& i) {
                first_run_done(store->init(stored(i.station), stored(i.device)));
            },
        },
        in);
    data_changed = true;
}

}  // namespace liaison::app
