// The sign-in screen (docs/app.md "Sign-in", docs/security.md "Sign-in on the tablet"): the
// station's people from DIR/keyring.json as tiles, the PIN pad, and the outcome of each try.
// It needs no store: on a cold start the store opens only after someone signed in.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "client/store/duty.h"
#include "client/store/keyring.h"
#include "client/ui/ui.h"

namespace liaison::app {

// A tile of the sign-in view: the person, and their slot when on today's duty.
struct SignInEntry {
    store::Person person;
    std::optional<store::duty::OnDuty> duty;
};
// The order of the tiles (docs/app.md "Sign-in"): the deputies on today's duty first, in the
// order of their slots, then everyone else: deputies, staff, administrators, each as listed.
// `people` are the ones who may sign in; `duty` is store::duty::on_duty_today. Pure.
std::vector<SignInEntry> sign_in_order(const std::vector<store::Person>& people,
                                       const std::vector<store::duty::OnDuty>& duty);

class SignInScreen {
public:
    // The enabled people of the keyring at `ring_path` (only its administrators when leaving
    // kiosk mode), those on `duty` today first; the list view, nothing typed. `duty` is empty
    // while the store is closed (a cold start).
    Status load(const std::string& ring_path, ui::Glyphs& glyphs, const std::vector<store::duty::OnDuty>& duty,
                bool kiosk_exit = false);
    bool kiosk_exit() const { return state_.kiosk_exit; }
    void draw(ui::Ui& u) { ui::draw_sign_in(u, state_); }
    // A tap on the list or the pad. The outcome when the PIN was tried and it signed in.
    std::optional<store::SignInOutcome> handle(const ui::intent::SignIn& in, const ui::I18n& i18n, int64_t wall_ms);

private:
    void worded(const store::SignInOutcome& o, const ui::I18n& i18n);

    std::string ring_;
    std::vector<std::string> names_;  // stored form, beside state_.people
    ui::SignInState state_;
};

}  // namespace liaison::app
