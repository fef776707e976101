// Versioned migrations of the station store. Each step runs in one transaction; PRAGMA
// user_version records how far a store has come. Never edit a released step: add one.
#include "domain/schema.h"

#include "domain/search.h"

namespace liaison::domain {
namespace {

// v1: the domain model. Replicated columns carry no declared type (see sync/replica/replica.h).
const char* const kV1 = R"sql(
CREATE TABLE local_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE drafts(key TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID;

CREATE TABLE stations(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  name, kind, district, township, address);
CREATE TABLE deputies(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  name, level, station_id, grp, phone, active);
CREATE TABLE departments(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0, name);
CREATE TABLE categories(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0, name_zh, name_en, sort);
CREATE TABLE duty_slots(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  station_id, date, start_time, end_time, deputy_ids, note);
CREATE TABLE visits(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  station_id, received_at, deputy_ids, channel, people, category, subject, content,
  route, route_reason, notes, queue_ticket_id, created_at);
CREATE TABLE visit_visitors(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  visit_id, name, phone, id_number, address);
CREATE TABLE cases(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  station_id, visit_id, title, content, category, status, department_id, deadline, result,
  satisfaction, satisfaction_comment, feedback_channel, created_at);
CREATE TABLE case_events(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  case_id, at, author, kind, note);
CREATE TABLE activities(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  deputy_id, station_id, type, date, notes);
CREATE TABLE queue_tickets(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  station_id, date, number, visitor_name, phone, people, category, topic, wished_deputy_id,
  status, visit_id, created_at);

CREATE INDEX visits_received ON visits(received_at);
CREATE INDEX visit_visitors_visit ON visit_visitors(visit_id);
CREATE INDEX deputies_name ON deputies(name);
CREATE INDEX cases_status ON cases(status);
CREATE INDEX case_events_case ON case_events(case_id);
CREATE INDEX queue_tickets_date ON queue_tickets(date, number);
CREATE INDEX duty_slots_date ON duty_slots(date);
CREATE INDEX activities_deputy ON activities(deputy_id, date);

-- The ten categories of docs/design.md §2, the same fixed ids on every device and on the server.
INSERT INTO categories(id, name_zh, name_en, sort) VALUES
  ('urban', '城乡建设', 'Urban & rural construction', 1),
  ('rural', '乡村振兴', 'Rural revitalisation', 2),
  ('education', '教育', 'Education', 3),
  ('health', '医疗卫生', 'Health care', 4),
  ('welfare', '养老社保', 'Pensions & social security', 5),
  ('transport', '交通出行', 'Transport', 6),
  ('environment', '生态环保', 'Environment', 7),
  ('governance', '社会治理', 'Social governance', 8),
  ('employment', '劳动就业', 'Employment', 9),
  ('other', '其他', 'Other', 10);
)sql";

// v2: substring search over Chinese text. Each character is indexed as its own token
// (unicode61 over text with a space between characters), and a query is the phrase of its
// characters: any substring of one or more characters matches through the index. FTS5's
// trigram tokenizer cannot answer queries shorter than three characters (SQLite 3.40).
const char* const kV2 = R"sql(
CREATE VIRTUAL TABLE visit_search USING fts5(subject, content, names, tokenize = 'unicode61');
)sql";

// v3: the case workflow. Directly entered cases (代表建议) name their deputies; the date of 办结
// is kept for "resolved on time" and the exports. Indexes for the figures' date ranges.
const char* const kV3 = R"sql(
ALTER TABLE cases ADD COLUMN deputy_ids;
ALTER TABLE cases ADD COLUMN resolved_at;
CREATE INDEX cases_created ON cases(created_at);
CREATE INDEX cases_visit ON cases(visit_id);
CREATE INDEX activities_date ON activities(date);
)sql";

// v4: the queue of reception days (docs/queue.md). A ticket's shown number is its device's
// series letter + a per-day counter (A007), so two offline tablets never issue the same one;
// issued_ms orders the queue by check-in time across devices. queue_devices records which
// device holds which letter, replicated so a new tablet sees the letters already taken.
const char* const kV4 = R"sql(
ALTER TABLE queue_tickets ADD COLUMN series;
ALTER TABLE queue_tickets ADD COLUMN device_id;
ALTER TABLE queue_tickets ADD COLUMN issued_ms;
CREATE TABLE queue_devices(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  station_id, series, claimed_at);
)sql";

