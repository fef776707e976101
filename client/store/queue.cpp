// The reception-day queue over the replicated queue_tickets and queue_devices tables.
// Numbering (docs/queue.md): the shown number is the issuing device's series letter and a
// per-day, per-letter counter. A device only ever counts within its own letter, and no two
// devices hold one letter, so two tablets offline for the whole day still never issue the same
// number; after sync the union of both series is ordered by check-in time.
#include "client/store/queue.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "platform/platform.h"

namespace liaison::store::queue {

using sync::Value;

namespace {

using domain::kCreatorSeries;
using domain::kMaxPeople;

constexpr const char* kTicketCols =
    "id, station_id, date, number, visitor_name, phone, people, category, topic, wished_deputy_id, status, "
    "visit_id, created_at, series, device_id, issued_ms";

QueueTicket ticket_from(const db::Stmt& st) {
    QueueTicket t;
    t.id = st.text(0);
    t.station_id = st.text(1);
    t.date = st.text(2);
    t.number = st.is_null(3) ? 0 : st.i64(3);
    t.visitor_name = st.text(4);
    t.phone = st.text(5);
    t.people = st.is_null(6) ? 1 : st.i64(6);
    t.category = st.text(7);
    t.topic = st.text(8);
    t.wished_deputy_id = st.text(9);
    t.status = st.is_null(10) ? "waiting" : st.text(10);
    t.visit_id = st.text(11);
    t.created_at = st.text(12);
    t.series = st.text(13);
    t.device_id = st.text(14);
    t.issued_ms = st.is_null(15) ? 0 : st.i64(15);
    return t;
}

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool has_control_chars(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

// Splits UTF-8 text into its characters (the text is validated before).
std::vector<std::string> characters(const std::string& s) {
    std::vector<std::string> out;
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
        out.push_back(s.substr(i, n));
        i += n;
    }
    return out;
}

// The device whose write created the station row: on a tablet that ran `liaison init` this is
// the tablet itself; a station created by the centre has no creator among the tablets.
Result<std::string> station_creator(Store& s) {
    auto h = s.replica().history("stations", s.station_id());
    if (!h) return h.error();
    if (h->empty()) return std::string();
    return h->front().hlc.node;  // history is in clock order
}

// device id -> letter, for the devices of this station not tombstoned.
Result<std::vector<std::pair<std::string, std::string>>> claims(Store& s) {
    auto& st =
        s.db().cached("SELECT id, series FROM queue_devices WHERE _deleted = 0 AND station_id = ? ORDER BY series, id");
    st.bind(1, s.station_id());
    std::vector<std::pair<std::string, std::string>> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) { out.emplace_back(q.text(0), q.text(1)); }));
    return out;
}

Result<bool> has_claim_row(Store& s) {
    auto cs = claims(s);
    if (!cs) return cs.error();
    const std::string& me = s.replica().device();
    return std::any_of(cs->begin(), cs->end(), [&](const auto& c) { return c.first == me; });
}

Status write_claim(Store& s, const std::string& letter) {
    return s.replica().write(
        "queue_devices", s.replica().device(), s.station_id(),
        {{"station_id", s.station_id()}, {"series", letter}, {"claimed_at", platform::local_datetime(s.now())}});
}

Status require_station(Store& s) {
    if (!s.initialized()) return invalid("this store has no station: run `liaison init --station NAME` first");
    return {};
}

// Writes one ticket's status (and more fields) in its own transaction, then reads it back.
Result<QueueTicket> write_ticket(Store& s, const QueueTicket& t,
                                 const std::vector<std::pair<std::string, Value>>& fields) {
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(s.db()));
    LIAISON_TRY(s.replica().write("queue_tickets", t.id, s.station_id(), fields));
    LIAISON_TRY(tx.commit());
    return ticket(s, t.id);
}

}  // namespace

// ---------------------------------------------------------------- series

Result<std::vector<std::pair<std::string, std::string>>> series_by_device(Store& s) { return claims(s); }

Result<std::string> series(Store& s) {
    LIAISON_TRY(require_station(s));
    auto cs = claims(s);
    if (!cs) return cs.error();
    const std::string& me = s.replica().device();
    for (const auto& [dev, letter] : *cs)
        if (dev == me) return letter;
    // Only the device that created the station can take a letter without being given one: no
    // other device can have known the station before this device did, so before any other
    // device exists its "A" is free, and set_series keeps "A" for it afterwards.
    auto creator = station_creator(s);
    if (!creator) return creator.error();
    if (*creator != me) return std::string();
    for (const auto& [dev, letter] : *cs)
        if (letter == kCreatorSeries) return std::string();  // given to another device (replace)
    return std::string(kCreatorSeries);
}

