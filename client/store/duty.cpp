#include "client/store/duty.h"

#include <algorithm>
#include <cctype>

#include "base/dates.h"
#include "client/store/stats.h"
#include "platform/platform.h"

namespace liaison::store::duty {

using dates::date_hi;
using dates::date_lo;

using sync::Value;

namespace {

// A new row of this station, in its own transaction.
Status write_new(Store& s, const char* table, const std::string& id,
                 const std::vector<std::pair<std::string, Value>>& f) {
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(s.db()));
    LIAISON_TRY(s.replica().write(table, id, s.station_id(), f));
    return tx.commit();
}

// A tombstone in the row's own scope; `missing` is the message for an unknown id.
Status remove_row(Store& s, const char* table, const std::string& id, const std::string& missing) {
    if (!s.replica().exists(table, id)) return not_found(missing);
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(s.db()));
    LIAISON_TRY(s.replica().remove(table, id, s.replica().scope_of(table, id).value_or(s.station_id())));
    return tx.commit();
}

Status range_ok(const std::string& from, const std::string& to) {
    if (!from.empty() && !valid_date(from)) return invalid("--from must be YYYY-MM-DD");
    if (!to.empty() && !valid_date(to)) return invalid("--to must be YYYY-MM-DD");
    return {};
}

}  // namespace

bool valid_time(const std::string& t) { return domain::valid_time(t); }

Result<std::vector<std::string>> deputy_ids_from_names(Store& s, const std::string& names) {
    if (!valid_utf8(names)) return invalid("text is not valid UTF-8");
    // "、" (the Chinese enumeration comma) separates like ",".
    const std::string dun = "、";
    std::string t;
    for (size_t i = 0; i < names.size();) {
        if (names.compare(i, dun.size(), dun) == 0) {
            t += ',';
            i += dun.size();
        } else {
            t += names[i++];
        }
    }
    std::vector<std::string> ids;
    for (auto name : split_ids(t)) {
        while (!name.empty() && name.front() == ' ') name.erase(0, 1);
        while (!name.empty() && name.back() == ' ') name.pop_back();
        if (name.empty()) continue;
        std::string id = name;
        if (!s.replica().exists("deputies", name)) {
            auto byname = s.deputy_id_by_name(name);
            if (!byname) return byname.error();
            id = *byname;
        }
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    return ids;
}

// ---------------------------------------------------------------- duty slots

Result<std::string> add_slot(Store& s, const DutySlot& d) {
    if (!s.initialized()) return invalid("this store has no station: run `liaison init --station NAME` first");
    for (const auto* f : {&d.date, &d.start, &d.end, &d.note})
        if (!valid_utf8(*f)) return invalid("text is not valid UTF-8");
    if (!valid_date(d.date)) return invalid("duty.date_format", {d.date}, "the date must be YYYY-MM-DD");
    if (!valid_time(d.start) || !valid_time(d.end)) return invalid("duty.time_format", {}, "times must be HH:MM");
    if (d.start >= d.end) return invalid("duty.end_before_start", {}, "the duty must end after it starts");
    if (d.deputy_ids.empty()) return invalid("duty.deputy_required", {}, "a duty slot needs at least one deputy");
    for (const auto& id : d.deputy_ids)
        if (!s.replica().exists("deputies", id)) return invalid("unknown deputy " + id);
    const std::string id = platform::new_id();
    std::vector<std::pair<std::string, Value>> f = {{"station_id", s.station_id()},
                                                    {"date", d.date},
                                                    {"start_time", d.start},
                                                    {"end_time", d.end},
                                                    {"deputy_ids", join_ids(d.deputy_ids)}};
    if (!d.note.empty()) f.emplace_back("note", d.note);
    LIAISON_TRY(write_new(s, "duty_slots", id, f));
    return id;
}

Status remove_slot(Store& s, const std::string& id) { return remove_row(s, "duty_slots", id, "no duty slot " + id); }

Result<std::vector<DutySlot>> slots(Store& s, const std::string& from, const std::string& to) {
    LIAISON_TRY(range_ok(from, to));
    auto& st = s.db().cached(
        "SELECT id, coalesce(station_id, ''), coalesce(date, ''), coalesce(start_time, ''), coalesce(end_time, ''), "
        "coalesce(deputy_ids, ''), coalesce(note, '') FROM duty_slots "
        "WHERE _deleted = 0 AND date >= ? AND date < ? ORDER BY date, start_time, id");
    st.bind(1, date_lo(from)).bind(2, date_hi(to));
    std::vector<DutySlot> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        out.push_back(DutySlot{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), split_ids(q.text(5)), q.text(6)});
    }));
    return out;
}

