// The queue of reception days (接待日排队): tickets the kiosk or the desk hands out, and the
// desk's calls. Tickets are ordinary replicated rows; docs/queue.md explains the numbering that
// keeps two offline tablets of one station from ever issuing the same number.
//
// For the kiosk screens and the desk's queue panel. Every function validates its input and
// returns a one-line message safe to show (never containing the visitor's name or phone).
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "client/store/domain.h"
#include "client/store/store.h"
#include "domain/series.h"

namespace liaison::store::queue {

inline constexpr size_t kMaxTopicChars = 200;
inline constexpr size_t kMaxNameChars = 50;

// What a visitor types at the kiosk (or staff type for a walk-in or phone-in).
struct NewTicket {
    std::string visitor_name;
    std::string phone;  // required: 11-digit mobile or landline with area code
    int64_t people = 1;
    std::string category;          // code or name; "" means "other"
    std::string topic;             // required, at most kMaxTopicChars characters
    std::string wished_deputy_id;  // optional
};

// ---- this device's series letter (docs/queue.md) ----

// Letters a series may use, and the centre's choice of one (domain/series.h).
using domain::free_series;
using domain::valid_series;
// The letter this device issues tickets under, "" while it has none. The device that created
// the station gets "A" on first use; every other device is given one (enrolment or
// `liaison queue series`).
Result<std::string> series(Store& s);
// Gives this device `letter`. Refused when another device of the station is known to hold it,
// unless `replace` (a re-installed tablet taking over its old letter: it then continues after
// the highest number of that letter it knows today).
Status set_series(Store& s, const std::string& letter, bool replace = false);
// The letters of the station's devices as known here: device id -> letter.
Result<std::vector<std::pair<std::string, std::string>>> series_by_device(Store& s);

// ---- tickets ----

// The shown number: "A007" (at least three digits).
std::string label(const QueueTicket& t);
// Checks a new ticket without writing (the kiosk validates step by step with the same rules).
Status validate(Store& s, const NewTicket& t);
Status validate_name(const std::string& name);
Status validate_phone(const std::string& phone);
Status validate_topic(const std::string& topic);
// Issues the next number of this device's series for today; one transaction.
Result<QueueTicket> take_ticket(Store& s, const NewTicket& t);
Result<QueueTicket> ticket(Store& s, const std::string& id);
// A ticket of `date` by its shown number ("A007", "a7"); NotFound when there is none.
Result<QueueTicket> ticket_by_label(Store& s, const std::string& date, const std::string& label);
// The day's tickets in queue order: by check-in time across all devices (ties: letter, number).
Result<std::vector<QueueTicket>> tickets(Store& s, const std::string& date);
// How many waiting tickets of its day come before `t` in queue order (0 once called).
Result<int64_t> waiting_ahead(Store& s, const QueueTicket& t);

// ---- the desk's calls: waiting -> called -> served; waiting/called -> left ----

Result<QueueTicket> call(Store& s, const std::string& id);
// Calls the first waiting ticket of `date` in queue order; NotFound when nobody waits.
Result<QueueTicket> call_next(Store& s, const std::string& date);
// Links the ticket and the visit both ways (ticket.visit_id, visit.queue_ticket_id).
Result<QueueTicket> serve(Store& s, const std::string& id, const std::string& visit_id);
Result<QueueTicket> leave(Store& s, const std::string& id);
// Takes a leave back (the desk's undo, seconds after): `left` -> `was` (waiting or called).
Result<QueueTicket> undo_leave(Store& s, const std::string& id, const std::string& was);

// The visit form's starting values for a called ticket: visitor, people, category, subject =
// topic, channel reception_day, wished deputy as receiving deputy, queue_ticket_id set (so
// saving it with Store::add_visit links the visit; then serve() closes the ticket).
Visit prefill_visit(Store& s, const QueueTicket& t);

// ---- display helpers (public screens and the plain listing show no full names) ----
std::string mask_name(const std::string& name);    // 王小明 -> 王*明, 李四 -> 李*
std::string mask_phone(const std::string& phone);  // 13800138000 -> 138****8000
size_t utf8_chars(const std::string& s);

}  // namespace liaison::store::queue
