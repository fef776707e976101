// UI state as plain structs. Views read these (and edit the text buffers they own); anything
// that touches the store or navigation is an Intent the app root applies.
// Strings here are in display form (see Glyphs::shown): convert back with Glyphs::stored.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "client/ui/sync_status.h"
#include "client/store/domain.h"
#include "client/ui/case_intents.h"

namespace liaison::ui {

enum class View {
    FirstRun,
    Home,
    Visits,
    VisitForm,
    VisitDetail,
    Sync,
    Settings,
    Kiosk,
    Queue,
    CaseBoard,
    CaseDetail,
    CaseForm,
    DeputyRecord,
    Stats,
    SignIn  // over everything: before the store opens, after 退出登录 and the idle lock
};
const char* view_name(View v);
std::optional<View> view_from_name(const std::string& name);

struct Choice {
    std::string id, label;
};

// Reference data, loaded once and after changes; labels already in the current language.
struct RefData {
    std::vector<Choice> categories, deputies;
    store::DeviceInfo device;  // display form
    std::string label(const std::vector<Choice>& list, const std::string& id) const {
        for (const auto& c : list)
            if (c.id == id) return c.label;
        return id;
    }
};

struct VisitRowView {
    std::string id, received_at, category, subject, visitor, route;
    int64_t people = 1;
};

// A deputy whose duty is running (started by their sign-in, docs/app.md "Sign-in").
struct DutyHeld {
    std::string deputy_id, name, since;  // name in display form; since "09:05"
};

struct HomeState {
    std::string today;
    std::vector<DutyHeld> on_duty;  // started today and not ended
    int64_t today_visits = 0, today_people = 0, month_visits = 0, month_people = 0;
    std::vector<store::DutySlot> duty;  // empty until the store has the duty roster
    std::vector<VisitRowView> recent;
};

struct VisitListState {
    std::string text;      // search as you type
    std::string from, to;  // dates, inclusive
    std::string today;     // the times of this year show without it
    std::string category, deputy_id;
    int64_t total = 0;
    int64_t cache_offset = 0;  // rows [cache_offset, cache_offset + cache.size())
    std::vector<VisitRowView> cache;
    bool want_rows = false;  // a view asked for rows outside the cache
    bool scroll_to_top = false;
    bool show_filters = false;
    std::string error;
    double last_query_ms = 0;  // how long the last fetch took (shown in settings/diagnostics)
};

struct VisitFormState {
    std::string editing_id;  // empty for a new visit
    std::string received_at, channel = "station", category, subject, content, route, route_reason, notes;
    std::string visitor_name, visitor_phone;
    int64_t people = 1;
    std::vector<std::string> deputy_ids;
    std::set<std::string> touched;              // fields edited: their errors show at once
    bool tried_save = false;                    // after a save attempt every error shows
    std::map<std::string, std::string> errors;  // field -> i18n key
    std::string notice_key;                     // e.g. "form.draft_restored"
    std::string save_error;                     // from the store, one line
    std::string queue_ticket_id;                // opened by the desk's "call next": saving serves it
    // The view's own sheets: 清空 asks first (docs/app.md), and so does a 人次 above
    // kPeopleAskAbove until that number was confirmed.
    bool confirm_discard = false;
    bool confirm_people = false;
    int64_t people_confirmed = 0;
};
// 人次 above this asks "is that right?" before saving (the domain's cap is domain::kMaxPeople).
inline constexpr int64_t kPeopleAskAbove = 50;

struct VisitDetailState {
    std::string id;
    store::Visit visit;  // display form
    std::vector<std::string> deputy_names;
    std::vector<store::AuditEntry> audit;
    std::vector<CaseRowView> cases;  // the cases (意见建议) this visit raised
    std::string error;
};

struct ConflictEdit {
    bool editing = false;
    std::string merged;
};

struct SyncViewState {
    SyncStatus status;
    std::vector<store::ConflictView> conflicts;  // display form
    std::map<std::string, ConflictEdit> edits;   // by conflict id
    std::string message;
};

struct SettingsState {
    std::string server_url;    // edit buffer
    std::string signed_in_as;  // display form; "" hides 退出登录
    int64_t lock_minutes = 5;  // the idle lock, 2–30 (ui.lock_minutes)
    std::string message_key;
    std::string ticket_series;  // this tablet's queue letter, "" while it has none
    std::string kiosk_error;    // why kiosk mode could not start
};

struct FirstRunState {
    std::string station, device;
    std::string error;
};

// ---- sign-in (docs/app.md, docs/security.md "Sign-in on the tablet") ----
struct SignInTile {
    std::string name;  // display form
    std::string role;  // i18n key: signin.role.admin / staff / deputy
    std::string duty;  // the slot "09:00–12:00" of a deputy on today's duty, else ""
};
struct SignInState {
    std::vector<SignInTile> people;  // today's duty first, then deputies, staff and administrators
    size_t on_duty = 0;              // how many of the first tiles are today's duty
    int chosen = -1;                 // the tile whose PIN pad is shown, -1 for the list
    std::string pin;                 // digits typed, never drawn (dots)
    std::string message;             // the last attempt's outcome, already worded
    bool error = false;              // message in red
    bool kiosk_exit = false;         // leaving kiosk mode: administrators only, and 返回 to the kiosk
};

// ---- kiosk (docs/queue.md): the visitor's steps; nothing here outlives one visitor ----
// One question per screen: name (and how many came), phone, topic (optional), deputy. The name
// step is also the kiosk at rest: the welcome and the consent (a short notice, the full text
// unfolding in place) are on it, and its 同意并继续 agrees and goes on (docs/queue.md).
// Declined: 不同意 explains what happens instead (the desk registers the visitor).
enum class KioskStep { Name, Phone, Topic, Deputy, Ticket, Declined };
const char* kiosk_step_name(KioskStep s);  // "kiosk-name" ...
// Also "kiosk", "kiosk-welcome" and "kiosk-consent": the name step (screenshots of it at rest and
// with the consent unfolded).
std::optional<KioskStep> kiosk_step_from_name(const std::string& n);

struct KioskForm {
    std::string name, phone, topic, category, deputy_id;  // display form
    std::string topic_chip;                               // a common topic tapped ("streetlight"), "" none
    int64_t people = 1;
    std::map<std::string, std::string> errors;  // field -> i18n key
};

struct KioskState {
    KioskStep step = KioskStep::Name;
    KioskForm form;
    bool consent_open = false;          // the consent's full text unfolded on the name step
    bool consent_jump = false;          // scroll the name step to the consent when next drawn
    int session = 0;                    // new widget ids for every visitor: no earlier text can reappear
    int drawn_session = -1;             // the view clears ImGui's active field when this differs
    std::string lang;                   // the visitor's language; back to Chinese for the next visitor
    std::string consent;                // consent text (markdown), display form
    std::vector<Choice> duty_deputies;  // on duty now (a slot running): deputy id, "name  09:00–12:00"
    std::string ticket_label;           // "A007"
    int64_t ticket_ahead = 0;
    int countdown_s = 0;    // idle: the 还在吗？ sheet with this many seconds left (0: none)
    int ticket_left_s = 0;  // the ticket screen returns to welcome after this
    std::string error;      // store message, one line
    int corner_taps = 0;
    bool help_called = false;   // this visitor asked for staff: the desk's queue panel shows it
    bool print_failed = false;  // the receipt did not print: the ticket screen asks to remember the number
};

struct QueueRowView {
    std::string id, label, status, name, phone_masked, topic, category;
    int64_t people = 1;
};

struct QueueState {
    std::string date;
    std::vector<QueueRowView> rows;
    int64_t waiting = 0;
    std::string message;      // one line (e.g. nobody waiting)
    std::string help_call;    // when the kiosk asked for staff ("10:32"), "" when nobody is asking
    std::string print_error;  // the kiosk's last receipt failed: "10:32 A003 printer ...: why", else ""
    std::string confirm_leave_id, confirm_leave_label;  // the view's sheet: "A003 leaves the queue?"
    bool voice = true;                                  // 叫下一位 calls the number out (local setting queue.voice)
    bool display = false;                               // the calling display (叫号屏) is open
    std::string voice_error;                            // the last call-out could not be played: why, else ""
};

// The calling display (叫号屏): a second window for a TV in the waiting room (docs/queue.md).
struct CallingDisplayState {
    std::string station;            // display form
    std::string current;            // the number called last ("A003"), "" before the first call today
    std::vector<std::string> next;  // the next waiting numbers, in queue order (a few)
    int64_t waiting = 0;            // all waiting
    bool operator==(const CallingDisplayState&) const = default;
};

// ---- intents: what a view asks the app root to do ----
namespace intent {
struct Navigate {
    View to;
};
struct OpenVisit {
    std::string id;
};
struct NewVisit {};
struct EditVisit {
    std::string id;
};
struct SaveVisit {};
struct FormEdited {};
struct DiscardForm {};
struct ListQueryChanged {
    bool immediate = false;
};
struct NeedRows {
    int64_t first = 0, last = 0;
};  // visible rows [first, last)
struct ResolveConflict {
    std::string id, keep;
};  // keep: mine|theirs
struct ResolveConflictWith {
    std::string id, text;
};
struct SetLanguage {
    std::string lang;
};
struct SetFontSize {
    float px = 20;
};
struct SaveServer {
    std::string url;
};
struct SeedDemo {};
struct InitStation {
    std::string station, device;
};
struct StartKiosk {};  // settings: lock this tablet into kiosk mode until an administrator signs in
enum class KioskAction {
    Consent,  // the consent's full text, unfolded on the name step (返回阅读同意书)
    Disagree,
    Next,
    Back,
    Take,
    Done,
    Language,
    CornerTap,
    Touch,
    Help,      // 请工作人员帮助: shows in the desk's queue panel
    StillHere  // 继续 on the idle sheet: the visitor stays, with everything typed

};
struct Kiosk {
    KioskAction action;
    std::string arg;
};
enum class SignInAction { Choose, Digit, Erase, Enter, Back, Cancel };  // Cancel: back to the kiosk
struct SignIn {
    SignInAction action;
    std::string arg;  // Choose: the tile's index; Digit: the digit
};
struct SetLockMinutes {
    int64_t minutes;
};
struct SignOut {};  // 退出登录: back to the sign-in view; the store stays open
struct Undo {};     // the undo toast's button: take back the last destructive action
enum class QueueAction {
    CallNext,
    Serve,
    Leave,
    Refresh,
    HelpDone,
    Voice,   // 叫号语音 on or off
    Display  // 叫号屏 open or closed
};
struct Queue {
    QueueAction action;
    std::string id;
};
}  // namespace intent

using Intent =
    std::variant<intent::Navigate, intent::OpenVisit, intent::NewVisit, intent::EditVisit, intent::SaveVisit,
                 intent::FormEdited, intent::DiscardForm, intent::ListQueryChanged, intent::NeedRows,
                 intent::ResolveConflict, intent::ResolveConflictWith, intent::SetLanguage, intent::SetFontSize,
                 intent::SaveServer, intent::SeedDemo, intent::InitStation, intent::StartKiosk, intent::Kiosk,
                 intent::Queue, intent::Cases, intent::Undo, intent::SignIn, intent::SignOut, intent::SetLockMinutes>;

}  // namespace liaison::ui