namespace {
// The deputies of the slots on `date` that `keep` accepts, each once (their first slot).
template <class Keep>
std::vector<OnDuty> deputies_of(const std::vector<DutySlot>& slots, const std::string& date, Keep keep) {
    std::vector<OnDuty> out;
    for (const auto& slot : slots) {
        if (slot.date != date || !keep(slot)) continue;
        for (const auto& id : slot.deputy_ids)
            if (std::none_of(out.begin(), out.end(), [&](const OnDuty& d) { return d.deputy_id == id; }))
                out.push_back(OnDuty{id, slot.start, slot.end, slot.id});
    }
    return out;
}

template <class Pick>
Result<std::vector<OnDuty>> from_store(Store& s, int64_t now_ms, Pick pick) {
    const std::string at = platform::local_datetime(now_ms);  // "YYYY-MM-DD HH:MM"
    const std::string date = at.substr(0, 10);
    auto today = slots(s, date, date);
    if (!today) return today.error();
    return pick(*today, date, at.substr(11, 5));
}
}  // namespace

// "HH:MM" strings compare as times.
std::vector<OnDuty> on_duty(const std::vector<DutySlot>& slots, const std::string& date, const std::string& hhmm) {
    return deputies_of(slots, date, [&](const DutySlot& d) { return d.start <= hhmm && hhmm < d.end; });
}

std::vector<OnDuty> on_duty_today(const std::vector<DutySlot>& slots, const std::string& date,
                                  const std::string& hhmm) {
    return deputies_of(slots, date, [&](const DutySlot& d) { return hhmm < d.end; });
}

Result<std::vector<OnDuty>> on_duty(Store& s, int64_t now_ms) {
    return from_store(s, now_ms, [](const auto& sl, const auto& d, const auto& t) { return on_duty(sl, d, t); });
}

Result<std::vector<OnDuty>> on_duty_today(Store& s, int64_t now_ms) {
    return from_store(s, now_ms, [](const auto& sl, const auto& d, const auto& t) { return on_duty_today(sl, d, t); });
}

// ---------------------------------------------------------------- duty held

namespace {
// The deputy's shifts started on `date` and not ended ("" deputy: everyone's).
Result<std::vector<Shift>> open_on(Store& s, const std::string& date, const std::string& deputy_id) {
    auto& st = s.db().cached(
        "SELECT id, coalesce(deputy_id, ''), coalesce(slot_id, ''), started_at FROM duty_shifts "
        "WHERE _deleted = 0 AND started_at >= ?1 AND started_at < ?2 AND coalesce(ended_at, '') = '' "
        "AND (?3 = '' OR deputy_id = ?3) ORDER BY started_at, id");
    st.bind(1, date_lo(date)).bind(2, date_hi(date)).bind(3, deputy_id);
    std::vector<Shift> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        out.push_back(Shift{q.text(0), q.text(1), q.text(2), q.text(3), ""});
    }));
    return out;
}
}  // namespace

Result<std::string> start_shift(Store& s, const std::string& deputy_id, const std::string& slot_id) {
    if (!s.initialized()) return invalid("this store has no station: run `liaison init --station NAME` first");
    if (!s.replica().exists("deputies", deputy_id)) return invalid("unknown deputy " + deputy_id);
    if (!s.replica().exists("duty_slots", slot_id)) return not_found("no duty slot " + slot_id);
    const std::string now = platform::local_datetime(s.now());
    LIAISON_ASSIGN_OR_RETURN(auto open, open_on(s, now.substr(0, 10), deputy_id));
    if (!open.empty()) return open.front().id;
    const std::string id = platform::new_id();
    LIAISON_TRY(write_new(
        s, "duty_shifts", id,
        {{"station_id", s.station_id()}, {"deputy_id", deputy_id}, {"slot_id", slot_id}, {"started_at", now}}));
    return id;
}

