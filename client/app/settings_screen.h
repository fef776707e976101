// The settings screen (server, language, text size, kiosk start) and the first run
// (demo data or a new station).
#pragma once
#include <string>

#include "client/app/context.h"
#include "client/ui/ui.h"

namespace liaison::app {

class SettingsScreen {
public:
    void draw(ui::Ui& u, ui::View v, const Context& c);
    void enter(Context& c);  // navigated to: the saved values, no old messages
    void set_server_url(const std::string& url) { settings_.server_url = url; }  // after the reference data
    void kiosk_refused(const std::string& why) { settings_.kiosk_error = why; }
    void set_account(const std::string& shown_name, int64_t lock_minutes) {
        settings_.signed_in_as = shown_name;
        settings_.lock_minutes = lock_minutes;
    }

    void handle(const ui::intent::SetFontSize& f, Context& c);
    void handle(const ui::intent::SaveServer& s, Context& c);
    void handle(const ui::intent::StartKiosk&, Context& c);
    void handle(const ui::intent::SeedDemo&, Context& c);
    void handle(const ui::intent::InitStation& i, Context& c);

private:
    void first_run_done(const Status& st, Context& c);

    ui::SettingsState settings_;
    ui::FirstRunState first_run_;
};

}  // namespace liaison::app