Status set_series(Store& s, const std::string& letter0, bool replace) {
    LIAISON_TRY(require_station(s));
    std::string letter = letter0;
    if (letter.size() == 1) letter[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(letter[0])));
    if (!valid_series(letter))
        return invalid("a ticket series is one letter A-Z other than I and O (they read as 1 and 0)");
    auto cs = claims(s);
    if (!cs) return cs.error();
    const std::string& me = s.replica().device();
    std::vector<std::string> holders;
    for (const auto& [dev, l] : *cs)
        if (l == letter && dev != me) holders.push_back(dev);
    if (letter == kCreatorSeries) {
        // The creator may be using "A" without a claim row yet (it writes one with its first ticket).
        auto creator = station_creator(s);
        if (!creator) return creator.error();
        const bool creator_has_row =
            std::any_of(cs->begin(), cs->end(), [&](const auto& c) { return c.first == *creator; });
        if (!creator->empty() && *creator != me && !creator_has_row) holders.push_back(*creator);
    }
    if (!holders.empty() && !replace)
        return Error{Error::Kind::Conflict,
                     "ticket series " + letter + " is held by device " + holders.front() +
                         "; give this tablet a free letter, or take over a re-installed tablet's letter "
                         "with --replace (only after this tablet has synced today's tickets)"};
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(s.db()));
    for (const auto& dev : holders)
        if (s.replica().exists("queue_devices", dev))
            LIAISON_TRY(s.replica().remove("queue_devices", dev, s.station_id()));
    LIAISON_TRY(write_claim(s, letter));
    return tx.commit();
}

// ---------------------------------------------------------------- validation

size_t utf8_chars(const std::string& s) { return domain::utf8_chars(s); }

Status validate_name(const std::string& name0) {
    const std::string name = trimmed(name0);
    if (!valid_utf8(name) || has_control_chars(name)) return invalid("name is not valid text");
    if (name.empty()) return invalid("queue.name_required", {}, "name is required");
    if (utf8_chars(name) > kMaxNameChars)
        return invalid("field.too_long", {"visitor_name", "50"}, "name is longer than 50 characters");
    return {};
}

Status validate_phone(const std::string& phone0) {
    const std::string phone = trimmed(phone0);
    if (phone.empty())
        return invalid("queue.phone_required", {},
                       "phone number is required, so the station can reach you about your concern");
    if (!valid_phone(phone))
        return invalid("store.phone_format", {},
                       "phone number must be an 11-digit mobile number (e.g. 138 0013 8000) or a landline "
                       "with its area code (e.g. 010-12345678)");
    return {};
}

Status validate_topic(const std::string& topic0) {
    const std::string topic = trimmed(topic0);
    if (!valid_utf8(topic)) return invalid("topic is not valid text");
    if (topic.empty())
        return invalid("queue.topic_required", {}, "topic is required: say in a few words what you want to raise");
    if (utf8_chars(topic) > kMaxTopicChars)
        return invalid("field.too_long", {"topic", "200"}, "topic is longer than 200 characters");
    return {};
}

Status validate(Store& s, const NewTicket& t) {
    LIAISON_TRY(require_station(s));
    LIAISON_TRY(validate_name(t.visitor_name));
    LIAISON_TRY(validate_phone(t.phone));
    LIAISON_TRY(validate_topic(t.topic));
    if (t.people < 1) return invalid("people must be a whole number of at least 1");
    if (t.people > kMaxPeople) return invalid("people is implausibly large for one ticket");
    if (!valid_utf8(t.category) || !valid_utf8(t.wished_deputy_id)) return invalid("text is not valid UTF-8");
    if (!t.category.empty()) {
        auto c = s.category(t.category);
        if (!c) return c.error();
    }
    if (!t.wished_deputy_id.empty() && !s.replica().exists("deputies", t.wished_deputy_id))
        return invalid("unknown deputy " + t.wished_deputy_id);
    return {};
}

// ---------------------------------------------------------------- tickets

std::string label(const QueueTicket& t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%03lld", t.series.c_str(), static_cast<long long>(t.number));
    return buf;
}

