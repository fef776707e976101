#include "client/app/model.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <concepts>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "client/app/demo.h"
#include "client/app/overload.h"
#include "client/app/tuning.h"
#include "client/store/duty_board.h"
#include "client/ui/ui.h"
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

// The idle lock's minutes (2–30) as saved in the settings; 5 when unset or unreadable.
int64_t saved_lock_minutes(store::Store& s) {
    auto text = s.setting("ui.lock_minutes", "5");
    if (!text) return 5;
    int64_t m = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), m);
    if (ec != std::errc()) return 5;
    return std::clamp<int64_t>(m, 2, 30);
}

// The screen S owns intent I when it has a handle() for it.
template <class S, class I>
concept Handles = requires(S& s, const I& i, Context& c) {
    s.handle(i, c);
};
}  // namespace

// LIAISON_USER and LIAISON_PIN sign the app in, as they do the command line (scripts, tests, the
// demo); a new folder gets that person as its first administrator.
Status AppModel::sign_in_from_environment(const std::string& data_dir) {
    const char* user = std::getenv("LIAISON_USER");
    const char* pin = std::getenv("LIAISON_PIN");
    if (!user || !*user || !pin || !*pin) return {};
    const std::string ring = store::Keyring::path_in(data_dir);
    std::error_code ec;
    if (!store::Keyring::exists(ring)) {
        if (std::filesystem::exists(data_dir + "/liaison.db", ec)) return {};  // before sign-in: liaison init --admin
        if (!platform::ensure_dir(data_dir)) return Error{Error::Kind::Io, "cannot create data folder " + data_dir};
        LIAISON_ASSIGN_OR_RETURN(auto made, store::create_keyring(ring, user, pin));
        person = made.admin;
        store_key = made.key;
        return {};
    }
    LIAISON_ASSIGN_OR_RETURN(auto o, store::sign_in_at(ring, user, pin, platform::wall_ms()));
    if (o.kind != store::SignInOutcome::Kind::SignedIn)
        return Error{Error::Kind::Auth, std::string("LIAISON_USER ") + user +
                                            " cannot sign in (unknown, disabled, "
                                            "locked or a wrong LIAISON_PIN)"};
    person = o.person;
    store_key = o.key;
    return {};
}

// With a keyring and no LIAISON_USER, the app starts at the sign-in view; the store opens after
// a sign-in, with its key (docs/security.md "Sign-in on the tablet").
Status AppModel::show_sign_in(const std::string& data_dir, const std::string& lang) {
    auto t = ui::I18n::load(assets_dir, lang.empty() ? "zh" : lang);
    if (!t) return t.error();
    i18n = std::move(*t);
    glyphs->note(i18n.all_text());
    LIAISON_TRY(sign_in.load(store::Keyring::path_in(data_dir), *glyphs, board_duty(data_dir)));
    view_ = ui::View::SignIn;
    return {};
}

void AppModel::ask_admin() {
    if (auto st = sign_in.load(store::Keyring::path_in(data_folder), *glyphs, {}, true); !st) return report(st);
    view_ = ui::View::SignIn;
    data_changed = true;
}

void AppModel::signed_in(const ui::intent::SignIn& in) {
    const bool kiosk_exit = sign_in.kiosk_exit();
    data_changed = true;
    if (in.action == ui::intent::SignInAction::Cancel) {
        if (kiosk_exit) view_ = ui::View::Kiosk;  // the kiosk as it was, still locked in
        return;
    }
    auto o = sign_in.handle(in, i18n, platform::wall_ms());
    if (!o) return;
    person = o->person;
    store_key = o->key;
    lockable_ = true;
    touched(now_ms());
    if (kiosk_exit) {
        load_ref();  // the administrator is the author from now on
        Context c = context();
        return kiosk.leave(c);
    }
    if (pending_open_) {
        const PendingOpen p = *std::exchange(pending_open_, std::nullopt);
        if (auto st = open(p.data_dir, p.lang, p.demo, p.scratch); !st) {
            std::fprintf(stderr, "liaison: %s\n", st.error().message.c_str());
            return;
        }
    } else {
        load_ref();  // the author of the changes is the one who signed in now
        begin_duty();
    }
    if (view_ == ui::View::SignIn) navigate(ui::View::Home);
}

// Before the store opens (a cold start), today's duty comes from the duty board the last
// session left (client/store/duty_board.h).
std::vector<store::duty::OnDuty> AppModel::board_duty(const std::string& data_dir) {
    auto board = store::duty::load_board(store::duty::board_path_in(data_dir));
    if (!board) {
        report(board.error());
        return {};
    }
    const std::string at = platform::local_datetime(wall ? wall() : platform::wall_ms());
    return store::duty::on_duty_today(*board, at.substr(0, 10), at.substr(11, 5));
}

