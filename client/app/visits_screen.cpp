// The visit screens' state: home figures, the list's row cache, the form and its draft, a
// visit's detail; and their intents.
#include "client/app/visits_screen.h"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include "client/app/cases_screen.h"
#include "client/app/tuning.h"
#include "client/store/duty.h"
#include "client/store/queue.h"
#include "client/store/stats.h"
#include "platform/platform.h"
#include "sync/core/json.h"

namespace liaison::app {

namespace {
const char* const kDraftKey = "visit-form";

store::VisitQuery list_query(const ui::VisitListState& l, const ui::Glyphs& g) {
    store::VisitQuery q;
    q.text = g.stored(l.text);
    if (store::valid_date(l.from)) q.from = l.from;
    if (store::valid_date(l.to)) q.to = l.to;
    q.category = l.category;
    q.deputy_id = l.deputy_id;
    return q;
}

nlohmann::json form_json(const ui::VisitFormState& f, const ui::Glyphs& g) {
    return {{"editing_id", f.editing_id},
            {"received_at", f.received_at},
            {"channel", f.channel},
            {"category", f.category},
            {"subject", g.stored(f.subject)},
            {"content", g.stored(f.content)},
            {"route", f.route},
            {"route_reason", g.stored(f.route_reason)},
            {"notes", g.stored(f.notes)},
            {"visitor_name", g.stored(f.visitor_name)},
            {"visitor_phone", f.visitor_phone},
            {"people", f.people},
            {"deputy_ids", f.deputy_ids},
            {"touched", f.touched}};
}

ui::VisitFormState form_from_json(const nlohmann::json& j, const Context& c) {
    ui::VisitFormState form;
    auto str = [&](const char* k) {
        return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
    };
    form.editing_id = str("editing_id");
    form.received_at = str("received_at");
    form.channel = str("channel").empty() ? "station" : str("channel");
    form.category = str("category");
    form.subject = c.shown(str("subject"));
    form.content = c.shown(str("content"));
    form.route = str("route");
    form.route_reason = c.shown(str("route_reason"));
    form.notes = c.shown(str("notes"));
    form.visitor_name = c.shown(str("visitor_name"));
    form.visitor_phone = str("visitor_phone");
    if (j.contains("people") && j["people"].is_number_integer()) form.people = j["people"].get<int64_t>();
    if (j.contains("deputy_ids") && j["deputy_ids"].is_array())
        for (const auto& x : j["deputy_ids"])
            if (x.is_string()) form.deputy_ids.push_back(x.get<std::string>());
    if (j.contains("touched") && j["touched"].is_array())
        for (const auto& x : j["touched"])
            if (x.is_string()) form.touched.insert(x.get<std::string>());
    return form;
}

store::Visit visit_of(const ui::VisitFormState& f, const Context& c) {
    store::Visit v;
    v.received_at = f.received_at;
    v.channel = f.channel;
    v.category = f.category;
    v.subject = c.stored(f.subject);
    v.content = c.stored(f.content);
    v.route = f.route;
    v.route_reason = f.route == "legal_channel" ? c.stored(f.route_reason) : "";
    v.notes = c.stored(f.notes);
    v.people = f.people;
    v.deputy_ids = f.deputy_ids;
    v.queue_ticket_id = f.queue_ticket_id;
    return v;
}

store::VisitPatch patch_of(const store::Visit& v, const ui::VisitFormState& f, const Context& c) {
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
    p.visitor_name = c.stored(f.visitor_name);
    p.visitor_phone = f.visitor_phone;
    return p;
}

// An audit entry as a person reads it: names for ids, translated codes, display form.
void audit_values(store::AuditEntry& e, const Context& c) {
    if (e.column == "deputy_ids") {  // ids are meaningless to a person: show names
        auto names = [&](const std::string& ids) {
            std::string out;
            size_t p = 0;
            while (p < ids.size()) {
                size_t q = ids.find(',', p);
                if (q == std::string::npos) q = ids.size();
                out += (out.empty() ? "" : "、") + c.ref.label(c.ref.deputies, ids.substr(p, q - p));
                p = q + 1;
            }
            return out;
        };
        e.old_value = names(e.old_value);
        e.new_value = names(e.new_value);
    } else if (e.column == "category") {
        e.old_value = c.ref.label(c.ref.categories, e.old_value);
        e.new_value = c.ref.label(c.ref.categories, e.new_value);
    } else if (e.column == "route" || e.column == "channel") {
        const std::string pre = e.column == "route" ? "route." : "channel.";
        if (!e.old_value.empty()) e.old_value = c.i18n.tr(pre + e.old_value);
        if (!e.new_value.empty()) e.new_value = c.i18n.tr(pre + e.new_value);
    } else {
        e.old_value = c.shown(e.old_value);
        e.new_value = c.shown(e.new_value);
    }
}
}  // namespace

bool VisitsScreen::owns(ui::View v) {
    return v == ui::View::Home || v == ui::View::Visits || v == ui::View::VisitForm || v == ui::View::VisitDetail;
}

void VisitsScreen::draw(ui::Ui& u, ui::View v, const Context& c, const ui::SyncStatus& sync) {
    switch (v) {
        case ui::View::Home: ui::draw_home(u, home_, sync, c.ref); break;
        case ui::View::Visits: ui::draw_visit_list(u, list_, c.ref); break;
        case ui::View::VisitForm: ui::draw_visit_form(u, form_, c.ref); break;
        case ui::View::VisitDetail: ui::draw_visit_detail(u, detail_, c.ref); break;
        default: break;
    }
}

void VisitsScreen::enter(ui::View v, Context& c) {
    switch (v) {
        case ui::View::Home: refresh_home(c); break;
        case ui::View::VisitForm: new_form(c); break;
        case ui::View::VisitDetail:
            if (detail_.id.empty()) open_newest(c);  // e.g. --view visit-detail
            break;
        default: break;
    }
}

ui::VisitRowView VisitsScreen::row_view(const store::VisitRow& r, const Context& c) const {
    ui::VisitRowView v;
    v.id = r.id;
    v.received_at = r.received_at;
    v.category = c.ref.label(c.ref.categories, r.category);
    v.subject = c.shown(r.subject);
    v.visitor = c.shown(r.first_visitor);
    v.route = r.route;
    v.people = r.people;
    return v;
}

namespace {
// The deputies whose duty runs now (started today by their sign-in, not ended), on the store's clock.
std::vector<store::duty::Shift> duty_held(Context& c) {
    auto held = store::duty::open_shifts(c.store, platform::local_date(c.store.now()));
    if (!held) {
        c.app.report(held.error());
        return {};
    }
    return std::move(*held);
}
}  // namespace

void VisitsScreen::refresh_home(Context& c) {
    home_ = {};
    home_.today = platform::local_date(c.store.now());  // the store's clock: --now fixes it for tests
    if (!c.store.initialized()) return;
    // Exact 批次 and 人次 from the station figures (the same code the monthly report uses).
    auto figures = [&](const std::string& from, int64_t& visits, int64_t& people) {
        store::stats::Range r;
        r.from = from;
        r.to = home_.today;
        r.station_id = c.store.station_id();
        if (auto f = store::stats::figures(c.store.db(), r)) {
            visits = f->total.visits;
            people = f->total.people;
        }
    };
    figures(home_.today, home_.today_visits, home_.today_people);
    figures(home_.today.substr(0, 8) + "01", home_.month_visits, home_.month_people);
    if (auto slots = store::duty::slots(c.store, home_.today, home_.today)) home_.duty = *slots;  // today's duty roster
    for (const auto& d : duty_held(c))
        home_.on_duty.push_back({d.deputy_id, c.ref.label(c.ref.deputies, d.deputy_id), d.started_at.substr(11, 5)});
    store::VisitQuery q;
    q.limit = tuning::kRecentVisits;
    if (auto rows = c.store.find_visits(q))
        for (const auto& r : *rows) home_.recent.push_back(row_view(r, c));
    c.app.changed();
}

void VisitsScreen::run_list_query(Context& c) {
    list_query_due_ = 0;
    list_.cache.clear();
    list_.cache_offset = 0;
    list_.error.clear();
    list_.scroll_to_top = true;
    list_.today = platform::local_date(platform::wall_ms());
    if (!c.store.initialized()) {
        list_.total = 0;
        return;
    }
    auto q = list_query(list_, c.glyphs);
    auto n = c.store.count_visits(q);
    if (!n) {
        list_.total = 0;
        list_.error = c.error_text(n.error());
        return;
    }
    list_.total = *n;
    fetch_rows(0, 40, c);
}

void VisitsScreen::fetch_rows(int64_t first, int64_t last, Context& c) {
    const auto t0 = std::chrono::steady_clock::now();
    auto q = list_query(list_, c.glyphs);
    q.offset = std::max<int64_t>(0, first - tuning::kRowMargin);
    q.limit = (last - first) + 2 * tuning::kRowMargin;
    auto rows = c.store.find_visits(q);
    if (!rows) {
        list_.error = c.error_text(rows.error());
        return;
    }
    list_.cache_offset = q.offset;
    list_.cache.clear();
    list_.cache.reserve(rows->size());
    for (const auto& r : *rows) list_.cache.push_back(row_view(r, c));
    list_.last_query_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    c.app.changed();
}

void VisitsScreen::open_visit(const std::string& id, Context& c) {
    detail_ = {};
    detail_.id = id;
    auto v = c.store.visit(id);
    if (!v) {
        detail_.error = c.error_text(v.error());
        c.app.show(ui::View::VisitDetail);
        return;
    }
    detail_.visit = *v;
    auto& d = detail_.visit;
    for (auto* f : {&d.subject, &d.content, &d.route_reason, &d.notes}) *f = c.shown(*f);
    for (auto& p : d.visitors) p.name = c.shown(p.name);
    for (const auto& dep : d.deputy_ids) detail_.deputy_names.push_back(c.ref.label(c.ref.deputies, dep));
    load_audit(id, c);
    detail_.cases = cases_of_visit(detail_.id, c);
    c.app.show(ui::View::VisitDetail);
    c.app.changed();
}

void VisitsScreen::load_audit(const std::string& id, Context& c) {
    if (auto a = c.store.audit_trail("visits", id)) {
        for (auto e : *a) {
            if (e.column == "station_id" || e.column == "created_at" || e.column == "visit_id") continue;
            e.author = c.shown(e.author);
            e.device = c.shown(e.device);
            audit_values(e, c);
            detail_.audit.push_back(std::move(e));
        }
    }
    std::reverse(detail_.audit.begin(), detail_.audit.end());  // newest first
}

void VisitsScreen::open_newest(Context& c) {
    store::VisitQuery q;
    q.limit = 1;
    if (auto rows = c.store.find_visits(q); rows && !rows->empty())
        open_visit(rows->front().id, c);
    else
        detail_.error = c.i18n.tr("detail.none");
}

void VisitsScreen::reopen_detail(ui::View shown, Context& c) {
    if (!detail_.id.empty() && shown == ui::View::VisitDetail) open_visit(detail_.id, c);
}

void VisitsScreen::new_form(Context& c) {
    c.app.show(ui::View::VisitForm);
    // A new visit in progress (or restored from a draft) is kept until saved or discarded.
    if (form_.editing_id.empty() && (!form_.subject.empty() || !form_.content.empty() || !form_.touched.empty()))
        return;
    form_ = {};
    form_.received_at = platform::local_datetime(platform::wall_ms());
    // Who receives the visitor: the deputies on duty, and whoever signed in if a deputy.
    for (const auto& d : duty_held(c)) form_.deputy_ids.push_back(d.deputy_id);
    const std::string me = c.app.signed_in_deputy();
    if (!me.empty() && std::find(form_.deputy_ids.begin(), form_.deputy_ids.end(), me) == form_.deputy_ids.end())
        form_.deputy_ids.push_back(me);
    ui::validate_form(form_);
}

void VisitsScreen::open_form(ui::VisitFormState f, Context& c) {
    form_ = std::move(f);
    ui::validate_form(form_);
    c.app.show(ui::View::VisitForm);
    c.app.changed();
}

void VisitsScreen::handle(const ui::intent::EditVisit& e, Context& c) {
    auto v = c.store.visit(e.id);
    if (!v) return;
    form_ = {};
    form_.editing_id = e.id;
    form_.received_at = v->received_at;
    form_.channel = v->channel;
    form_.category = v->category;
    form_.subject = c.shown(v->subject);
    form_.content = c.shown(v->content);
    form_.route = v->route;
    form_.route_reason = c.shown(v->route_reason);
    form_.notes = c.shown(v->notes);
    form_.people = v->people;
    form_.deputy_ids = v->deputy_ids;
    if (!v->visitors.empty()) {
        form_.visitor_name = c.shown(v->visitors.front().name);
        form_.visitor_phone = v->visitors.front().phone;
    }
    ui::validate_form(form_);
    c.app.show(ui::View::VisitForm);
}

void VisitsScreen::save_draft_now(Context& c) {
    draft_due_ = 0;
    if (auto st = c.store.save_draft(kDraftKey, form_json(form_, c.glyphs).dump()); !st)
        form_.save_error = c.error_text(st.error());
}

void VisitsScreen::restore_draft(Context& c) {
    auto d = c.store.draft(kDraftKey);
    if (!d || d->empty()) return;
    // A draft that no longer parses is left alone: the form starts empty, as with no draft.
    auto j = sync::parse_json(*d, "draft");
    if (!j || !j->is_object()) return;
    form_ = form_from_json(*j, c);
    form_.notice_key = "form.draft_restored";
    ui::validate_form(form_);
}

void VisitsScreen::handle(const ui::intent::SaveVisit&, Context& c) {
    form_.tried_save = true;
    ui::validate_form(form_);
    if (!form_.errors.empty()) return;
    Status served;
    if (auto id = write_form(served, c)) after_save(*id, served, c);
}

// Adds or updates the visit; its id, or nothing with the store's message in the form.
std::optional<std::string> VisitsScreen::write_form(Status& served, Context& c) {
    store::Visit v = visit_of(form_, c);
    if (!form_.editing_id.empty()) {
        if (auto st = c.store.update_visit(form_.editing_id, patch_of(v, form_, c)); !st) {
            form_.save_error = c.error_text(st.error());
            return std::nullopt;
        }
        return form_.editing_id;
    }
    if (!form_.visitor_name.empty() || !form_.visitor_phone.empty()) {
        store::Visitor p;
        p.name = c.stored(form_.visitor_name);
        p.phone = form_.visitor_phone;
        v.visitors.push_back(p);
    }
    auto r = c.store.add_visit(v);
    if (!r) {
        form_.save_error = c.error_text(r.error());
        return std::nullopt;
    }
    // Started from the queue's "call next": the visit closes its ticket.
    if (!form_.queue_ticket_id.empty())
        if (auto t = store::queue::serve(c.store, form_.queue_ticket_id, *r); !t) served = t.error();
    return *r;
}

void VisitsScreen::after_save(const std::string& id, const Status& served, Context& c) {
    const Status cleared = c.store.clear_draft(kDraftKey);
    draft_due_ = 0;
    const bool was_edit = !form_.editing_id.empty();
    const bool from_queue = !form_.queue_ticket_id.empty();
    const bool escalated = form_.route == "escalated";
    form_ = {};
    c.app.show_toast("toast.saved");
    c.app.report(served);   // the visit is saved; its ticket stays open on the queue panel
    c.app.report(cleared);  // the visit is saved; only a stale draft would come back
    c.app.refresh_status();
    refresh_home(c);
    run_list_query(c);
    if (was_edit)
        open_visit(id, c);
    else if (escalated)  // 上报·形成代表建议: the case it promises, filled in, one tap from saved
        c.app.open_case_form(id);
    else if (from_queue)
        c.app.navigate(ui::View::Queue);
    else
        c.app.show(ui::View::Visits);
}

void VisitsScreen::handle(const ui::intent::FormEdited&, Context& c) {
    form_.notice_key.clear();
    if (c.immediate)
        save_draft_now(c);
    else
        draft_due_ = platform::monotonic_ms() + tuning::kDraftDebounceMs;
}

bool VisitsScreen::undo(Context& c) {
    if (!discarded_ || platform::monotonic_ms() > undo_until_) return false;
    form_ = std::move(*discarded_);
    discarded_.reset();
    form_.confirm_discard = false;
    save_draft_now(c);  // the draft comes back too
    c.app.show(ui::View::VisitForm);
    c.app.changed();
    return true;
}

void VisitsScreen::handle(const ui::intent::DiscardForm&, Context& c) {
    const std::string editing = form_.editing_id;
    if (editing.empty()) {  // a new visit: kept a few seconds for the undo toast
        discarded_ = form_;
        undo_until_ = platform::monotonic_ms() + tuning::kUndoMs;
        c.app.offer_undo("form.discarded");
    }
    c.app.report(c.store.clear_draft(kDraftKey));
    draft_due_ = 0;
    form_ = {};
    if (!editing.empty())
        open_visit(editing, c);
    else
        c.app.navigate(ui::View::Home);
}

void VisitsScreen::handle(const ui::intent::ListQueryChanged& q, Context& c) {
    if (c.immediate || q.immediate)
        run_list_query(c);
    else
        list_query_due_ = platform::monotonic_ms() + tuning::kSearchDebounceMs;
}

bool VisitsScreen::run_timers(int64_t now, Context& c) {
    bool ran = false;
    if (list_query_due_ && now >= list_query_due_) {
        run_list_query(c);
        ran = true;
    }
    if (draft_due_ && now >= draft_due_) {
        save_draft_now(c);
        ran = true;
    }
    return ran;
}

int64_t VisitsScreen::next_deadline() const {
    if (!list_query_due_ || (draft_due_ && draft_due_ < list_query_due_)) return draft_due_;
    return list_query_due_;
}

void VisitsScreen::flush(Context& c) {
    if (draft_due_) save_draft_now(c);
}

}  // namespace liaison::app
