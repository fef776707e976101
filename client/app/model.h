// The app root's state and the only code that turns intents into store calls. Runs on the UI
// thread; workers talk to it through UiQueue.
#pragma once
#include <memory>
#include <string>

#include "client/store/kiosk_lock.h"

#include "client/ui/sync_status.h"
#include "sync/client/worker.h"
#include "client/store/store.h"
#include "client/ui/glyphs.h"
#include "client/ui/i18n.h"
#include "client/ui/state.h"
#include "client/store/cases.h"
#include "client/ui/case_state.h"

namespace liaison::app {

struct AppModel {
    std::unique_ptr<store::Store> store;
    ui::Glyphs* glyphs = nullptr;
    ui::I18n i18n;
    std::string assets_dir;

    ui::View view = ui::View::Home;
    ui::RefData ref;
    ui::SyncStatus sync;
    ui::HomeState home;
    ui::VisitListState list;
    ui::VisitFormState form;
    ui::VisitDetailState detail;
    ui::SyncViewState sync_view;
    ui::SettingsState settings;
    ui::FirstRunState first_run;
    float font_px = 20;
    // Kiosk mode (client/app/model_kiosk.cpp): the visitor's steps and the desk's queue panel.
    ui::KioskState kiosk;
    ui::QueueState queue;
    bool kiosk_mode = false;             // locked in: only the admin PIN leaves
    int64_t clock_offset_ms = 0;         // scripts move the kiosk's clock forward (idle timeout)
    int64_t kiosk_last_input = 0, kiosk_due = 0, kiosk_ticket_until = 0, kiosk_last_tap = 0;  // kiosk clock
    float desk_font_px = 20;             // restored when the kiosk is left
    std::unique_ptr<store::kiosk::KioskLock> kiosk_lock;
    store::kiosk::IdlePolicy kiosk_idle;
    static constexpr float kKioskFontPx = 26, kKioskTouchPx = 72;
    static constexpr int64_t kTicketShownMs = 15000;  // the ticket screen returns to welcome after this
    // Case screens (client/app/model_cases.cpp): board, detail, new case, deputy record, statistics.
    ui::CaseBoardState case_board;
    ui::CaseDetailState case_detail;
    ui::CaseFormState case_form;
    ui::DeputyRecordState record;
    ui::StatsState stats_view;
    std::string data_folder;  // where exports go (<data>/exports)

    std::string toast;
    int64_t toast_until = 0;
    // Timers (monotonic ms, 0 = none): the event loop sleeps until the earliest.
    int64_t list_query_due = 0, draft_due = 0, status_due = 0;
    bool immediate = false;  // screenshots and scripts: no debounce
    bool data_changed = false;  // something to redraw

    // Loading
    Status open(const std::string& data_dir, const std::string& lang_override, bool demo);
    void load_ref();
    void refresh_home();
    bool refresh_status();  // true when the shown status changed
    void run_list_query();
    void fetch_rows(int64_t first, int64_t last);
    void open_visit(const std::string& id);
    void navigate(ui::View v);
    void first_run_done(const Status& st);  // the station exists (demo or set up): go home
    // Timers due at `now`; returns true when anything ran.
    bool run_timers(int64_t now);
    int64_t next_deadline() const;

    // Background sync (client/app/model_sync.cpp). The worker is owned by the event loop, which
    // stops it before the UI queue it posts to goes away; the model only nudges it.
    sync::Worker* worker = nullptr;
    uint64_t sync_rounds_seen = 0;
    void on_sync_status(const sync::SyncStatus& s);

    // Intents
    void apply(const ui::Intent& i);
    void apply_intent(const ui::Intent& i);
    void save_form();
    void new_form();
    void save_draft_now();
    void restore_draft();
    void set_language(const std::string& lang);
    void show_toast(const std::string& key);
    void report(const Status& st);  // a failed write the user cannot fix here: one line in the toast
    void flush();  // before exit: write a pending draft

    // Kiosk and queue (model_kiosk.cpp)
    Status start_kiosk(ui::KioskStep step, bool locked);
    void kiosk_new_visitor();  // back to welcome, everything the visitor typed forgotten
    void change_kiosk_pin();   // settings: the PIN fields, worded outcome in settings.pin_message
    void kiosk_load_language(const std::string& lang);  // the visitor's language and today's duty deputies
    void apply_kiosk(const ui::intent::Kiosk& k);
    bool kiosk_details_valid();
    void kiosk_take_ticket(int64_t now);
    void kiosk_corner_tap(int64_t now);
    bool kiosk_enter_pin();  // true: the kiosk was left
    void leave_kiosk();
    int64_t kiosk_show_lockout();
    void apply_queue(const ui::intent::Queue& q);
    void refresh_queue();
    void open_ticket_form(const store::QueueTicket& t);
    bool kiosk_timers(int64_t now);
    int64_t kiosk_deadline() const;  // monotonic ms, 0 = none
    int64_t kiosk_now() const;

    // Case screens (model_cases.cpp)
    static bool is_case_view(ui::View v);
    void navigate_cases(ui::View v);  // loads the screen's state; navigate() calls it
    void apply_cases(const ui::intent::CaseIntent& i);
    void refresh_cases();
    void open_case(const std::string& id);
    void load_visit_cases();  // detail.cases: what the open visit raised
    void submit_case_action();
    void refresh_record();
    void add_activity();
    void refresh_stats();
    void export_report();

private:
    std::string shown(const std::string& s) { return glyphs->shown(s); }
    std::string stored(const std::string& s) const { return glyphs->stored(s); }
    ui::VisitRowView row_view(const store::VisitRow& r);
    std::string draft_key() const;
    ui::CaseRowView case_row(const store::cases::CaseRow& r);
    std::string refusal_text(const store::cases::Refusal& r);
};

}  // namespace liaison::app