void AppModel::save_board() {
    if (store && store->initialized() && !pending_open_)
        report(store::duty::save_board(*store, store::duty::board_path_in(data_folder)));
}

std::vector<store::duty::OnDuty> AppModel::duty_today() {
    if (!store || !store->initialized()) return {};
    auto d = store::duty::on_duty_today(*store, store->now());
    if (!d) {
        report(d.error());
        return {};
    }
    return std::move(*d);
}

// Signing in starts a deputy's duty when their slot today is not over (docs/app.md "Sign-in");
// signing in again after the idle lock keeps the shift already running.
void AppModel::begin_duty() {
    const std::string deputy = signed_in_deputy();
    if (deputy.empty()) return;
    for (const auto& d : duty_today()) {
        if (d.deputy_id != deputy) continue;
        if (auto id = store::duty::start_shift(*store, deputy, d.slot_id); !id) return report(id.error());
        if (worker) worker->notify_local_write();
        return;
    }
}

void AppModel::set_lock_minutes(int64_t minutes) {
    lock_after_ms_ = std::clamp<int64_t>(minutes, 2, 30) * 60 * 1000;
    report(store->set_setting("ui.lock_minutes", std::to_string(lock_after_ms_ / 60000)));
}

// The idle lock is not a sign-out: a deputy's duty goes on while the tablet waits.
void AppModel::lock() {
    if (!store || !person) return;
    flush();  // a draft being typed is kept for whoever signs in next
    save_board();
    if (auto st = sign_in.load(store::Keyring::path_in(data_folder), *glyphs, duty_today()); !st) return report(st);
    view_ = ui::View::SignIn;
    data_changed = true;
}

void AppModel::sign_out() {
    if (!store || !person) return;
    if (const std::string deputy = signed_in_deputy(); !deputy.empty()) {
        report(store::duty::end_shifts(*store, deputy));
        if (worker) worker->notify_local_write();
    }
    lock();
}

void AppModel::advance_clock(int64_t ms) {
    kiosk.advance_clock(ms);
    clock_offset_ms_ += ms;
}

int64_t AppModel::lock_deadline() const {
    if (!lockable_ || !store || view_ == ui::View::SignIn || view_ == ui::View::Kiosk || kiosk.locked()) return 0;
    return last_input_ms_ + lock_after_ms_ - clock_offset_ms_;
}

Status AppModel::open_store(const std::string& data_dir) {
    if (!platform::ensure_dir(data_dir)) return Error{Error::Kind::Io, "cannot create data folder " + data_dir};
    store::OpenOptions oo;
    oo.create = true;
    oo.wall = wall;
    oo.key = store_key;
    auto s = store::Store::open(data_dir + "/liaison.db", oo);
    if (!s) return s.error();
    store = std::move(*s);
    data_folder = data_dir;
    return {};
}

// Screenshots draw sample visitors, tickets and a duty slot (screenshot_seed.h): they go into a
// copy of the store in a temporary folder, never into the station's own (docs/app.md).
Status AppModel::use_scratch_copy() {
    std::error_code ec;
    const auto tmp = std::filesystem::temp_directory_path(ec);
    if (ec) return Error{Error::Kind::Io, "no temporary folder for a screenshot's copy: " + ec.message()};
    const std::string dir = (tmp / ("liaison-screenshot-" + std::to_string(std::random_device{}()) + "-" +
                                    std::to_string(platform::wall_ms())))
                                .string();
    if (!platform::ensure_dir(dir)) return Error{Error::Kind::Io, "cannot create " + dir};
    scratch_dir_ = dir;
    LIAISON_TRY(store->backup(dir + "/liaison.db"));
    store::OpenOptions oo;
    oo.wall = wall;
    oo.key = store_key;  // the copy is encrypted with the station's key (Store::backup)
    auto s = store::Store::open(dir + "/liaison.db", oo);
    if (!s) return s.error();
    store = std::move(*s);
    data_folder = dir;
    return {};
}

AppModel::~AppModel() {
    if (scratch_dir_.empty()) return;
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(scratch_dir_, ec);
}

Status AppModel::seed_if_asked(bool demo) {
    if (!store->initialized()) {
        if (demo) return seed_demo(*store, demo_visit_count());
        view_ = ui::View::FirstRun;
    } else if (auto n = store->count_visits(store::VisitQuery{}); demo && n && *n == 0) {
        // An enrolled station with no records yet (scripts/start.sh enrols first): --demo still
        // gives a newcomer a living app, in the enrolled station.
        return seed_demo(*store, demo_visit_count());
    }
    return {};
}