Result<QueueTicket> take_ticket(Store& s, const NewTicket& in) {
    LIAISON_TRY(validate(s, in));
    auto letter = series(s);
    if (!letter) return letter.error();
    if (letter->empty())
        return invalid("queue.no_series", {},
                       "this tablet has no ticket series yet: give each tablet of the station its own letter "
                       "(liaison queue series B)");
    std::string category = "other";
    if (!in.category.empty()) category = s.category(in.category)->id;

    const int64_t now = s.now();
    QueueTicket t;
    t.id = platform::new_id();
    t.station_id = s.station_id();
    t.date = platform::local_date(now);
    t.visitor_name = trimmed(in.visitor_name);
    t.phone = trimmed(in.phone);
    t.people = in.people;
    t.category = category;
    t.topic = trimmed(in.topic);
    t.wished_deputy_id = in.wished_deputy_id;
    t.status = "waiting";
    t.created_at = platform::local_datetime(now);
    t.series = *letter;
    t.device_id = s.replica().device();

    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(s.db()));
    auto claimed = has_claim_row(s);
    if (!claimed) return claimed.error();
    if (!*claimed) LIAISON_TRY(write_claim(s, t.series));  // the creator's implicit "A" becomes explicit
    {
        // Deleted tickets count too: a number once shown is never shown again that day.
        auto& st = s.db().cached(
            "SELECT coalesce(max(CASE WHEN series = ? THEN number END), 0), coalesce(max(issued_ms), 0) "
            "FROM queue_tickets WHERE station_id = ? AND date = ?");
        st.bind(1, t.series).bind(2, t.station_id).bind(3, t.date);
        auto r = st.step();
        if (!r) return r.error();
        t.number = st.i64(0) + 1;
        // After every ticket of the day this device has seen, even if its own clock is behind: a
        // visitor who checks in after someone else never goes before them (ties: letter, number).
        t.issued_ms = std::max(now, st.i64(1) + 1);
    }
    std::vector<std::pair<std::string, Value>> f = {{"station_id", t.station_id},
                                                    {"date", t.date},
                                                    {"number", t.number},
                                                    {"series", t.series},
                                                    {"device_id", t.device_id},
                                                    {"issued_ms", t.issued_ms},
                                                    {"visitor_name", t.visitor_name},
                                                    {"phone", t.phone},
                                                    {"people", t.people},
                                                    {"category", t.category},
                                                    {"topic", t.topic},
                                                    {"status", t.status},
                                                    {"created_at", t.created_at}};
    if (!t.wished_deputy_id.empty()) f.emplace_back("wished_deputy_id", t.wished_deputy_id);
    LIAISON_TRY(s.replica().write("queue_tickets", t.id, t.station_id, f));
    LIAISON_TRY(tx.commit());
    return t;
}

Result<QueueTicket> ticket(Store& s, const std::string& id) {
    auto& st =
        s.db().cached(std::string("SELECT ") + kTicketCols + " FROM queue_tickets WHERE id = ? AND _deleted = 0");
    st.bind(1, id);
    auto r = st.step();
    if (!r) return r.error();
    if (!*r) return not_found("no queue ticket " + id);
    QueueTicket t = ticket_from(st);
    st.reset();
    return t;
}

Result<QueueTicket> ticket_by_label(Store& s, const std::string& date, const std::string& text) {
    if (text.size() < 2 || text.size() > 8) return not_found("no ticket " + text);
    const std::string letter(1, static_cast<char>(std::toupper(static_cast<unsigned char>(text[0]))));
    const std::string digits = text.substr(1);
    if (!valid_series(letter) || digits.find_first_not_of("0123456789") != std::string::npos)
        return not_found("no ticket " + text);
    auto& st = s.db().cached(std::string("SELECT ") + kTicketCols +
                             " FROM queue_tickets WHERE _deleted = 0 AND station_id = ? AND date = ? AND series = ? "
                             "AND number = ? ORDER BY issued_ms, id");
    st.bind(1, s.station_id()).bind(2, date).bind(3, letter).bind(4, static_cast<int64_t>(std::stoll(digits)));
    auto r = st.step();
    if (!r) return r.error();
    if (!*r) return not_found("no ticket " + letter + digits + " on " + date);
    return ticket_from(st);
}

Result<std::vector<QueueTicket>> tickets(Store& s, const std::string& date) {
    if (!valid_date(date)) return invalid("date must be YYYY-MM-DD");
    auto& st = s.db().cached(std::string("SELECT ") + kTicketCols +
                             " FROM queue_tickets WHERE _deleted = 0 AND station_id = ? AND date = ? "
                             "ORDER BY coalesce(issued_ms, 0), coalesce(series, ''), coalesce(number, 0), id");
    st.bind(1, s.station_id()).bind(2, date);
    std::vector<QueueTicket> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) { out.push_back(ticket_from(q)); }));
    return out;
}

Result<int64_t> waiting_ahead(Store& s, const QueueTicket& t) {
    if (t.status != "waiting") return int64_t{0};
    // Row values give the same order as tickets(): check-in time, then letter, number, id.
    auto& st = s.db().cached(
        "SELECT count(*) FROM queue_tickets WHERE _deleted = 0 AND station_id = ? AND date = ? "
        "AND coalesce(status, 'waiting') = 'waiting' "
        "AND (coalesce(issued_ms, 0), coalesce(series, ''), coalesce(number, 0), id) < (?, ?, ?, ?)");
    st.bind(1, t.station_id).bind(2, t.date).bind(3, t.issued_ms).bind(4, t.series).bind(5, t.number).bind(6, t.id);
    auto r = st.step();
    if (!r) return r.error();
    return st.i64(0);
}

