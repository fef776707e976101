// The app root's kiosk and queue half: the visitor's steps (welcome, consent, details, wished
// deputy, ticket), the PIN that leaves kiosk mode, the idle reset, and the desk's queue panel.
// docs/queue.md describes the store calls used here.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "client/app/model.h"
#include "client/store/duty.h"
#include "client/store/queue.h"
#include "client/ui/ui.h"
#include "platform/platform.h"

namespace liaison::app {

namespace {
constexpr int64_t kCornerTapsWithinMs = 3000;
constexpr int kCornerTaps = 5;

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string today() { return platform::local_date(platform::wall_ms()); }
}  // namespace

int64_t AppModel::kiosk_now() const { return platform::monotonic_ms() + clock_offset_ms; }

Status AppModel::start_kiosk(ui::KioskStep step, bool locked) {
    if (!store->initialized())
        return Error{Error::Kind::Invalid, "this tablet has no station yet: set it up in the app first"};
    // Refuse before a voter has typed anything rather than at the last step.
    if (auto letter = store::queue::series(*store); letter && letter->empty())
        return Error{Error::Kind::Invalid,
                     "this tablet has no ticket series yet: enrol it (liaison enrol) or give it a letter "
                     "(liaison queue series B)"};
    auto lock = store::kiosk::load_lock(*store);
    if (!lock) return lock.error();
    kiosk_lock = std::make_unique<store::kiosk::KioskLock>(std::move(*lock));
    if (auto p = store::kiosk::idle_policy(*store)) kiosk_idle = *p;
    kiosk_mode = locked;
    if (view != ui::View::Kiosk) desk_font_px = font_px;
    font_px = kKioskFontPx;
    view = ui::View::Kiosk;
    kiosk_new_visitor();
    kiosk.step = step;
    if (step == ui::KioskStep::Pin) kiosk.before_pin = ui::KioskStep::Welcome;
    data_changed = true;
    return {};
}

void AppModel::kiosk_load_language(const std::string& lang) {
    if (i18n.lang() != lang) {
        if (auto t = ui::I18n::load(assets_dir, lang)) {
            i18n = std::move(*t);  // not saved: the next visitor starts in Chinese again
            glyphs->note(i18n.all_text());
            load_ref();
        }
    }
    kiosk.lang = i18n.lang();
    kiosk.consent = glyphs->shown(read_text(assets_dir + "/consent/consent." + kiosk.lang + ".md"));
    // Today's duty slots: the deputies a visitor may ask for.
    kiosk.duty_deputies.clear();
    if (auto slots = store::duty::slots(*store, today(), today())) {
        for (const auto& slot : *slots)
            for (const auto& id : slot.deputy_ids) {
                auto& duty = kiosk.duty_deputies;
                if (std::any_of(duty.begin(), duty.end(), [&](const ui::Choice& c) { return c.id == id; })) continue;
                duty.push_back({id, ref.label(ref.deputies, id) + "  " + slot.start + "–" + slot.end});
            }
    }
}

void AppModel::kiosk_new_visitor() {
    const int session = kiosk.session + 1;
    kiosk = {};  // every field, the ticket shown, the PIN typed
    kiosk.session = session;
    kiosk_ticket_until = 0;
    kiosk_last_input = kiosk_now();
    kiosk_due = 0;
    kiosk_load_language("zh");
    data_changed = true;
}

bool AppModel::kiosk_details_valid() {
    auto& f = kiosk.form;
    f.errors.clear();
    if (!store::queue::validate_name(stored(f.name))) f.errors["name"] = "kiosk.err.name";
    if (!store::queue::validate_phone(f.phone)) f.errors["phone"] = "kiosk.err.phone";
    if (!store::queue::validate_topic(stored(f.topic))) f.errors["topic"] = "kiosk.err.topic";
    return f.errors.empty();
}

void AppModel::kiosk_take_ticket(int64_t now) {
    if (!kiosk_details_valid()) {
        kiosk.step = ui::KioskStep::Details;
        return;
    }
    store::queue::NewTicket t;
    t.visitor_name = stored(kiosk.form.name);
    t.phone = kiosk.form.phone;
    t.people = kiosk.form.people;
    t.category = kiosk.form.category;
    t.topic = stored(kiosk.form.topic);
    t.wished_deputy_id = kiosk.form.deputy_id;
    auto r = store::queue::take_ticket(*store, t);
    if (!r) {
        kiosk.error = r.error().message;
        return;
    }
    kiosk.form = {};  // the ticket screen needs only the number
    kiosk.error.clear();
    kiosk.ticket_label = store::queue::label(*r);
    if (auto n = store::queue::waiting_ahead(*store, *r)) kiosk.ticket_ahead = *n;
    kiosk.step = ui::KioskStep::Ticket;
    kiosk_ticket_until = now + kTicketShownMs;
    kiosk.ticket_left_s = static_cast<int>(kTicketShownMs / 1000);
}

void AppModel::kiosk_corner_tap(int64_t now) {
    if (now - kiosk_last_tap > kCornerTapsWithinMs) kiosk.corner_taps = 0;
    kiosk_last_tap = now;
    if (++kiosk.corner_taps < kCornerTaps || kiosk.step == ui::KioskStep::Pin) return;
    kiosk.corner_taps = 0;
    kiosk.before_pin = kiosk.step;
    kiosk.step = ui::KioskStep::Pin;
    kiosk.pin.clear();
    kiosk.pin_message.clear();
}

// Returns true when the PIN was right and the kiosk was left for the desk app.
bool AppModel::kiosk_enter_pin() {
    if (!kiosk_lock) return false;
    const auto a = kiosk_lock->enter(kiosk.pin, platform::wall_ms() + clock_offset_ms);
    kiosk.pin.clear();
    if (auto st = store::kiosk::save_lock_state(*store, *kiosk_lock); !st) {
        // Unrecorded attempts would reset the lockout on a restart: fail closed, even for the
        // right PIN, and say why.
        kiosk.pin_message = i18n.tr("kiosk.pin_unsaved");
        return false;
    }
    if (a.outcome == store::kiosk::PinOutcome::Unlocked) {
        leave_kiosk();
        return true;
    }
    if (a.outcome == store::kiosk::PinOutcome::LockedOut || a.attempts_left == 0)
        kiosk.pin_locked = true;
    else
        kiosk.pin_message = i18n.fmt("kiosk.pin_wrong", {std::to_string(a.attempts_left)});
    return false;
}

void AppModel::leave_kiosk() {
    // Leave kiosk mode for the desk app, with no trace of the kiosk's visitor.
    kiosk = {};
    kiosk_mode = false;
    kiosk_lock->relock();
    font_px = desk_font_px;
    const auto lang = store->setting("ui.lang", "zh");
    if (auto t = ui::I18n::load(assets_dir, lang ? *lang : std::string("zh"))) {
        i18n = std::move(*t);
        glyphs->note(i18n.all_text());
        load_ref();
    }
    navigate(ui::View::Home);
}

// While locked out, the PIN pad says for how long; returns the time left (0: not locked).
int64_t AppModel::kiosk_show_lockout() {
    const int64_t left = kiosk_lock->locked_for_ms(platform::wall_ms() + clock_offset_ms);
    kiosk.pin_locked = left > 0;
    if (left <= 0) return 0;
    const int64_t s = (left + 999) / 1000;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d:%02d", static_cast<int>(s / 60), static_cast<int>(s % 60));
    kiosk.pin_message = i18n.fmt("kiosk.pin_locked", {buf});
    return left;
}

void AppModel::apply_kiosk(const ui::intent::Kiosk& k) {
    using ui::KioskStep;
    using A = ui::intent::KioskAction;
    const int64_t now = kiosk_now();
    kiosk_last_input = now;
    kiosk.countdown_s = 0;
    kiosk_due = 0;  // recomputed by kiosk_timers
    switch (k.action) {
        case A::Touch: break;
        case A::Start:
        case A::Consent: kiosk.step = KioskStep::Consent; break;
        case A::Agree: kiosk.step = KioskStep::Details; break;
        case A::Disagree:  // nothing of this visitor is kept
        case A::Done: kiosk_new_visitor(); break;
        case A::Next:
            if (kiosk.step == KioskStep::Details && kiosk_details_valid()) kiosk.step = KioskStep::Deputy;
            break;
        case A::Back:
            if (kiosk.step == KioskStep::Deputy) kiosk.step = KioskStep::Details;
            else if (kiosk.step == KioskStep::Details) kiosk.step = KioskStep::Consent;
            kiosk.error.clear();
            break;
        case A::Take: kiosk_take_ticket(now); break;
        case A::Language: kiosk_load_language(k.arg == "en" ? "en" : "zh"); break;
        case A::CornerTap: kiosk_corner_tap(now); break;
        case A::PinDigit:
            if (kiosk.pin.size() < store::kiosk::kMaxPinDigits) kiosk.pin += k.arg;
            break;
        case A::PinErase:
            if (!kiosk.pin.empty()) kiosk.pin.pop_back();
            break;
        case A::PinCancel:
            kiosk.pin.clear();
            kiosk.pin_message.clear();
            kiosk.step = kiosk.before_pin == KioskStep::Pin ? KioskStep::Welcome : kiosk.before_pin;
            break;
        case A::PinEnter:
            if (kiosk_enter_pin()) return;
            break;
    }
    if (kiosk.step == KioskStep::Pin && kiosk_lock) kiosk_show_lockout();
    data_changed = true;
}

bool AppModel::kiosk_timers(int64_t mono) {
    if (view != ui::View::Kiosk) return false;
    using ui::KioskStep;
    const int64_t now = mono + clock_offset_ms;
    if (kiosk_due && now < kiosk_due) return false;
    bool changed = false;
    kiosk_due = 0;
    auto sooner = [&](int64_t t) {
        if (t > 0 && (!kiosk_due || t < kiosk_due)) kiosk_due = t;
    };
    if (kiosk.step == KioskStep::Ticket) {
        if (now >= kiosk_ticket_until) {
            kiosk_new_visitor();
            return true;
        }
        const int left = static_cast<int>((kiosk_ticket_until - now + 999) / 1000);
        if (left != kiosk.ticket_left_s) {
            kiosk.ticket_left_s = left;
            changed = true;
        }
        sooner(kiosk_ticket_until - (left - 1) * 1000);
    } else if (kiosk.step != KioskStep::Welcome || kiosk.lang != "zh") {
        const auto st = store::kiosk::idle_state(now, kiosk_last_input, kiosk_idle);
        if (st.kind == store::kiosk::IdleView::Kind::Reset) {
            kiosk_new_visitor();
            return true;
        }
        const int c = st.kind == store::kiosk::IdleView::Kind::Countdown ? st.countdown_s : 0;
        if (c != kiosk.countdown_s) {
            kiosk.countdown_s = c;
            changed = true;
        }
        sooner(st.next_change_ms);
    }
    if (kiosk.step == KioskStep::Pin && kiosk.pin_locked && kiosk_lock) {
        if (const int64_t left = kiosk_show_lockout(); left > 0)
            sooner(now + std::min<int64_t>(1000, left));
        else
            kiosk.pin_message.clear();
        changed = true;
    }
    if (changed) data_changed = true;
    return changed;
}

int64_t AppModel::kiosk_deadline() const {
    if (view != ui::View::Kiosk || !kiosk_due) return 0;
    return std::max<int64_t>(1, kiosk_due - clock_offset_ms);
}

// ---- the desk's queue panel ----

void AppModel::refresh_queue() {
    queue.date = today();
    queue.rows.clear();
    queue.waiting = 0;
    auto ts = store::queue::tickets(*store, queue.date);
    if (!ts) {
        queue.message = ts.error().message;
        return;
    }
    for (const auto& t : *ts) {
        ui::QueueRowView r;
        r.id = t.id;
        r.label = store::queue::label(t);
        r.status = t.status;
        r.name = shown(t.visitor_name);  // staff see the full name
        r.phone_masked = store::queue::mask_phone(t.phone);
        r.topic = shown(t.topic);
        r.category = t.category.empty() ? "" : ref.label(ref.categories, t.category);
        r.people = t.people;
        if (t.status == "waiting") ++queue.waiting;
        queue.rows.push_back(std::move(r));
    }
    data_changed = true;
}

void AppModel::open_ticket_form(const store::QueueTicket& t) {
    const store::Visit v = store::queue::prefill_visit(*store, t);
    form = {};
    form.received_at = v.received_at;
    form.channel = v.channel;
    form.category = v.category;
    form.subject = shown(v.subject);
    form.people = v.people;
    form.deputy_ids = v.deputy_ids;
    if (!v.visitors.empty()) {
        form.visitor_name = shown(v.visitors.front().name);
        form.visitor_phone = v.visitors.front().phone;
    }
    form.queue_ticket_id = t.id;
    ui::validate_form(form);
    view = ui::View::VisitForm;
    data_changed = true;
}

void AppModel::apply_queue(const ui::intent::Queue& q) {
    using A = ui::intent::QueueAction;
    queue.message.clear();
    switch (q.action) {
        case A::Refresh: break;
        case A::CallNext: {
            auto t = store::queue::call_next(*store, today());
            if (!t) {
                queue.message = t.error().kind == Error::Kind::NotFound ? i18n.tr("queue.nobody") : t.error().message;
                break;
            }
            open_ticket_form(*t);
            return;
        }
        case A::Serve: {
            auto t = store::queue::ticket(*store, q.id);
            if (!t) {
                queue.message = t.error().message;
                break;
            }
            open_ticket_form(*t);
            return;
        }
        case A::Leave: {
            auto t = store::queue::leave(*store, q.id);
            if (!t) queue.message = t.error().message;
            break;
        }
    }
    refresh_queue();
    refresh_status();
}

void AppModel::change_kiosk_pin() {
    using O = store::kiosk::PinChange::Outcome;
    auto r = store::kiosk::change_pin(*store, settings.pin_current, settings.pin_new, settings.pin_repeat,
                                      platform::wall_ms());
    settings.pin_current.clear();
    settings.pin_new.clear();
    settings.pin_repeat.clear();
    settings.pin_ok = r && r->outcome == O::Changed;
    if (!r) {
        settings.pin_message = r.error().message;
        return;
    }
    switch (r->outcome) {
        case O::Changed:
            settings.default_kiosk_pin = false;
            settings.pin_message = i18n.tr("settings.pin_changed");
            break;
        case O::Mismatch: settings.pin_message = i18n.tr("settings.pin_mismatch"); break;
        case O::BadFormat: settings.pin_message = i18n.tr("settings.pin_format"); break;
        case O::DefaultPin: settings.pin_message = i18n.tr("settings.pin_default"); break;
        case O::Wrong:
            settings.pin_message = i18n.fmt("settings.pin_wrong", {std::to_string(r->attempts_left)});
            break;
        case O::LockedOut:
            settings.pin_message =
                i18n.fmt("settings.pin_locked", {std::to_string((r->locked_for_ms + 59999) / 60000)});
            break;
    }
}

}  // namespace liaison::app
