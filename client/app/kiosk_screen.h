// Kiosk mode and the desk's queue panel: the visitor's steps (name with the welcome and the
// consent, phone, topic, wished deputy, ticket), the help call, the hidden way out, the idle reset
// and its clock; and the queue the desk serves. docs/queue.md describes the store calls used here.
#pragma once
#include <cstdint>
#include <string>

#include "client/app/context.h"
#include "client/store/kiosk_lock.h"
#include "client/store/queue.h"
#include "client/ui/ui.h"
#include "platform/sdl/voice.h"

namespace liaison::app {

class KioskScreen {
public:
    static constexpr float kFontPx = 26, kTouchPx = 72;
    static constexpr int64_t kTicketShownMs = 15000;  // the ticket screen returns to the first step after this

    static bool owns(ui::View v) { return v == ui::View::Kiosk || v == ui::View::Queue; }
    void draw(ui::Ui& u, ui::View v, const Context& c);
    Status enter(ui::View v, Context& c);  // navigated to; an error: kiosk mode cannot start
    Status start(ui::KioskStep step, bool locked, Context& c);
    bool locked() const { return locked_; }  // locked in: only an administrator's sign-in leaves
    void leave(Context& c);                  // an administrator signed in: back to the desk app

    void handle(const ui::intent::Kiosk& k, Context& c);
    void handle(const ui::intent::Queue& q, Context& c);
    bool undo(Context& c);  // the undo toast: the ticket that left back in the queue

    bool run_timers(int64_t mono, Context& c);
    int64_t next_deadline(ui::View shown) const;                // monotonic ms, 0 = none
    void advance_clock(int64_t ms) { clock_offset_ms_ += ms; }  // scripts: idle timeout

    // Also for the screenshot samples (client/app/screenshot_seed.cpp).
    const std::string& lang() const { return kiosk_.lang; }
    void load_language(const std::string& lang, Context& c);  // the visitor's language and today's duty deputies
    void set_form(ui::KioskForm f) { kiosk_.form = std::move(f); }
    void show_ticket(const store::QueueTicket& t, Context& c);
    void open_consent();  // the name step with the consent's full text unfolded
    ui::KioskStep step() const { return kiosk_.step; }
    // Screenshots (view kiosk-idle): the 还在吗？ sheet as its countdown starts, held there until input.
    void hold_idle_warning();

    // The desk's call-out (叫下一位 says the number aloud); owned by the event loop, null when none.
    void set_announcer(platform::Announcer* a) { announcer_ = a; }
    platform::Announcer* announcer() const { return announcer_; }
    // The calling display (叫号屏): whether the desk wants it open, and what it shows. The event
    // loop owns its window and calls display_closed() when it is closed there or cannot open.
    bool display_wanted() const { return queue_.display; }
    const ui::CallingDisplayState& calling_display() const { return display_; }
    void display_closed(Context& c, const std::string& why);
    void open_display(Context& c);  // screenshots of the calling display

    // The kiosk's wall clock: the store's (Store::now: the OS's, or --now's), moved by `advance`.
    int64_t wall(const Context& c) const { return c.store.now() + clock_offset_ms_; }

private:
    int64_t now() const;
    std::string today(const Context& c) const;
    void refresh_duty(Context& c);  // the deputies on duty now
    void new_visitor(Context& c);   // back to the first step, everything the visitor typed forgotten
    bool resting() const;
    void next_step(Context& c);
    bool name_valid(Context& c);
    bool phone_valid();
    bool topic_valid(Context& c);
    std::string topic_text(const Context& c) const;  // the chip tapped and the words typed, stored form
    void call_help(Context& c);
    void take_ticket(Context& c);
    void print_ticket(const store::QueueTicket& t, Context& c);
    void corner_tap(int64_t now, Context& c);
    bool ticket_timer(int64_t now, Context& c);
    bool idle_timer(int64_t now, Context& c);
    void sooner(int64_t t);
    void refresh_queue(Context& c);
    void open_ticket_form(const store::QueueTicket& t, Context& c);
    void call_out(const store::QueueTicket& t, Context& c);
    void toggle_voice(Context& c);
    void fill_display(const std::vector<store::QueueTicket>& tickets, Context& c);

    ui::KioskState kiosk_;
    ui::QueueState queue_;
    std::string left_id_, left_was_;  // 离开's undo: the ticket and its status before, until left_until_
    int64_t left_until_ = 0;
    bool locked_ = false;
    int64_t clock_offset_ms_ = 0;  // scripts move the kiosk's clock forward
    bool idle_held_ = false;       // hold_idle_warning()
    // The kiosk clock (monotonic ms plus the offset).
    int64_t last_input_ = 0, due_ = 0, ticket_until_ = 0, last_tap_ = 0;
    float desk_font_px_ = 20;  // restored when the kiosk is left
    store::kiosk::IdlePolicy idle_;
    platform::Announcer* announcer_ = nullptr;
    ui::CallingDisplayState display_;
    std::string called_label_;     // the number the desk called last today, for the calling display
    int64_t display_refresh_ = 0;  // monotonic ms: the open display reads the queue again then
};

}  // namespace liaison::app