Status end_shifts(Store& s, const std::string& deputy_id) {
    if (deputy_id.empty()) return {};
    const std::string now = platform::local_datetime(s.now());
    LIAISON_ASSIGN_OR_RETURN(auto open, open_on(s, now.substr(0, 10), deputy_id));
    if (open.empty()) return {};
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(s.db()));
    for (const auto& shift : open)
        LIAISON_TRY(s.replica().write("duty_shifts", shift.id,
                                      s.replica().scope_of("duty_shifts", shift.id).value_or(s.station_id()),
                                      {{"ended_at", now}}));
    return tx.commit();
}

Result<std::vector<Shift>> open_shifts(Store& s, const std::string& date) {
    if (!valid_date(date)) return invalid("duty.date_format", {date}, "the date must be YYYY-MM-DD");
    return open_on(s, date, "");
}

// ---------------------------------------------------------------- activities

const std::vector<cases::Name>& activity_types() {
    static const std::vector<cases::Name> v = {{"reception", "接待选民", "receiving voters"},
                                               {"inspection", "视察调研", "inspection"},
                                               {"law_check", "执法检查", "law enforcement check"},
                                               {"training", "培训", "training"},
                                               {"outreach", "走访", "outreach"}};
    return v;
}

Result<std::string> parse_activity_type(const std::string& s) {
    std::string l = s;
    for (auto& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& n : activity_types())
        if (l == n.code || s == n.zh || l == n.en) return std::string(n.code);
    return invalid("unknown activity type '" + s +
                   "' (视察调研 inspection, 执法检查 law_check, 培训 training, 走访 outreach)");
}

Result<std::string> add_activity(Store& s, const Activity& a) {
    if (!s.initialized()) return invalid("this store has no station: run `liaison init --station NAME` first");
    for (const auto* f : {&a.deputy_id, &a.type, &a.date, &a.notes})
        if (!valid_utf8(*f)) return invalid("text is not valid UTF-8");
    auto type = parse_activity_type(a.type);
    if (!type) return type.error();
    if (*type == "reception")
        return invalid("接待选民 (reception) is counted from the visits: record a visit with the deputy instead");
    if (!valid_date(a.date)) return invalid("duty.date_format", {a.date}, "the date must be YYYY-MM-DD");
    if (a.deputy_id.empty()) return invalid("duty.deputy_required", {}, "the activity needs a deputy");
    if (!s.replica().exists("deputies", a.deputy_id)) return invalid("unknown deputy " + a.deputy_id);
    const std::string id = platform::new_id();
    std::vector<std::pair<std::string, Value>> f = {
        {"deputy_id", a.deputy_id}, {"station_id", s.station_id()}, {"type", *type}, {"date", a.date}};
    if (!a.notes.empty()) f.emplace_back("notes", a.notes);
    LIAISON_TRY(write_new(s, "activities", id, f));
    return id;
}

Status remove_activity(Store& s, const std::string& id) { return remove_row(s, "activities", id, "no activity " + id); }

static Result<std::vector<Activity>> activities_in(db::Db& db, const std::string& deputy_id, const std::string& from,
                                                   const std::string& to) {
    LIAISON_TRY(range_ok(from, to));
    auto& st = db.cached(
        "SELECT id, coalesce(deputy_id, ''), coalesce(type, ''), coalesce(date, ''), coalesce(notes, '') "
        "FROM activities WHERE _deleted = 0 AND (?1 = '' OR deputy_id = ?1) AND date >= ?2 AND date < ?3 "
        "ORDER BY date DESC, id DESC");
    st.bind(1, deputy_id).bind(2, date_lo(from)).bind(3, date_hi(to));
    std::vector<Activity> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        out.push_back(Activity{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4)});
    }));
    return out;
}

Result<std::vector<Activity>> activities(Store& s, const std::string& deputy_id, const std::string& from,
                                         const std::string& to) {
    return activities_in(s.db(), deputy_id, from, to);
}

// ---------------------------------------------------------------- the record

int64_t DeputyRecord::activity_count() const {
    int64_t n = 0;
    for (const auto& [k, v] : by_type) n += v;
    return n;
}

