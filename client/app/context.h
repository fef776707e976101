// What a screen (client/app/*_screen.h) may use besides its own state: the shared things the app
// root owns, and the requests it answers. A screen never reaches into another screen; what
// crosses screens (the visit form opened from the queue, badges refreshed after a write) is a
// request to the app root, which routes it.
#pragma once
#include <string>

#include "client/store/store.h"
#include "client/ui/glyphs.h"
#include "client/ui/i18n.h"
#include "client/ui/state.h"

namespace liaison::app {

// Answered by the app root (AppModel).
class Requests {
public:
    virtual ui::View view() const = 0;
    virtual void show(ui::View v) = 0;      // switch to a view as its screen left it
    virtual void navigate(ui::View v) = 0;  // switch and let the screen load it
    virtual void show_toast(const std::string& key) = 0;
    // A toast with 撤销 for tuning::kUndoMs: its tap is intent::Undo, which the app root passes
    // to every screen's undo() (each knows whether it has something to take back).
    virtual void offer_undo(const std::string& key) = 0;
    virtual void report(const Status& st) = 0;  // a failed write the user cannot fix here: one line in the toast
    virtual void changed() = 0;                 // something to redraw
    virtual void refresh_status() = 0;          // pending and conflict counts, after a local write
    virtual void load_ref() = 0;                // reference data, after a change to it or the language
    virtual bool use_language(const std::string& lang) = 0;  // for now, not saved; false: not loaded
    virtual float font_px() const = 0;
    virtual void set_font_px(float px) = 0;
    virtual void open_visit_form(ui::VisitFormState form) = 0;     // the visit form, filled (queue)
    virtual void open_case_form(const std::string& visit_id) = 0;  // a new case, filled from the visit
    virtual Status start_kiosk(bool locked) = 0;
    // Kiosk mode's way out: the sign-in view with the administrators only; one of them signing
    // in leaves the kiosk, 返回 goes back to it (docs/security.md "Kiosk mode").
    virtual void ask_admin() = 0;
    virtual void station_ready() = 0;                  // the station exists (demo or set up): load it and go home
    virtual std::string signed_in_deputy() const = 0;  // the deputy id of who signed in, "" if not a deputy

protected:
    ~Requests() = default;
};

struct Context {
    store::Store& store;
    ui::Glyphs& glyphs;
    const ui::I18n& i18n;
    const ui::RefData& ref;
    const std::string& assets_dir;
    const std::string& data_folder;  // where exports go (<data>/exports)
    bool immediate;                  // screenshots and scripts: no debounce
    Requests& app;

    std::string shown(const std::string& s) const { return glyphs.shown(s); }
    std::string stored(const std::string& s) const { return glyphs.stored(s); }
    // An error in the screen's language (docs/app.md, "Errors").
    std::string error_text(const Error& e) const { return shown(ui::error_text(i18n, e)); }
};

}  // namespace liaison::app