// ---------------------------------------------------------------- transitions

Result<QueueTicket> call(Store& s, const std::string& id) {
    auto t = ticket(s, id);
    if (!t) return t.error();
    if (t->status == "called") return Error{Error::Kind::Conflict, "ticket " + label(*t) + " has already been called"};
    if (t->status == "served")
        return Error{Error::Kind::Conflict, "ticket " + label(*t) + " has been served: it cannot be called again"};
    if (t->status == "left")
        return Error{Error::Kind::Conflict, "ticket " + label(*t) + " has left the queue: take a new ticket"};
    return write_ticket(s, *t, {{"status", "called"}});
}

Result<QueueTicket> call_next(Store& s, const std::string& date) {
    auto all = tickets(s, date);
    if (!all) return all.error();
    for (const auto& t : *all)
        if (t.status == "waiting") return call(s, t.id);
    return not_found("nobody is waiting on " + date);
}

Result<QueueTicket> serve(Store& s, const std::string& id, const std::string& visit_id) {
    auto t = ticket(s, id);
    if (!t) return t.error();
    if (t->status == "waiting")
        return Error{Error::Kind::Conflict, "ticket " + label(*t) + " is still waiting: call it before serving it"};
    if (t->status == "served")
        return Error{Error::Kind::Conflict,
                     "ticket " + label(*t) + " has already been served (visit " + t->visit_id + ")"};
    if (t->status == "left")
        return Error{Error::Kind::Conflict, "ticket " + label(*t) + " has left the queue: it cannot be served"};
    auto v = s.visit(visit_id);
    if (!v) return v.error();
    if (!v->queue_ticket_id.empty() && v->queue_ticket_id != id)
        return Error{Error::Kind::Conflict, "visit " + visit_id + " already belongs to another ticket"};
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(s.db()));
    LIAISON_TRY(s.replica().write("queue_tickets", id, s.station_id(), {{"status", "served"}, {"visit_id", visit_id}}));
    if (v->queue_ticket_id != id)
        LIAISON_TRY(s.replica().write("visits", visit_id, s.station_id(), {{"queue_ticket_id", id}}));
    LIAISON_TRY(tx.commit());
    return ticket(s, id);
}

Result<QueueTicket> leave(Store& s, const std::string& id) {
    auto t = ticket(s, id);
    if (!t) return t.error();
    if (t->status == "served")
        return Error{Error::Kind::Conflict, "ticket " + label(*t) + " has been served: it cannot leave the queue"};
    if (t->status == "left") return Error{Error::Kind::Conflict, "ticket " + label(*t) + " has already left the queue"};
    return write_ticket(s, *t, {{"status", "left"}});
}

Result<QueueTicket> undo_leave(Store& s, const std::string& id, const std::string& was) {
    auto t = ticket(s, id);
    if (!t) return t.error();
    if (t->status != "left") return Error{Error::Kind::Conflict, "ticket " + label(*t) + " has not left the queue"};
    if (was != "waiting" && was != "called")
        return Error{Error::Kind::Invalid, "a ticket goes back to waiting or called, not " + was};
    return write_ticket(s, *t, {{"status", was}});
}

Visit prefill_visit(Store& s, const QueueTicket& t) {
    Visit v;
    v.station_id = t.station_id;
    v.received_at = platform::local_datetime(s.now());  // the visit starts when it is called
    v.channel = "reception_day";
    v.people = t.people;
    v.category = t.category.empty() ? "other" : t.category;
    v.subject = t.topic;
    if (!t.wished_deputy_id.empty() && s.replica().exists("deputies", t.wished_deputy_id))
        v.deputy_ids.push_back(t.wished_deputy_id);
    v.visitors.push_back(Visitor{"", "", t.visitor_name, t.phone, "", ""});
    v.queue_ticket_id = t.id;
    return v;
}

// ---------------------------------------------------------------- display helpers

std::string mask_name(const std::string& name) {
    if (!valid_utf8(name)) return "*";
    const auto cs = characters(trimmed(name));
    if (cs.empty()) return "";
    if (cs.size() == 1) return "*";
    if (cs.size() == 2) return cs[0] + "*";
    std::string out = cs.front();
    for (size_t i = 1; i + 1 < cs.size(); ++i) out += "*";
    return out + cs.back();
}

std::string mask_phone(const std::string& phone) {
    std::string d;
    for (char c : phone)
        if (c >= '0' && c <= '9') d.push_back(c);
    if (d.size() < 7) return std::string(d.size(), '*');
    return d.substr(0, 3) + std::string(d.size() - 7, '*') + d.substr(d.size() - 4);
}

}  // namespace liaison::store::queue
