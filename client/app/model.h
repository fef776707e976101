// The app root's state: the store, the shared reference data and language, which view is shown,
// the toast; the screens (client/app/*_screen.h) own everything else. Intents are routed to the
// screen that owns them. Runs on the UI thread; workers talk to it through UiQueue.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "client/app/cases_screen.h"
#include "client/app/context.h"
#include "client/app/kiosk_screen.h"
#include "client/app/settings_screen.h"
#include "client/app/sign_in_screen.h"
#include "client/app/sync_screen.h"
#include "client/app/visits_screen.h"
#include "client/store/keyring.h"
#include "client/store/store.h"
#include "client/ui/glyphs.h"
#include "client/ui/i18n.h"
#include "client/ui/state.h"
#include "client/sync/worker.h"

namespace liaison::app {

class AppModel final : private Requests {
public:
    std::unique_ptr<store::Store> store;
    ui::Glyphs* glyphs = nullptr;
    ui::I18n i18n;
    std::string assets_dir;
    std::string data_folder;
    ui::RefData ref;
    bool immediate = false;  // screenshots and scripts: no debounce
    // The app's wall clock, given to the store (Store::now): the OS clock, or --now's. Set before open().
    sync::WallClock wall;
    bool data_changed = false;  // something to redraw
    // The background sync worker is owned by the event loop, which stops it before the UI queue
    // it posts to goes away; the model only nudges it.
    sync::Worker* worker = nullptr;

    // Who is signed in (docs/security.md): the author of every change made in the app.
    std::optional<store::Person> person;
    store::StoreKeyPtr store_key;

    VisitsScreen visits;
    CasesScreen cases;
    KioskScreen kiosk;
    SyncScreen sync;
    SettingsScreen settings;
    SignInScreen sign_in;

    // scratch (screenshots): an existing station is opened as a throwaway copy, and so is a new
    // demo station once seeded, so that sample data never reaches a store that syncs.
    Status open(const std::string& data_dir, const std::string& lang_override, bool demo, bool scratch = false);
    AppModel() = default;
    ~AppModel();
    AppModel(const AppModel&) = delete;
    AppModel& operator=(const AppModel&) = delete;
    Context context() { return {*store, *glyphs, i18n, ref, assets_dir, data_folder, immediate, *this}; }
    ui::View view() const override { return view_; }
    // The view's name, or the kiosk step's ("kiosk-phone"): the screen a person sees (scripts count them).
    std::string screen_name() const;
    void navigate(ui::View v) override;
    float font_px() const override { return font_px_; }
    void use_text_px(float px) { font_px_ = px; }  // --text-size: this run only, not saved
    const std::string& toast() const { return toast_; }
    bool toast_undo() const { return toast_undo_; }  // the toast carries 撤销
    Status start_kiosk(ui::KioskStep step, bool locked);

    void apply(const ui::Intent& in);  // after the frame: to the screen that owns the intent
    void draw(ui::Ui& u);              // the shown view, by the screen that owns it
    void on_sync_status(const sync::SyncStatus& s);
    bool run_timers(int64_t now);   // timers due at `now`; true when anything ran
    int64_t next_deadline() const;  // the earliest timer (monotonic ms, 0 = none): the loop sleeps until then
    bool settled() const;           // screenshots: nothing pending that would change the frame
    void flush();                   // before exit: write a pending draft
    // Input at `mono` (monotonic ms): the idle lock counts from the last one.
    // Kept on the scripts' clock (mono + advance_clock's offset): input after an `advance` counts
    // from then, not from before it.
    void touched(int64_t mono) { last_input_ms_ = mono + clock_offset_ms_; }
    void advance_clock(int64_t ms);  // scripts: the kiosk's idle reset and the idle lock
    void lock();                     // the idle lock: the sign-in view over everything; duty goes on
    void sign_out();                 // 退出登录: a deputy's duty ends, then the sign-in view

    void show_toast(const std::string& key) override;
    void offer_undo(const std::string& key) override;
    void report(const Status& st) override;
    void load_ref() override;

private:
    template <class I>
    void route(const I& in, Context& c);
    Status open_store(const std::string& data_dir);
    Status sign_in_from_environment(const std::string& data_dir);
    Status show_sign_in(const std::string& data_dir, const std::string& lang);
    void signed_in(const ui::intent::SignIn& in);
    std::vector<store::duty::OnDuty> duty_today();  // from the store; empty while it is closed
    std::vector<store::duty::OnDuty> board_duty(const std::string& data_dir);  // a cold start's
    void save_board();  // the coming days' roster for the next cold start (client/store/duty_board.h)
    void begin_duty();  // the signed-in deputy on today's duty starts it
    int64_t lock_deadline() const;
    void set_lock_minutes(int64_t minutes);  // monotonic ms of the idle lock, 0 = none
    Status seed_if_asked(bool demo);
    Status use_scratch_copy();
    void set_language(const std::string& lang);
    // Requests of the screens.
    void show(ui::View v) override { view_ = v; }
    void changed() override { data_changed = true; }
    void refresh_status() override;
    bool use_language(const std::string& lang) override;
    void set_font_px(float px) override { font_px_ = px; }
    void open_visit_form(ui::VisitFormState form) override;
    void open_case_form(const std::string& visit_id) override;
    Status start_kiosk(bool locked) override { return start_kiosk(ui::KioskStep::Name, locked); }
    void ask_admin() override;
    void station_ready() override;
    std::string signed_in_deputy() const override {
        return person && person->role == store::Role::Deputy ? person->deputy_id : std::string();
    }

    ui::View view_ = ui::View::Home;
    std::string scratch_dir_;  // the throwaway copy's folder, removed on exit
    float font_px_ = 20;
    std::string toast_;
    int64_t toast_until_ = 0;
    bool toast_undo_ = false;
    // Sign-in (docs/security.md "Sign-in on the tablet"): the open() a cold start put off until
    // someone signed in, and the idle lock, which only a sign-in on the screen arms (the
    // environment's is for scripts and the demo).
    struct PendingOpen {
        std::string data_dir, lang;
        bool demo = false, scratch = false;
    };
    std::optional<PendingOpen> pending_open_;
    bool lockable_ = false;
    int64_t lock_after_ms_ = 0;
    int64_t last_input_ms_ = 0;
    int64_t clock_offset_ms_ = 0;
};

}  // namespace liaison::app