// Duty held: "09:05-11:40", or "09:05-" while on duty (or never signed out).
static Status add_shifts(db::Db& db, const std::string& deputy_id, DeputyRecord& rec) {
    auto& st = db.cached(
        "SELECT id, substr(started_at, 1, 10), substr(started_at, 12, 5) || '-' || substr(coalesce(ended_at, ''), 12, "
        "5) "
        "FROM duty_shifts WHERE _deleted = 0 AND deputy_id = ?1 AND started_at >= ?2 AND started_at < ?3");
    st.bind(1, deputy_id).bind(2, date_lo(rec.from)).bind(3, date_hi(rec.to));
    return st.for_each_row([&](const db::Stmt& q) {
        ++rec.shifts;
        rec.entries.push_back(RecordEntry{q.text(1), "shift", q.text(2), q.text(0), 0});
    });
}

Result<DeputyRecord> deputy_record(db::Db& db, const std::string& deputy_id, const std::string& from,
                                   const std::string& to) {
    LIAISON_TRY(range_ok(from, to));
    if (!from.empty() && !to.empty() && from > to) return invalid("--from is after --to");
    DeputyRecord rec;
    rec.from = from;
    rec.to = to;
    {
        auto& st = db.cached(
            "SELECT id, coalesce(name, ''), coalesce(level, ''), coalesce(station_id, ''), "
            "coalesce(grp, ''), coalesce(phone, ''), coalesce(active, 1) FROM deputies "
            "WHERE id = ? AND _deleted = 0");
        st.bind(1, deputy_id);
        auto r = st.step();
        if (!r) return r.error();
        if (!*r) return not_found("no deputy " + deputy_id);
        rec.deputy = Deputy{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.i64(6) != 0};
        st.reset();
    }
    for (const auto& t : activity_types()) rec.by_type[t.code] = 0;
    // A list of ids matches when ",id," is inside ",a,b,c," (ids never contain commas).
    {
        // A long or open period reads the table in order rather than through the date index (see
        // stats::narrow).
        const bool narrow = stats::narrow(stats::Range{from, to, ""});
        auto& st = db.cached(
            std::string(
                "SELECT id, substr(received_at, 1, 10), coalesce(subject, ''), coalesce(people, 1) FROM visits") +
            (narrow ? "" : " NOT INDEXED") +
            " WHERE _deleted = 0 AND received_at >= ?2 AND received_at < ?3 "
            "AND instr(',' || coalesce(deputy_ids, '') || ',', ',' || ?1 || ',') > 0");
        st.bind(1, deputy_id).bind(2, date_lo(from)).bind(3, date_hi(to));
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
            ++rec.visits;
            rec.people += q.i64(3);
            rec.entries.push_back(RecordEntry{q.text(1), "reception", q.text(2), q.text(0), q.i64(3)});
        }));
    }
    rec.by_type["reception"] = rec.visits;
    auto acts = activities_in(db, deputy_id, from, to);
    if (!acts) return acts.error();
    for (const auto& a : *acts) {
        ++rec.by_type[a.type];
        rec.entries.push_back(RecordEntry{a.date, a.type, a.notes, a.id, 0});
    }
    {
        auto& st = db.cached(
            "SELECT id, date, coalesce(start_time, '') || '-' || coalesce(end_time, '') FROM duty_slots "
            "WHERE _deleted = 0 AND date >= ?2 AND date < ?3 "
            "AND instr(',' || coalesce(deputy_ids, '') || ',', ',' || ?1 || ',') > 0");
        st.bind(1, deputy_id).bind(2, date_lo(from)).bind(3, date_hi(to));
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
            ++rec.duty_slots;
            rec.entries.push_back(RecordEntry{q.text(1), "duty", q.text(2), q.text(0), 0});
        }));
    }
    LIAISON_TRY(add_shifts(db, deputy_id, rec));
    std::sort(rec.entries.begin(), rec.entries.end(), [](const RecordEntry& a, const RecordEntry& b) {
        if (a.date != b.date) return a.date > b.date;
        return a.ref_id > b.ref_id;
    });
    return rec;
}

}  // namespace liaison::store::duty
