// Kiosk mode (the visitor's steps, the PIN, the idle reset) and the desk's queue panel.
#include "client/app/kiosk_screen.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "client/app/tuning.h"
#include "client/store/duty.h"
#include "client/store/printer.h"
#include "client/store/receipt.h"
#include "client/ui/call_out.h"
#include "platform/platform.h"

namespace liaison::app {

namespace {
constexpr int64_t kCornerTapsWithinMs = 3000;
constexpr int kCornerTaps = 5;
constexpr int64_t kDisplayRefreshMs = 5000;           // tickets from the kiosk tablet arrive by sync
constexpr size_t kDisplayNext = 5;                    // the calling display lists this many next numbers
constexpr const char* kVoiceSetting = "queue.voice";  // "off": 叫下一位 stays silent (local setting)

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

int64_t KioskScreen::now() const { return platform::monotonic_ms() + clock_offset_ms_; }

std::string KioskScreen::today(const Context& c) const { return platform::local_date(wall(c)); }

void KioskScreen::draw(ui::Ui& u, ui::View v, const Context& c) {
    if (v == ui::View::Kiosk)
        ui::draw_kiosk(u, kiosk_, c.ref);
    else if (v == ui::View::Queue)
        ui::draw_queue(u, queue_);
}

Status KioskScreen::enter(ui::View v, Context& c) {
    if (v == ui::View::Queue) {
        refresh_queue(c);
        return {};
    }
    return start(ui::KioskStep::Name, locked_, c);
}

Status KioskScreen::start(ui::KioskStep step, bool locked, Context& c) {
    if (!c.store.initialized())
        return Error{Error::Kind::Invalid, "this tablet has no station yet: set it up in the app first"};
    // Refuse before a voter has typed anything rather than at the last step.
    if (auto letter = store::queue::series(c.store); letter && letter->empty())
        return Error{Error::Kind::Invalid,
                     "this tablet has no ticket series yet: enrol it (liaison enrol) or give it a letter "
                     "(liaison queue series B)"};
    if (auto p = store::kiosk::idle_policy(c.store)) idle_ = *p;
    locked_ = locked;
    if (c.app.view() != ui::View::Kiosk) desk_font_px_ = c.app.font_px();
    c.app.set_font_px(kFontPx);
    c.app.show(ui::View::Kiosk);
    new_visitor(c);
    kiosk_.step = step;
    c.app.changed();
    return {};
}

void KioskScreen::load_language(const std::string& lang, Context& c) {
    if (c.i18n.lang() != lang) c.app.use_language(lang);  // not saved: the next visitor starts in Chinese again
    kiosk_.lang = c.i18n.lang();
    kiosk_.consent = c.shown(read_text(c.assets_dir + "/consent/consent." + kiosk_.lang + ".md"));
    refresh_duty(c);
}

// The deputies a visitor may ask for: those whose duty slot is running now, on the kiosk's clock.
// Asked again when the deputy step opens: a slot may end while the visitor types.
void KioskScreen::refresh_duty(Context& c) {
    kiosk_.duty_deputies.clear();
    auto on = store::duty::on_duty(c.store, wall(c));
    if (!on) {
        kiosk_.error = c.error_text(on.error());
        return;
    }
    for (const auto& d : *on)
        kiosk_.duty_deputies.push_back(
            {d.deputy_id, c.ref.label(c.ref.deputies, d.deputy_id) + "  " + d.start + "–" + d.end});
    auto& chosen = kiosk_.form.deputy_id;
    if (!chosen.empty() && std::none_of(kiosk_.duty_deputies.begin(), kiosk_.duty_deputies.end(),
                                        [&](const ui::Choice& x) { return x.id == chosen; }))
        chosen.clear();  // their slot ended: back to 不指定
}

void KioskScreen::hold_idle_warning() {
    kiosk_.countdown_s = static_cast<int>(idle_.countdown_ms / 1000);
    idle_held_ = true;
}

void KioskScreen::new_visitor(Context& c) {
    const int session = kiosk_.session + 1;
    kiosk_ = {};  // every field, the ticket shown, the PIN typed
    kiosk_.session = session;
    ticket_until_ = 0;
    last_input_ = now();
    due_ = 0;
    load_language("zh", c);
    c.app.changed();
}

// The kiosk at rest: the name step with nothing to clear. Anything else runs the idle clock,
// also the consent unfolded and being read (scrolling it restarts the clock).
bool KioskScreen::resting() const {
    const auto& f = kiosk_.form;
    return kiosk_.step == ui::KioskStep::Name && f.name.empty() && f.people == 1 && f.errors.empty() &&
           !kiosk_.consent_open && kiosk_.lang == "zh";
}

void KioskScreen::open_consent() {
    kiosk_.step = ui::KioskStep::Name;
    kiosk_.consent_open = kiosk_.consent_jump = true;
}

// Each question's check, when its step is left (one question per screen, docs/queue.md).
bool KioskScreen::name_valid(Context& c) {
    auto& f = kiosk_.form;
    f.errors.erase("name");
    if (!store::queue::validate_name(c.stored(f.name))) f.errors["name"] = "kiosk.err.name";
    return !f.errors.count("name");
}

bool KioskScreen::phone_valid() {
    auto& f = kiosk_.form;
    f.errors.erase("phone");
    if (!store::queue::validate_phone(f.phone)) f.errors["phone"] = "kiosk.err.phone";
    return !f.errors.count("phone");
}

bool KioskScreen::topic_valid(Context& c) {
    auto& f = kiosk_.form;
    f.errors.erase("topic");
    if (!store::queue::validate_topic(topic_text(c))) f.errors["topic"] = "kiosk.err.topic";
    return !f.errors.count("topic");
}

// The topic is optional for the visitor: the common topic tapped, the words typed, both, or
// (neither) "to be told at the desk"; the ticket always carries one (docs/queue.md).
std::string KioskScreen::topic_text(const Context& c) const {
    std::string typed = c.stored(kiosk_.form.topic);
    while (!typed.empty() && (typed.back() == ' ' || typed.back() == '\n')) typed.pop_back();
    while (!typed.empty() && (typed.front() == ' ' || typed.front() == '\n')) typed.erase(0, 1);
    std::string chip = kiosk_.form.topic_chip.empty() ? "" : c.i18n.tr("kiosk.chip." + kiosk_.form.topic_chip);
    if (!chip.empty() && !typed.empty()) return chip + c.i18n.tr("kiosk.topic_joiner") + typed;
    if (!chip.empty()) return chip;
    if (!typed.empty()) return typed;
    return c.i18n.tr("kiosk.topic_at_desk");
}

// 请工作人员帮助: noted in this store, where the desk's queue panel shows it until staff clear it.
void KioskScreen::call_help(Context& c) {
    const std::string at = platform::local_datetime(wall(c)).substr(11, 5);
    if (auto st = c.store.set_setting("queue.help_call", at); !st) {
        kiosk_.error = c.error_text(st.error());
        return;
    }
    kiosk_.help_called = true;
}

void KioskScreen::take_ticket(Context& c) {
    const bool name_ok = name_valid(c), phone_ok = phone_valid(), topic_ok = topic_valid(c);
    if (!name_ok || !phone_ok || !topic_ok) {
        kiosk_.step = !name_ok ? ui::KioskStep::Name : !phone_ok ? ui::KioskStep::Phone : ui::KioskStep::Topic;
        return;
    }
    store::queue::NewTicket t;
    t.visitor_name = c.stored(kiosk_.form.name);
    t.phone = kiosk_.form.phone;
    t.people = kiosk_.form.people;
    t.category = kiosk_.form.category;
    t.topic = topic_text(c);
    t.wished_deputy_id = kiosk_.form.deputy_id;
    auto r = store::queue::take_ticket(c.store, t);
    if (!r) {
        kiosk_.error = c.error_text(r.error());
        return;
    }
    kiosk_.form = {};  // the ticket screen needs only the number
    kiosk_.error.clear();
    kiosk_.step = ui::KioskStep::Ticket;
    show_ticket(*r, c);
    print_ticket(*r, c);
}

// The receipt, when the tablet has a printer (docs/queue.md, "Printing the ticket"). A failure
// never stops the kiosk: the number stays on screen, the visitor is told to remember it, and the
// desk's queue panel shows why (local setting queue.print_error) until a receipt prints again.
void KioskScreen::print_ticket(const store::QueueTicket& t, Context& c) {
    kiosk_.print_failed = false;
    const auto setting = c.store.setting(store::printer::kSetting);
    if (!setting || setting->empty()) return;
    store::receipt::TicketReceipt slip;
    slip.station = c.stored(c.ref.device.station_name);
    slip.number = store::queue::label(t);
    slip.time = platform::local_datetime(wall(c)).substr(0, 16);
    if (!t.wished_deputy_id.empty()) slip.deputy = c.stored(c.ref.label(c.ref.deputies, t.wished_deputy_id));
    slip.ahead = kiosk_.ticket_ahead;
    Status sent = [&]() -> Status {
        LIAISON_ASSIGN_OR_RETURN(const auto target, store::printer::parse_target(*setting));
        LIAISON_ASSIGN_OR_RETURN(const auto bytes, store::receipt::escpos(slip));
        return store::printer::send(target, bytes);
    }();
    const std::string note = sent ? "" : slip.time.substr(11) + " " + slip.number + " " + c.error_text(sent.error());
    if (auto st = c.store.set_setting("queue.print_error", note); !st) c.app.report(st);
    kiosk_.print_failed = !sent;
}

void KioskScreen::show_ticket(const store::QueueTicket& t, Context& c) {
    kiosk_.ticket_label = store::queue::label(t);
    if (auto n = store::queue::waiting_ahead(c.store, t)) kiosk_.ticket_ahead = *n;
    ticket_until_ = now() + kTicketShownMs;
    kiosk_.ticket_left_s = static_cast<int>(kTicketShownMs / 1000);
}

// Five taps on the hidden corner: the sign-in view with the administrators, whose sign-in leaves
// the kiosk (docs/security.md "Kiosk mode").
void KioskScreen::corner_tap(int64_t now, Context& c) {
    if (now - last_tap_ > kCornerTapsWithinMs) kiosk_.corner_taps = 0;
    last_tap_ = now;
    if (++kiosk_.corner_taps < kCornerTaps) return;
    kiosk_.corner_taps = 0;
    c.app.ask_admin();
}

void KioskScreen::leave(Context& c) {
    // Leave kiosk mode for the desk app, with no trace of the kiosk's visitor.
    kiosk_ = {};
    locked_ = false;
    c.app.set_font_px(desk_font_px_);
    const auto lang = c.store.setting("ui.lang", "zh");
    c.app.use_language(lang ? *lang : std::string("zh"));
    c.app.navigate(ui::View::Home);
}

void KioskScreen::handle(const ui::intent::Kiosk& k, Context& c) {
    using ui::KioskStep;
    using A = ui::intent::KioskAction;
    const int64_t t = now();
    last_input_ = t;
    kiosk_.countdown_s = 0;
    idle_held_ = false;
    due_ = 0;  // recomputed by run_timers
    switch (k.action) {
        case A::Touch: break;
        case A::Consent: open_consent(); break;
        case A::Disagree: kiosk_.step = KioskStep::Declined; break;  // says what happens instead
        case A::Done: new_visitor(c); break;                         // nothing of this visitor is kept
        case A::StillHere: break;                                    // the timer restarted above
        case A::Next: next_step(c); break;
        case A::Back:
            if (kiosk_.step == KioskStep::Deputy)
                kiosk_.step = KioskStep::Topic;
            else if (kiosk_.step == KioskStep::Topic)
                kiosk_.step = KioskStep::Phone;
            else if (kiosk_.step == KioskStep::Phone)
                kiosk_.step = KioskStep::Name;
            kiosk_.error.clear();
            break;
        case A::Help: call_help(c); break;
        case A::Take: take_ticket(c); break;
        case A::Language: load_language(k.arg == "en" ? "en" : "zh", c); break;
        case A::CornerTap: corner_tap(t, c); break;
    }
    c.app.changed();
}

// 下一步, and the first step's 同意并继续: each question is checked when its step is left. Agreeing
// while the consent's full text is open folds it away first: the name may not be typed yet.
void KioskScreen::next_step(Context& c) {
    using ui::KioskStep;
    if (kiosk_.step == KioskStep::Name && kiosk_.consent_open) {
        kiosk_.consent_open = false;
        if (kiosk_.form.name.empty()) return;
    }
    if (kiosk_.step == KioskStep::Name && name_valid(c)) {
        kiosk_.step = KioskStep::Phone;
    } else if (kiosk_.step == KioskStep::Phone && phone_valid()) {
        kiosk_.step = KioskStep::Topic;
    } else if (kiosk_.step == KioskStep::Topic && topic_valid(c)) {
        refresh_duty(c);
        kiosk_.step = KioskStep::Deputy;
    }
}

void KioskScreen::sooner(int64_t t) {
    if (t > 0 && (!due_ || t < due_)) due_ = t;
}

// The ticket screen's countdown; true when it changed (or went back to welcome).
bool KioskScreen::ticket_timer(int64_t now, Context& c) {
    if (now >= ticket_until_) {
        new_visitor(c);
        return true;
    }
    const int left = static_cast<int>((ticket_until_ - now + 999) / 1000);
    sooner(ticket_until_ - (left - 1) * 1000);
    if (left == kiosk_.ticket_left_s) return false;
    kiosk_.ticket_left_s = left;
    return true;
}

// The idle countdown of a visitor's steps; true when it changed (or the kiosk was reset).
bool KioskScreen::idle_timer(int64_t now, Context& c) {
    const auto st = store::kiosk::idle_state(now, last_input_, idle_);
    if (st.kind == store::kiosk::IdleView::Kind::Reset) {
        new_visitor(c);
        return true;
    }
    const int countdown = st.kind == store::kiosk::IdleView::Kind::Countdown ? st.countdown_s : 0;
    sooner(st.next_change_ms);
    if (countdown == kiosk_.countdown_s) return false;
    kiosk_.countdown_s = countdown;
    return true;
}

bool KioskScreen::run_timers(int64_t mono, Context& c) {
    if (queue_.display && mono >= display_refresh_) {
        display_refresh_ = mono + kDisplayRefreshMs;
        if (auto ts = store::queue::tickets(c.store, today(c))) fill_display(*ts, c);
    }
    if (c.app.view() != ui::View::Kiosk) return false;
    using ui::KioskStep;
    const int64_t now = mono + clock_offset_ms_;
    if (due_ && now < due_) return false;
    due_ = 0;
    bool changed = false;
    if (kiosk_.step == KioskStep::Ticket)
        changed = ticket_timer(now, c);
    else if (!resting() && !idle_held_)
        changed = idle_timer(now, c);
    if (changed) c.app.changed();
    return changed;
}

int64_t KioskScreen::next_deadline(ui::View shown) const {
    const int64_t display = queue_.display ? std::max<int64_t>(1, display_refresh_) : 0;
    if (shown != ui::View::Kiosk || !due_) return display;
    const int64_t kiosk = std::max<int64_t>(1, due_ - clock_offset_ms_);
    return display ? std::min(display, kiosk) : kiosk;
}

// ---- the desk's queue panel ----

void KioskScreen::refresh_queue(Context& c) {
    queue_.date = today(c);
    queue_.rows.clear();
    queue_.waiting = 0;
    if (auto help = c.store.setting("queue.help_call")) queue_.help_call = *help;
    if (auto failed = c.store.setting("queue.print_error")) queue_.print_error = *failed;
    if (auto voice = c.store.setting(kVoiceSetting)) queue_.voice = *voice != "off";
    queue_.voice_error.clear();
    if (announcer_) {
        const auto said = announcer_->spoken();
        if (!said.empty() && !said.back().error.empty())
            queue_.voice_error = c.i18n.fmt("queue.voice_error", {said.back().shown});
    }
    auto ts = store::queue::tickets(c.store, queue_.date);
    if (!ts) {
        queue_.message = c.error_text(ts.error());
        return;
    }
    fill_display(*ts, c);
    for (const auto& t : *ts) {
        ui::QueueRowView r;
        r.id = t.id;
        r.label = store::queue::label(t);
        r.status = t.status;
        r.name = c.shown(t.visitor_name);  // staff see the full name
        r.phone_masked = store::queue::mask_phone(t.phone);
        r.topic = c.shown(t.topic);
        r.category = t.category.empty() ? "" : c.ref.label(c.ref.categories, t.category);
        r.people = t.people;
        if (t.status == "waiting") ++queue_.waiting;
        queue_.rows.push_back(std::move(r));
    }
    c.app.changed();
}

// The visit form, filled from the ticket: saving the visit serves it.
void KioskScreen::open_ticket_form(const store::QueueTicket& t, Context& c) {
    const store::Visit v = store::queue::prefill_visit(c.store, t);
    ui::VisitFormState form;
    form.received_at = v.received_at;
    form.channel = v.channel;
    form.category = v.category;
    form.subject = c.shown(v.subject);
    form.people = v.people;
    form.deputy_ids = v.deputy_ids;
    if (!v.visitors.empty()) {
        form.visitor_name = c.shown(v.visitors.front().name);
        form.visitor_phone = v.visitors.front().phone;
    }
    form.queue_ticket_id = t.id;
    c.app.open_visit_form(std::move(form));
}

// The calling display: the number called last (this session's, else the last called in queue
// order, e.g. after a restart), the next waiting ones.
void KioskScreen::fill_display(const std::vector<store::QueueTicket>& tickets, Context& c) {
    ui::CallingDisplayState d;
    d.station = c.ref.device.station_name;
    for (const auto& t : tickets) {
        const std::string label = store::queue::label(t);
        if (t.status == "called" && called_label_.empty()) d.current = label;
        if (label == called_label_ && t.status != "left") d.current = label;
        if (t.status != "waiting") continue;
        ++d.waiting;
        if (d.next.size() < kDisplayNext) d.next.push_back(label);
    }
    if (d != display_) {
        display_ = std::move(d);
        c.app.changed();
    }
}

void KioskScreen::open_display(Context& c) {
    queue_.display = true;
    refresh_queue(c);
}

void KioskScreen::display_closed(Context& c, const std::string& why) {
    queue_.display = false;
    queue_.message = why;
    c.app.changed();
}

// 叫下一位 says 「请 A003 号到接待台」 in the app's language, unless the desk turned it off.
// The announcer synthesises and plays on its own thread: this returns at once.
void KioskScreen::call_out(const store::QueueTicket& t, Context& c) {
    called_label_ = store::queue::label(t);
    if (!announcer_ || !queue_.voice) return;
    const ui::CallOut words = ui::call_out(c.i18n, store::queue::label(t));
    announcer_->say(platform::Utterance{.shown = words.shown, .spoken = words.spoken, .voice = words.voice});
}

void KioskScreen::toggle_voice(Context& c) {
    if (auto st = c.store.set_setting(kVoiceSetting, queue_.voice ? "off" : "on"); !st)
        queue_.message = c.error_text(st.error());
}

bool KioskScreen::undo(Context& c) {
    if (left_id_.empty() || platform::monotonic_ms() > left_until_) return false;
    auto t = store::queue::undo_leave(c.store, left_id_, left_was_);
    left_id_.clear();
    if (!t) queue_.message = c.error_text(t.error());
    refresh_queue(c);
    c.app.refresh_status();
    return true;
}

void KioskScreen::handle(const ui::intent::Queue& q, Context& c) {
    using A = ui::intent::QueueAction;
    queue_.message.clear();
    switch (q.action) {
        case A::Refresh: break;
        case A::HelpDone:
            if (auto st = c.store.set_setting("queue.help_call", ""); !st) queue_.message = c.error_text(st.error());
            break;
        case A::CallNext: {
            auto t = store::queue::call_next(c.store, today(c));
            if (!t) {
                queue_.message =
                    t.error().kind == Error::Kind::NotFound ? c.i18n.tr("queue.nobody") : c.error_text(t.error());
                break;
            }
            call_out(*t, c);
            refresh_queue(c);  // the calling display shows the number at once
            open_ticket_form(*t, c);
            return;
        }
        case A::Voice: toggle_voice(c); break;
        case A::Display: queue_.display = !queue_.display; break;
        case A::Serve: {
            auto t = store::queue::ticket(c.store, q.id);
            if (!t) {
                queue_.message = c.error_text(t.error());
                break;
            }
            open_ticket_form(*t, c);
            return;
        }
        case A::Leave: {
            auto before = store::queue::ticket(c.store, q.id);
            auto t = store::queue::leave(c.store, q.id);
            if (!t) {
                queue_.message = c.error_text(t.error());
                break;
            }
            if (before) {
                left_id_ = q.id;
                left_was_ = before->status;
                left_until_ = platform::monotonic_ms() + tuning::kUndoMs;
                c.app.offer_undo("queue.left_toast");
            }
            break;
        }
    }
    refresh_queue(c);
    c.app.refresh_status();
}

}  // namespace liaison::app