Status AppModel::open(const std::string& data_dir, const std::string& lang_override, bool demo, bool scratch) {
    auto t_lap = std::chrono::steady_clock::now();
    LIAISON_TRY(sign_in_from_environment(data_dir));
    if (!person && store::Keyring::exists(store::Keyring::path_in(data_dir))) {
        pending_open_ = PendingOpen{data_dir, lang_override, demo, scratch};
        return show_sign_in(data_dir, lang_override);
    }
    LIAISON_TRY(open_store(data_dir));
    // A station that exists is copied before anything is written; a new folder may become the
    // demo station (nothing real to protect, and the UI tests set up stations so), then is copied.
    const bool existed = store->initialized();
    if (scratch && existed) LIAISON_TRY(use_scratch_copy());
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
    font_px_ = saved_font_px(*store);
    lock_after_ms_ = saved_lock_minutes(*store) * 60 * 1000;
    LIAISON_TRY(seed_if_asked(demo));
    if (scratch && !existed) LIAISON_TRY(use_scratch_copy());
    // LIAISON_PERF=1: where start-up time goes (the first frame waits for all of this).
    const bool perf = std::getenv("LIAISON_PERF") != nullptr;
    auto lap = [&](const char* what) {
        if (!perf) return;
        const auto n = std::chrono::steady_clock::now();
        std::fprintf(stderr, "perf: %s %.1f ms\n", what, std::chrono::duration<double, std::milli>(n - t_lap).count());
        t_lap = n;
    };
    lap("open store");
    Context c = context();
    load_ref();
    begin_duty();
    save_board();
    visits.restore_draft(c);
    lap("reference data");
    visits.refresh_home(c);
    lap("home");
    visits.run_list_query(c);
    lap("visit list");
    sync.start(now_ms());
    return {};
}

void AppModel::load_ref() {
    ref = {};
    const bool en = i18n.lang() == "en";
    if (auto cats = store->categories())
        for (const auto& x : *cats) ref.categories.push_back({x.id, glyphs->shown(en ? x.name_en : x.name_zh)});
    if (auto deps = store->deputies(true))
        for (const auto& d : *deps) ref.deputies.push_back({d.id, glyphs->shown(d.name)});
    if (store->initialized()) {
        if (auto d = store->device()) {
            ref.device = *d;
            ref.device.station_name = glyphs->shown(d->station_name);
            ref.device.device_name = glyphs->shown(d->device_name);
            store->set_author(person ? store::author_of(*person) : d->device_name);
        }
    }
    settings.set_server_url(ref.device.server_url);
}

void AppModel::navigate(ui::View v) {
    view_ = v;
    Context c = context();
    if (VisitsScreen::owns(v)) {
        visits.enter(v, c);
    } else if (CasesScreen::owns(v)) {
        cases.enter(v, c);
    } else if (KioskScreen::owns(v)) {
        if (auto st = kiosk.enter(v, c); !st) {
            navigate(ui::View::Settings);  // where kiosk mode is started, with the reason it cannot
            settings.kiosk_refused(c.error_text(st.error()));
            return;
        }
    } else if (v == ui::View::Sync) {
        sync.refresh(c);
    } else if (v == ui::View::Settings) {
        settings.enter(c);
        settings.set_account(person ? glyphs->shown(person->name) : std::string(), lock_after_ms_ / 60000);
    }
    data_changed = true;
}

void AppModel::draw(ui::Ui& u) {
    if (view_ == ui::View::SignIn || !store) return sign_in.draw(u);
    const Context c = context();
    if (VisitsScreen::owns(view_))
        visits.draw(u, view_, c, sync.status());
    else if (CasesScreen::owns(view_))
        cases.draw(u, view_, c);
    else if (KioskScreen::owns(view_))
        kiosk.draw(u, view_, c);
    else if (view_ == ui::View::Sync)
        sync.draw(u);
    else
        settings.draw(u, view_, c);  // settings and the first run
}

std::string AppModel::screen_name() const {
    return view_ == ui::View::Kiosk ? ui::kiosk_step_name(kiosk.step()) : ui::view_name(view_);
}

Status AppModel::start_kiosk(ui::KioskStep step, bool locked) {
    Context c = context();
    return kiosk.start(step, locked, c);
}

bool AppModel::use_language(const std::string& lang) {
    auto t = ui::I18n::load(assets_dir, lang);
    if (!t) return false;
    i18n = std::move(*t);
    glyphs->note(i18n.all_text());
    load_ref();
    return true;
}

void AppModel::set_language(const std::string& lang) {
    if (!use_language(lang)) return;
    report(store->set_setting("ui.lang", i18n.lang()));
    Context c = context();
    visits.refresh_home(c);
    visits.run_list_query(c);
    visits.reopen_detail(view_, c);
    if (CasesScreen::owns(view_)) cases.enter(view_, c);
}

void AppModel::refresh_status() {
    Context c = context();
    sync.refresh(c);
}

void AppModel::open_visit_form(ui::VisitFormState form) {
    Context c = context();
    visits.open_form(std::move(form), c);
}