// v5: retention of voters' personal data (docs/retention.md). centre_settings holds settings the
// centre writes and every tablet pulls (row `retention_months`: the period, 0 = off);
// retention_purges records, on each replica, that a visit's visitors were masked (never the
// values).
const char* const kV5 = R"sql(
CREATE TABLE centre_settings(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0, value);
CREATE TABLE retention_purges(visit_id TEXT NOT NULL, at_ms INTEGER NOT NULL, by TEXT NOT NULL,
  fields INTEGER NOT NULL);
CREATE INDEX retention_purges_visit ON retention_purges(visit_id);
)sql";

// v6: duty held (值班签到, docs/app.md "Sign-in"): a deputy on today's roster signing in on a
// tablet starts a shift, 退出登录 ends it; the deputy's record lists them beside the roster.
const char* const kV6 = R"sql(
CREATE TABLE duty_shifts(id TEXT PRIMARY KEY, _deleted INTEGER NOT NULL DEFAULT 0,
  station_id, deputy_id, slot_id, started_at, ended_at);
CREATE INDEX duty_shifts_started ON duty_shifts(started_at);
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1, kV1, false}, {2, kV2, true},  // then backfill the index from existing visits
        {3, kV3, false}, {4, kV4, false}, {5, kV5, false}, {6, kV6, false},
    };
    return all;
}

Result<int> user_version(db::Db& db) {
    auto& st = db.cached("PRAGMA user_version");
    auto r = st.step();
    if (!r) return r.error();
    const int v = static_cast<int>(st.i64(0));
    st.reset();
    return v;
}

namespace {

Status rebuild_search(db::Db& db) {
    auto ids = db.prepare("SELECT id FROM visits WHERE _deleted = 0");
    if (!ids) return ids.error();
    std::vector<std::string> all;
    LIAISON_TRY(ids->for_each_row([&](const db::Stmt& q) { all.push_back(q.text(0)); }));
    for (const auto& id : all) LIAISON_TRY(reindex_visit(db, id));
    return {};
}

}  // namespace

Status migrate_to(db::Db& db, int upto) {
    auto v = user_version(db);
    if (!v) return v.error();
    if (*v > kSchemaVersion)
        return Error{Error::Kind::Invalid,
                     "this store was written by a newer Liaison (schema " + std::to_string(*v) + "); update the app"};
    for (const auto& m : migrations()) {
        if (m.version <= *v || m.version > upto) continue;
        LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db));
        if (m.version == 1) LIAISON_TRY(sync::Replica::install(db));
        LIAISON_TRY(db.exec(m.sql));
        if (m.rebuild_search) LIAISON_TRY(rebuild_search(db));
        LIAISON_TRY(db.exec("PRAGMA user_version = " + std::to_string(m.version)));
        LIAISON_TRY(tx.commit());
    }
    return {};
}

void register_tables(sync::Replica& r) {
    r.register_table({"stations", {"name", "kind", "district", "township", "address"}});
    r.register_table({"deputies", {"name", "level", "station_id", "grp", "phone", "active"}});
    r.register_table({"departments", {"name"}});
    r.register_table({"categories", {"name_zh", "name_en", "sort"}});
    r.register_table({"duty_slots", {"station_id", "date", "start_time", "end_time", "deputy_ids", "note"}});
    r.register_table({"visits",
                      {"station_id", "received_at", "deputy_ids", "channel", "people", "category", "subject", "content",
                       "route", "route_reason", "notes", "queue_ticket_id", "created_at"}});
    r.register_table({"visit_visitors", {"visit_id", "name", "phone", "id_number", "address"}});
    r.register_table(
        {"cases",
         {"station_id", "visit_id", "title", "content", "category", "status", "department_id", "deadline", "result",
          "satisfaction", "satisfaction_comment", "feedback_channel", "created_at", "deputy_ids", "resolved_at"}});
    r.register_table({"case_events", {"case_id", "at", "author", "kind", "note"}});
    r.register_table({"activities", {"deputy_id", "station_id", "type", "date", "notes"}});
    r.register_table({"duty_shifts", {"station_id", "deputy_id", "slot_id", "started_at", "ended_at"}});
    r.register_table({"queue_tickets",
                      {"station_id", "date", "number", "visitor_name", "phone", "people", "category", "topic",
                       "wished_deputy_id", "status", "visit_id", "created_at", "series", "device_id", "issued_ms"}});
    r.register_table({"queue_devices", {"station_id", "series", "claimed_at"}});
    r.register_table({"centre_settings", {"value"}});
}

bool centre_only_table(const std::string& t) {
    return t == "stations" || t == "categories" || t == "departments" || t == "centre_settings";
}

}  // namespace liaison::domain
