// The settings screen and the first run: their state and intents.
#include "client/app/settings_screen.h"

#include <algorithm>

#include "client/app/demo.h"
#include "client/store/queue.h"

namespace liaison::app {

void SettingsScreen::draw(ui::Ui& u, ui::View v, const Context& c) {
    if (v == ui::View::FirstRun)
        ui::draw_first_run(u, first_run_);
    else
        ui::draw_settings(u, settings_, c.ref, c.i18n.lang(), c.app.font_px());
}

void SettingsScreen::enter(Context& c) {
    settings_.server_url = c.ref.device.server_url;
    settings_.message_key.clear();
    settings_.kiosk_error.clear();
    auto letter = store::queue::series(c.store);
    settings_.ticket_series = letter ? *letter : std::string();
}

void SettingsScreen::handle(const ui::intent::SetFontSize& f, Context& c) {
    c.app.set_font_px(std::clamp(f.px, 14.0f, 32.0f));
    c.app.report(c.store.set_setting("ui.font_px", std::to_string(static_cast<int>(c.app.font_px()))));
}

void SettingsScreen::handle(const ui::intent::SaveServer& s, Context& c) {
    std::string token;
    if (auto t = c.store.token()) token = *t;
    auto st = c.store.set_server(s.url, token);
    settings_.message_key = st ? "settings.server_saved" : "settings.server_invalid";
    c.app.load_ref();
}

void SettingsScreen::handle(const ui::intent::StartKiosk&, Context& c) {
    if (auto st = c.app.start_kiosk(true); !st) settings_.kiosk_error = c.error_text(st.error());
}

void SettingsScreen::handle(const ui::intent::SeedDemo&, Context& c) {
    first_run_done(seed_demo(c.store, demo_visit_count()), c);
}

void SettingsScreen::handle(const ui::intent::InitStation& i, Context& c) {
    first_run_done(c.store.init(c.stored(i.station), c.stored(i.device)), c);
}

void SettingsScreen::first_run_done(const Status& st, Context& c) {
    if (!st) {
        first_run_.error = c.error_text(st.error());
        return;
    }
    c.app.station_ready();
}

}  // namespace liaison::app