void AppModel::open_case_form(const std::string& visit_id) {
    Context c = context();
    cases.handle(ui::intent::Cases{ui::intent::NewCase{visit_id}}, c);
}

void AppModel::station_ready() {
    load_ref();
    Context c = context();
    sync.refresh(c);
    visits.run_list_query(c);
    navigate(ui::View::Home);
}

void AppModel::on_sync_status(const sync::SyncStatus& s) {
    const bool new_data = sync.on_worker_status(s);
    // The worker wrote on its own connection: drop any snapshot this one still holds, then
    // reload what a finished round may have changed (pulled visits, cases, reference data).
    store->refresh();
    Context c = context();
    if (new_data) {
        save_board();  // a pulled roster
        load_ref();
        visits.refresh_home(c);
        visits.run_list_query(c);
    }
    sync.refresh(c);
    data_changed = true;
}

void AppModel::show_toast(const std::string& key) {
    toast_ = i18n.tr(key);
    toast_until_ = now_ms() + tuning::kToastMs;
    toast_undo_ = false;
    data_changed = true;
}

void AppModel::offer_undo(const std::string& key) {
    toast_ = i18n.tr(key);
    toast_until_ = now_ms() + tuning::kUndoMs;
    toast_undo_ = true;
    data_changed = true;
}

void AppModel::report(const Status& st) {
    if (st) return;
    toast_ = context().error_text(st.error());
    toast_until_ = now_ms() + tuning::kToastMs;
    toast_undo_ = false;
    data_changed = true;
}

void AppModel::flush() {
    if (!store) return;
    Context c = context();
    visits.flush(c);
}

bool AppModel::run_timers(int64_t now) {
    if (!store) return false;  // the sign-in view before the store opened: nothing runs yet
    if (const int64_t d = lock_deadline(); d && now >= d) lock();
    Context c = context();
    bool ran = visits.run_timers(now, c);
    if (toast_until_ && now >= toast_until_) {
        toast_.clear();
        toast_until_ = 0;
        toast_undo_ = false;
        ran = true;
    }
    if (kiosk.run_timers(now, c)) ran = true;
    if (sync.run_timers(now, c)) ran = true;
    return ran;
}

int64_t AppModel::next_deadline() const {
    int64_t d = 0;
    for (int64_t t :
         {visits.next_deadline(), toast_until_, sync.next_deadline(), kiosk.next_deadline(view_), lock_deadline()})
        if (t && (!d || t < d)) d = t;
    return d;
}

bool AppModel::settled() const { return !data_changed && !visits.list_busy() && !sync.next_deadline(); }

// Every intent but navigation and the language goes to the one screen that owns it.
template <class I>
void AppModel::route(const I& in, Context& c) {
    static_assert(Handles<VisitsScreen, I> + Handles<CasesScreen, I> + Handles<KioskScreen, I> +
                          Handles<SyncScreen, I> + Handles<SettingsScreen, I> ==
                      1,
                  "every intent has exactly one screen that owns it");
    if constexpr (Handles<VisitsScreen, I>)
        visits.handle(in, c);
    else if constexpr (Handles<CasesScreen, I>)
        cases.handle(in, c);
    else if constexpr (Handles<KioskScreen, I>)
        kiosk.handle(in, c);
    else if constexpr (Handles<SyncScreen, I>)
        sync.handle(in, c);
    else
        settings.handle(in, c);
}

void AppModel::apply(const ui::Intent& in) {
    // Signing in needs no store: on a cold start it is not open yet.
    if (const auto* s = std::get_if<ui::intent::SignIn>(&in)) return signed_in(*s);
    if (std::holds_alternative<ui::intent::SignOut>(in)) return sign_out();
    if (const auto* m = std::get_if<ui::intent::SetLockMinutes>(&in)) return set_lock_minutes(m->minutes);
    // Any intent that wrote to the store (a visit, a case step, a resolution...) wakes the sync
    // worker, which debounces bursts into one round.
    const int64_t writes_before = store->write_count();
    Context c = context();
    std::visit(Overload{
                   [&](const ui::intent::Navigate& n) { navigate(n.to); },
                   [&](const ui::intent::SetLanguage& l) { set_language(l.lang); },
                   [&](const ui::intent::Undo&) {
                       toast_.clear();
                       toast_until_ = 0;
                       toast_undo_ = false;
                       if (!visits.undo(c)) kiosk.undo(c);
                   },
                   [&](const ui::intent::SignIn&) {},
                   [&](const ui::intent::SignOut&) {},
                   [&](const ui::intent::SetLockMinutes&) {},
                   [&](const auto& i) { route(i, c); },
               },
               in);
    data_changed = true;
    if (worker && store->write_count() != writes_before) worker->notify_local_write();
}

}  // namespace liaison::app
