// The sign-in screen: its state and intents.
#include "client/app/sign_in_screen.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace liaison::app {

namespace {
// Deputies first (they come and go with their duty), then staff, then administrators.
int order(store::Role r) {
    switch (r) {
        case store::Role::Deputy: return 0;
        case store::Role::Staff: return 1;
        case store::Role::Admin: return 2;
    }
    return 3;
}

constexpr size_t kMaxPinChars = 64;
}  // namespace

std::vector<SignInEntry> sign_in_order(const std::vector<store::Person>& people,
                                       const std::vector<store::duty::OnDuty>& duty) {
    std::vector<SignInEntry> on, rest;
    auto listed = [&](const store::Person& p) {
        return std::any_of(on.begin(), on.end(), [&](const SignInEntry& e) { return e.person.id == p.id; });
    };
    for (const auto& d : duty)
        for (const auto& p : people)
            if (p.role == store::Role::Deputy && !p.deputy_id.empty() && p.deputy_id == d.deputy_id && !listed(p))
                on.push_back({p, d});
    for (const auto& p : people)
        if (!listed(p)) rest.push_back({p, std::nullopt});
    std::stable_sort(rest.begin(), rest.end(), [](const SignInEntry& a, const SignInEntry& b) {
        return order(a.person.role) < order(b.person.role);
    });
    on.insert(on.end(), rest.begin(), rest.end());
    return on;
}

Status SignInScreen::load(const std::string& ring_path, ui::Glyphs& glyphs,
                          const std::vector<store::duty::OnDuty>& duty, bool kiosk_exit) {
    LIAISON_ASSIGN_OR_RETURN(auto ring, store::Keyring::load(ring_path));
    std::vector<store::Person> people;
    for (const auto& p : ring.people())
        if (!p.disabled && (!kiosk_exit || p.role == store::Role::Admin)) people.push_back(p);
    ring_ = ring_path;
    names_.clear();
    state_ = {};
    state_.kiosk_exit = kiosk_exit;
    for (const auto& e : sign_in_order(people, duty)) {
        names_.push_back(e.person.name);
        ui::SignInTile t{glyphs.shown(e.person.name), std::string("signin.role.") + store::role_code(e.person.role),
                         e.duty ? e.duty->start + "–" + e.duty->end : std::string()};
        if (e.duty) ++state_.on_duty;
        glyphs.note(t.name);
        state_.people.push_back(std::move(t));
    }
    return {};
}

std::optional<store::SignInOutcome> SignInScreen::handle(const ui::intent::SignIn& in, const ui::I18n& i18n,
                                                         int64_t wall_ms) {
    using A = ui::intent::SignInAction;
    switch (in.action) {
        case A::Choose: {
            const size_t i = static_cast<size_t>(std::max(0, std::atoi(in.arg.c_str())));
            if (i >= names_.size()) return std::nullopt;
            state_.chosen = static_cast<int>(i);
            state_.pin.clear();
            state_.message.clear();
            return std::nullopt;
        }
        case A::Digit:
            if (state_.pin.size() < kMaxPinChars) state_.pin += in.arg;
            return std::nullopt;
        case A::Erase:
            if (!state_.pin.empty()) state_.pin.pop_back();
            return std::nullopt;
        case A::Back:
            state_.chosen = -1;
            state_.pin.clear();
            state_.message.clear();
            return std::nullopt;
        case A::Cancel: return std::nullopt;  // the app root goes back to the kiosk
        case A::Enter: break;
    }
    if (state_.chosen < 0 || state_.pin.empty()) return std::nullopt;
    const std::string pin = std::exchange(state_.pin, {});
    auto o = store::sign_in_at(ring_, names_[static_cast<size_t>(state_.chosen)], pin, wall_ms);
    if (!o) {
        state_.message = ui::error_text(i18n, o.error());
        state_.error = true;
        return std::nullopt;
    }
    if (o->kind != store::SignInOutcome::Kind::SignedIn) {
        worded(*o, i18n);
        return std::nullopt;
    }
    // Signed in: the next one to come (after 退出登录 or the idle lock) starts from the list.
    state_.chosen = -1;
    state_.message.clear();
    return std::move(*o);
}

void SignInScreen::worded(const store::SignInOutcome& o, const ui::I18n& i18n) {
    using K = store::SignInOutcome::Kind;
    state_.error = true;
    switch (o.kind) {
        case K::Wrong: state_.message = i18n.fmt("signin.wrong", {std::to_string(o.attempts_left)}); break;
        case K::LockedOut:
            state_.message = i18n.fmt("signin.locked", {std::to_string((o.locked_for_ms + 59999) / 60000)});
            break;
        case K::Disabled: state_.message = i18n.tr("signin.disabled"); break;
        case K::Unknown: state_.message = i18n.tr("signin.unknown"); break;
        case K::SignedIn: state_.message.clear(); break;
    }
}

}  // namespace liaison::app
