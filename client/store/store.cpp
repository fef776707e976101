#include "client/store/store.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <cstring>
#include <filesystem>
#include <set>
#include <sstream>

#include "domain/rules.h"
#include "domain/schema.h"
#include "domain/search.h"
#include "sync/replica/backup.h"
#include "platform/platform.h"

namespace liaison::store {

using sync::Value;

// ---------------------------------------------------------------- validation helpers

// The value checks are the domain's (domain/rules.h), one definition for tablet and server.
bool valid_utf8(const std::string& s) { return domain::valid_utf8(s); }
bool valid_date(const std::string& s) { return domain::valid_date(s); }
bool valid_datetime(const std::string& s) { return domain::valid_datetime(s); }
bool valid_phone(const std::string& s) { return domain::valid_phone(s); }

namespace {

// A query phrase: the characters of the text that the tokenizer keeps, quoted.
std::string phrase(const std::string& text) {
    std::string chars;
    for (size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
        const bool ascii_sep = n == 1 && !std::isalnum(c);
        if (!ascii_sep) {
            if (!chars.empty()) chars.push_back(' ');
            chars.append(text, i, n);
        }
        i += n;
    }
    return chars.empty() ? std::string() : "\"" + chars + "\"";
}

std::string display(const std::string& json_text) {
    auto v = Value::parse(json_text, nullptr, false);
    if (v.is_discarded() || v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

}  // namespace

// ---------------------------------------------------------------- open, schema, identity

// The schema is the domain's (domain/schema.h), shared with the server.
void Store::register_tables(sync::Replica& r) { domain::register_tables(r); }
Status Store::migrate_to(db::Db& db, int upto) { return domain::migrate_to(db, upto); }
Status Store::install_schema(db::Db& db) { return domain::install_schema(db); }

Error damaged_store(const std::string& path, const std::string& what) {
    return Error{Error::Kind::Corrupt, "the store " + path + " is damaged (" + what +
                                           "): restore a backup with `liaison restore FILE --force` or rebuild it "
                                           "from the centre with `liaison recover`"};
}

// A -wal file with content when the store is opened: the last process did not close it (or
// another one has it open). Either way a quick check is cheap insurance.
static bool unclean_exit_signal(const std::string& path) {
    std::error_code ec;
    const auto wal = std::filesystem::file_size(path + "-wal", ec);
    return !ec && wal > 0;
}

Status Store::check(bool full) {
    if (!full && quick_checked_) return {};
    auto st = db::check_integrity(*db_, full);
    if (!st) return damaged_store(db_->path(), st.error().message);
    quick_checked_ = true;
    return {};
}

Status Store::backup(const std::string& dest) { return db::backup_to(*db_, dest, key_); }

Result<std::unique_ptr<Store>> Store::open(const std::string& path, OpenOptions opt) {
    std::error_code ec;
    const bool exists = path == ":memory:" || std::filesystem::exists(path, ec);
    if (!exists && !opt.create) return not_found("no Liaison store at " + path + ": run `liaison init` first");
    // SQLite would quietly make an empty file a fresh database; only the set-up verbs may.
    if (exists && !opt.create && path != ":memory:" && std::filesystem::file_size(path, ec) == 0 && !ec)
        return damaged_store(path, "the file is empty");
    const bool verify = opt.verify || (exists && path != ":memory:" && unclean_exit_signal(path));
    db::Db::Options dbo;
    dbo.synchronous_full = opt.synchronous_full;
    dbo.busy_timeout_ms = opt.busy_timeout_ms;
    dbo.key = opt.key;
    auto db = db::Db::open(path, dbo);
    if (!db) return db.error().kind == Error::Kind::Corrupt ? damaged_store(path, db.error().message) : db.error();
    std::unique_ptr<Store> s(new Store());
    s->db_ = std::move(*db);
    s->key_ = opt.key;
    s->wall_ = opt.wall ? std::move(opt.wall) : sync::WallClock(platform::wall_ms);
    if (verify) LIAISON_TRY(s->check(false));
    // Refuse a foreign SQLite file rather than adding our tables to it.
    {
        auto& st = s->db_->cached(
            "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT IN "
            "(SELECT name FROM sqlite_master WHERE name LIKE 'crr_%')");
        auto r = st.step();
        if (!r) return r.error();
        auto v = domain::user_version(*s->db_);
        if (!v) return v.error();
        if (st.i64(0) > 0 && *v == 0) return Error{Error::Kind::Invalid, path + " is not a Liaison store"};
    }
    LIAISON_TRY(install_schema(*s->db_));
    if (opt.create) {
        auto id = sync::Replica::device_id(*s->db_);
        if (!id)
            LIAISON_TRY(sync::Replica::set_device_id(
                *s->db_, "d" + platform::new_id().substr(0, 8) + platform::new_id().substr(24, 12)));
    }
    auto rep = sync::Replica::open(*s->db_, s->wall_);
    if (!rep) return rep.error();
    s->replica_ = std::move(*rep);
    register_tables(*s->replica_);
    s->replica_->set_field_check(
        [](const std::string& t, const std::string& c, const std::string& v) { return domain::check_field(t, c, v); });
    Store* self = s.get();
    s->replica_->set_hooks(
        [self](const std::string& table, const std::string& row) {
            if (table == "visits")
                self->dirty_visits_.insert(row);
            else if (table == "visit_visitors")
                self->dirty_visitors_.insert(row);
            else if (table == "categories")
                self->category_cache_.clear();
        },
        [self] { return self->defer_search_ ? Status{} : self->flush_search(); });
    LIAISON_TRY(s->load_identity());
    return s;
}

Status Store::load_identity() {
    auto st = setting("station_id");
    if (!st) return st.error();
    station_id_ = *st;
    return {};
}

bool Store::initialized() { return !station_id_.empty(); }

Status Store::init(const std::string& station_name, const std::string& device_name) {
    if (initialized()) return Error{Error::Kind::Conflict, "this store is already set up for a station"};
    if (station_name.empty() || !valid_utf8(station_name))
        return invalid("store.station_required", {}, "station name is required");
    if (!valid_utf8(device_name)) return invalid("device name is not valid UTF-8");
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
    const std::string sid = platform::new_id();
    LIAISON_TRY(replica_->write("stations", sid, sid, {{"name", station_name}, {"kind", "代表联络站"}}));
    LIAISON_TRY(set_setting("station_id", sid));
    LIAISON_TRY(set_setting("device_name", device_name.empty() ? std::string("tablet") : device_name));
    LIAISON_TRY(tx.commit());
    station_id_ = sid;
    return {};
}

Result<DeviceInfo> Store::device() {
    DeviceInfo d;
    auto id = sync::Replica::device_id(*db_);
    if (!id) return id.error();
    d.device_id = *id;
    d.station_id = station_id_;
    LIAISON_ASSIGN_OR_RETURN(d.device_name, setting("device_name"));
    LIAISON_ASSIGN_OR_RETURN(d.server_url, setting("server_url"));
    auto& st = db_->cached("SELECT name FROM stations WHERE id = ?");
    st.bind(1, station_id_);
    auto r = st.step();
    if (!r) return r.error();
    if (*r) d.station_name = st.text(0);
    st.reset();
    return d;
}

Status Store::set_server(const std::string& url, const std::string& token) {
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
    LIAISON_TRY(set_setting("server_url", url));
    LIAISON_TRY(set_setting("device_token", token));
    return tx.commit();
}

Result<std::string> Store::token() { return setting("device_token"); }

Result<std::string> Store::setting(const std::string& key, const std::string& fallback) {
    auto& st = db_->cached("SELECT value FROM local_meta WHERE key = ?");
    st.bind(1, key);
    auto r = st.step();
    if (!r) return r.error();
    std::string value = *r ? st.text(0) : fallback;
    st.reset();
    return value;
}

Status Store::set_setting(const std::string& key, const std::string& value) {
    auto& st = db_->cached(
        "INSERT INTO local_meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    return st.bind(1, key).bind(2, value).run();
}

Status Store::save_draft(const std::string& key, const std::string& json) {
    auto& st = db_->cached(
        "INSERT INTO drafts(key, json, updated_at) VALUES(?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at");
    return st.bind(1, key).bind(2, json).bind(3, wall_()).run();
}

Result<std::string> Store::draft(const std::string& key) {
    auto& st = db_->cached("SELECT json FROM drafts WHERE key = ?");
    st.bind(1, key);
    auto r = st.step();
    if (!r) return r.error();
    std::string json = *r ? st.text(0) : std::string();
    st.reset();
    return json;
}

Status Store::clear_draft(const std::string& key) {
    auto& st = db_->cached("DELETE FROM drafts WHERE key = ?");
    return st.bind(1, key).run();
}

// ---------------------------------------------------------------- reference data

Result<std::vector<Category>> Store::categories() {
    auto& st = db_->cached("SELECT id, name_zh, name_en, sort FROM categories WHERE _deleted = 0 ORDER BY sort, id");
    std::vector<Category> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        out.push_back(Category{q.text(0), q.text(1), q.text(2), static_cast<int>(q.i64(3))});
    }));
    return out;
}

Result<Category> Store::category(const std::string& key) {
    // Looked up for every visit saved or imported: keep the ten rows in memory until a
    // categories row changes (see the replica hook in open()).
    if (category_cache_.empty()) {
        auto all = categories();
        if (!all) return all.error();
        category_cache_ = std::move(*all);
    }
    for (const auto& c : category_cache_)
        if (c.id == key || c.name_zh == key || c.name_en == key) return c;
    return invalid("store.category_unknown", {key}, "unknown category '" + key + "'");
}

Result<std::string> Store::add_station(const Station& s) {
    if (s.name.empty() || !valid_utf8(s.name)) return invalid("store.station_required", {}, "station name is required");
    const std::string id = s.id.empty() ? platform::new_id() : s.id;
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
    LIAISON_TRY(replica_->write("stations", id, id,
                                {{"name", s.name},
                                 {"kind", s.kind},
                                 {"district", s.district},
                                 {"township", s.township},
                                 {"address", s.address}}));
    LIAISON_TRY(tx.commit());
    return id;
}

Result<std::vector<Station>> Store::stations() {
    auto& st = db_->cached(
        "SELECT id, name, kind, district, township, address FROM stations "
        "WHERE _deleted = 0 ORDER BY name");
    std::vector<Station> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
        out.push_back(Station{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)});
    }));
    return out;
}

using domain::kDeputyLevels;

static Status validate_deputy(const Deputy& d) {
    if (d.name.empty()) return invalid("store.deputy_name_required", {}, "deputy name is required");
    for (const auto* f : {&d.name, &d.level, &d.group, &d.phone})
        if (!valid_utf8(*f)) return invalid("text is not valid UTF-8");
    if (!d.level.empty() &&
        std::none_of(std::begin(kDeputyLevels), std::end(kDeputyLevels), [&](const char* l) { return d.level == l; }))
        return invalid("unknown deputy level '" + d.level + "' (全国/省/市/县区/乡镇)");
    if (!d.phone.empty() && !valid_phone(d.phone))
        return invalid("store.phone_format", {}, "phone number is not a mainland mobile or landline");
    return {};
}

Result<std::string> Store::add_deputy(const Deputy& d0) {
    Deputy d = d0;
    if (d.id.empty()) d.id = platform::new_id();
    if (d.station_id.empty()) d.station_id = station_id_;
    LIAISON_TRY(validate_deputy(d));
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
    // Deputies a station adds itself belong to the station; the centre's come as reference data.
    LIAISON_TRY(replica_->write("deputies", d.id, station_id_.empty() ? sync::kReferenceScope : station_id_,
                                {{"name", d.name},
                                 {"level", d.level},
                                 {"station_id", d.station_id},
                                 {"grp", d.group},
                                 {"phone", d.phone},
                                 {"active", d.active ? 1 : 0}}));
    LIAISON_TRY(tx.commit());
    return d.id;
}

Status Store::update_deputy(const Deputy& d) {
    LIAISON_TRY(validate_deputy(d));
    if (!replica_->exists("deputies", d.id)) return not_found("no deputy " + d.id);
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
    const std::string scope = replica_->scope_of("deputies", d.id).value_or(station_id_);
    LIAISON_TRY(replica_->write(
        "deputies", d.id, scope,
        {{"name", d.name}, {"level", d.level}, {"grp", d.group}, {"phone", d.phone}, {"active", d.active ? 1 : 0}}));
    return tx.commit();
}

static Deputy deputy_from(const db::Stmt& st) {
    Deputy d;
    d.id = st.text(0);
    d.name = st.text(1);
    d.level = st.text(2);
    d.station_id = st.text(3);
    d.group = st.text(4);
    d.phone = st.text(5);
    d.active = st.is_null(6) || st.i64(6) != 0;
    return d;
}

Result<std::vector<Deputy>> Store::deputies(bool active_only) {
    auto& st = db_->cached(
        "SELECT id, name, level, station_id, grp, phone, active FROM deputies "
        "WHERE _deleted = 0 AND (? = 0 OR coalesce(active, 1) <> 0) ORDER BY name");
    st.bind(1, static_cast<int64_t>(active_only ? 1 : 0));
    std::vector<Deputy> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) { out.push_back(deputy_from(q)); }));
    return out;
}

Result<Deputy> Store::deputy(const std::string& id) {
    auto& st = db_->cached(
        "SELECT id, name, level, station_id, grp, phone, active FROM deputies "
        "WHERE id = ? AND _deleted = 0");
    st.bind(1, id);
    auto r = st.step();
    if (!r) return r.error();
    if (!*r) return not_found("no deputy " + id);
    Deputy d = deputy_from(st);
    st.reset();
    return d;
}

Result<std::string> Store::deputy_id_by_name(const std::string& name) {
    auto& st = db_->cached("SELECT id FROM deputies WHERE name = ? AND _deleted = 0 ORDER BY id LIMIT 2");
    st.bind(1, name);
    std::vector<std::string> ids;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) { ids.push_back(q.text(0)); }));
    if (ids.empty()) return invalid("unknown deputy '" + name + "' (add with `liaison deputy add`)");
    if (ids.size() > 1) return invalid("two deputies are named '" + name + "': give the id");
    return ids.front();
}

Result<std::string> Store::add_department(const Department& d) {
    if (d.name.empty() || !valid_utf8(d.name))
        return invalid("store.department_name_required", {}, "department name is required");
    const std::string id = d.id.empty() ? platform::new_id() : d.id;
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
    LIAISON_TRY(replica_->write("departments", id, station_id_.empty() ? sync::kReferenceScope : station_id_,
                                {{"name", d.name}}));
    LIAISON_TRY(tx.commit());
    return id;
}

Result<std::vector<Department>> Store::departments() {
    auto& st = db_->cached("SELECT id, name FROM departments WHERE _deleted = 0 ORDER BY name");
    std::vector<Department> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) { out.push_back(Department{q.text(0), q.text(1)}); }));
    return out;
}

// ---------------------------------------------------------------- visits

// The domain's per-field rules (lengths, ranges), checked before anything is written so a long
// import names its record and writes nothing.
static Status check_visit_fields(const Visit& v) {
    const std::pair<const char*, const std::string*> texts[] = {
        {"subject", &v.subject}, {"content", &v.content}, {"route_reason", &v.route_reason}, {"notes", &v.notes}};
    for (const auto& [col, f] : texts) LIAISON_TRY(domain::check_text("visits", col, *f));
    LIAISON_TRY(domain::check_field("visits", "people", std::to_string(v.people)));
    for (const auto& p : v.visitors) {
        const std::pair<const char*, const std::string*> vt[] = {
            {"name", &p.name}, {"phone", &p.phone}, {"id_number", &p.id_number}, {"address", &p.address}};
        for (const auto& [col, f] : vt) LIAISON_TRY(domain::check_text("visit_visitors", col, *f));
    }
    return {};
}

Status Store::validate_visit(const Visit& v) {
    if (!initialized()) return invalid("this store has no station: run `liaison init --station NAME` first");
    for (const auto* f :
         {&v.received_at, &v.channel, &v.category, &v.subject, &v.content, &v.route, &v.route_reason, &v.notes})
        if (!valid_utf8(*f)) return invalid("text is not valid UTF-8");
    for (const auto& p : v.visitors)
        for (const auto* f : {&p.name, &p.phone, &p.id_number, &p.address})
            if (!valid_utf8(*f)) return invalid("visitor details are not valid UTF-8");
    if (v.subject.empty()) return invalid("visit.subject_required", {}, "subject is required");
    LIAISON_TRY(check_visit_fields(v));
    if (!valid_datetime(v.received_at))
        return invalid("visit.time_format", {v.received_at}, "time must be YYYY-MM-DD HH:MM");
    if (std::none_of(std::begin(kChannels), std::end(kChannels), [&](const char* c) { return v.channel == c; }))
        return invalid("unknown channel '" + v.channel + "' (station, reception_day, outreach, phone, online)");
    if (!v.route.empty() &&
        std::none_of(std::begin(kRoutes), std::end(kRoutes), [&](const char* c) { return v.route == c; }))
        return invalid("unknown handling route '" + v.route + "' (answered, township, escalated, legal_channel)");
    if (v.route == "legal_channel" && v.route_reason.empty())
        return invalid("visit.reason_required", {}, "a visit guided to the legal channel needs the reason recorded");
    auto cat = category(v.category);
    if (!cat) return cat.error();
    for (const auto& d : v.deputy_ids)
        if (!replica_->exists("deputies", d)) return invalid("unknown deputy " + d);
    for (const auto& p : v.visitors)
        if (!p.phone.empty() && !valid_phone(p.phone))
            return invalid("store.phone_format", {}, "visitor phone is not a mainland mobile or landline");
    return {};
}

Status Store::write_visit(Visit& v) {
    if (v.id.empty()) v.id = platform::new_id();
    v.station_id = station_id_;
    auto cat = category(v.category);
    if (!cat) return cat.error();
    v.category = cat->id;
    std::vector<std::pair<std::string, Value>> f = {{"station_id", v.station_id},
                                                    {"received_at", v.received_at},
                                                    {"channel", v.channel},
                                                    {"people", v.people},
                                                    {"category", v.category},
                                                    {"subject", v.subject},
                                                    {"created_at", platform::local_datetime(wall_())}};
    // Empty optional fields are not written: fewer change records, same meaning.
    if (!v.deputy_ids.empty()) f.emplace_back("deputy_ids", join_ids(v.deputy_ids));
    if (!v.content.empty()) f.emplace_back("content", v.content);
    if (!v.route.empty()) f.emplace_back("route", v.route);
    if (!v.route_reason.empty()) f.emplace_back("route_reason", v.route_reason);
    if (!v.notes.empty()) f.emplace_back("notes", v.notes);
    if (!v.queue_ticket_id.empty()) f.emplace_back("queue_ticket_id", v.queue_ticket_id);
    LIAISON_TRY(replica_->write("visits", v.id, station_id_, f));
    for (auto& p : v.visitors) {
        if (p.id.empty()) p.id = platform::new_id();
        p.visit_id = v.id;
        std::vector<std::pair<std::string, Value>> pf = {{"visit_id", v.id}, {"name", p.name}};
        if (!p.phone.empty()) pf.emplace_back("phone", p.phone);
        if (!p.id_number.empty()) pf.emplace_back("id_number", p.id_number);
        if (!p.address.empty()) pf.emplace_back("address", p.address);
        LIAISON_TRY(replica_->write("visit_visitors", p.id, station_id_, pf));
    }
    return {};
}

Result<std::string> Store::add_visit(Visit v) {
    if (v.received_at.empty()) v.received_at = platform::local_datetime(wall_());
    LIAISON_TRY(validate_visit(v));
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
    {
        SearchBatch batch(*this);
        LIAISON_TRY(write_visit(v));
    }
    LIAISON_TRY(flush_search());
    LIAISON_TRY(tx.commit());
    return v.id;
}

Result<size_t> Store::add_visits(std::vector<Visit> visits) {
    LIAISON_ASSIGN_OR_RETURN(auto import, begin_import());
    for (size_t i = 0; i < visits.size(); ++i)
        if (auto st = import->add(std::move(visits[i])); !st)
            return invalid("record " + std::to_string(i + 1) + ": " + st.error().message);
    return import->commit();
}

Result<std::unique_ptr<Store::VisitImport>> Store::begin_import() {
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
    return std::unique_ptr<VisitImport>(new VisitImport(*this, std::move(tx)));
}

Status Store::VisitImport::add(Visit v) {
    if (v.received_at.empty()) v.received_at = platform::local_datetime(s_.wall_());
    LIAISON_TRY(s_.validate_visit(v));
    LIAISON_TRY(s_.write_visit(v));
    // The search index is refreshed a batch at a time: the dirty sets stay small.
    constexpr size_t kSearchBatch = 1000;
    if (++added_ % kSearchBatch == 0) LIAISON_TRY(s_.flush_search());
    return {};
}

Store::VisitImport::~VisitImport() {
    s_.defer_search_ = false;
    // Uncommitted, the rows are rolled back with tx_: nothing of theirs is left to index.
    s_.dirty_visits_.clear();
    s_.dirty_visitors_.clear();
}

Result<size_t> Store::VisitImport::commit() {
    LIAISON_TRY(s_.flush_search());
    LIAISON_TRY(tx_.commit());
    return added_;
}

Status Store::update_visit(const std::string& id, const VisitPatch& p) {
    auto cur = visit(id);
    if (!cur) return cur.error();
    Visit v = *cur;
    std::vector<std::pair<std::string, Value>> f;
    auto set = [&](const std::optional<std::string>& in, std::string& field, const char* col) {
        if (in && *in != field) {
            field = *in;
            f.emplace_back(col, *in);
        }
    };
    set(p.received_at, v.received_at, "received_at");
    set(p.channel, v.channel, "channel");
    set(p.subject, v.subject, "subject");
    set(p.content, v.content, "content");
    set(p.route, v.route, "route");
    set(p.route_reason, v.route_reason, "route_reason");
    set(p.notes, v.notes, "notes");
    if (p.category) {
        auto cat = category(*p.category);
        if (!cat) return cat.error();
        if (cat->id != v.category) {
            v.category = cat->id;
            f.emplace_back("category", cat->id);
        }
    }
    if (p.people && *p.people != v.people) {
        v.people = *p.people;
        f.emplace_back("people", *p.people);
    }
    if (p.deputy_ids && *p.deputy_ids != v.deputy_ids) {
        v.deputy_ids = *p.deputy_ids;
        f.emplace_back("deputy_ids", join_ids(v.deputy_ids));
    }
    std::vector<std::pair<std::string, Value>> vf;
    if (p.visitor_name || p.visitor_phone) {
        if (v.visitors.empty()) v.visitors.push_back(Visitor{});
        auto& first = v.visitors.front();
        if (p.visitor_name && *p.visitor_name != first.name) {
            first.name = *p.visitor_name;
            vf.emplace_back("name", first.name);
        }
        if (p.visitor_phone && *p.visitor_phone != first.phone) {
            first.phone = *p.visitor_phone;
            vf.emplace_back("phone", first.phone);
        }
    }
    LIAISON_TRY(validate_visit(v));
    if (f.empty() && vf.empty()) return {};
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
    SearchBatch batch(*this);
    if (!f.empty()) LIAISON_TRY(replica_->write("visits", id, station_id_, f));
    if (!vf.empty()) {
        auto& first = v.visitors.front();
        if (first.id.empty()) {
            first.id = platform::new_id();
            vf.emplace_back("visit_id", id);
        }
        LIAISON_TRY(replica_->write("visit_visitors", first.id, station_id_, vf));
    }
    batch.end();
    LIAISON_TRY(flush_search());
    return tx.commit();
}

Status Store::delete_visit(const std::string& id) {
    if (!replica_->exists("visits", id)) return not_found("no visit " + id);
    LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(*db_));
    // The visitors go with their visit, so no name or phone stays live (docs/retention.md).
    std::vector<std::string> visitors;
    auto& vs = db_->cached("SELECT id FROM visit_visitors WHERE visit_id = ? AND _deleted = 0");
    vs.bind(1, id);
    LIAISON_TRY(vs.for_each_row([&](const db::Stmt& q) { visitors.push_back(q.text(0)); }));
    LIAISON_TRY(replica_->remove("visits", id, station_id_));
    for (const auto& v : visitors) LIAISON_TRY(replica_->remove("visit_visitors", v, station_id_));
    return tx.commit();
}

Result<Visit> Store::visit(const std::string& id) {
    auto& st = db_->cached(
        "SELECT id, station_id, received_at, deputy_ids, channel, people, category, subject, content, route, "
        "route_reason, notes, queue_ticket_id FROM visits WHERE id = ? AND _deleted = 0");
    st.bind(1, id);
    auto r = st.step();
    if (!r) return r.error();
    if (!*r) return not_found("no visit " + id);
    Visit v;
    v.id = st.text(0);
    v.station_id = st.text(1);
    v.received_at = st.text(2);
    v.deputy_ids = split_ids(st.text(3));
    v.channel = st.text(4);
    v.people = st.is_null(5) ? 1 : st.i64(5);
    v.category = st.text(6);
    v.subject = st.text(7);
    v.content = st.text(8);
    v.route = st.text(9);
    v.route_reason = st.text(10);
    v.notes = st.text(11);
    v.queue_ticket_id = st.text(12);
    st.reset();
    auto& vs = db_->cached(
        "SELECT id, visit_id, name, phone, id_number, address FROM visit_visitors "
        "WHERE visit_id = ? AND _deleted = 0 ORDER BY id");
    vs.bind(1, id);
    LIAISON_TRY(vs.for_each_row([&](const db::Stmt& q) {
        v.visitors.push_back(Visitor{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)});
    }));
    return v;
}

namespace {
struct Where {
    std::string sql;
    std::vector<std::string> args;
    std::string phrase;      // the search phrase, "" when there is none
    bool only_text = false;  // no filter besides the search text
};

// Above this many hits, walking visits in date order and probing the hit set finds the first
// page sooner than looking up every hit's row and sorting them all.
constexpr int64_t kScanInDateOrderAbove = 2000;

Result<Where> visit_where(const VisitQuery& q, bool scan_in_date_order = false) {
    Where w;
    w.sql = " FROM visits v WHERE v._deleted = 0";
    if (!q.text.empty()) {
        if (!valid_utf8(q.text)) return invalid("search text is not valid UTF-8");
        w.phrase = phrase(q.text);
        if (!w.phrase.empty()) {
            // The unary + keeps SQLite from driving the query by the hit list (see above).
            w.sql += scan_in_date_order ? " AND +v.rowid IN" : " AND v.rowid IN";
            w.sql += " (SELECT rowid FROM visit_search WHERE visit_search MATCH ?)";
            w.args.push_back(w.phrase);
        }
    }
    w.only_text = q.from.empty() && q.to.empty() && q.category.empty() && q.deputy_id.empty() && q.route.empty();
    if (!q.from.empty()) {
        if (!valid_date(q.from)) return invalid("--from must be YYYY-MM-DD");
        w.sql += " AND v.received_at >= ?";
        w.args.push_back(q.from);
    }
    if (!q.to.empty()) {
        if (!valid_date(q.to)) return invalid("--to must be YYYY-MM-DD");
        w.sql += " AND v.received_at < ?";
        w.args.push_back(q.to + " 99");  // inclusive of the whole day
    }
    if (!q.category.empty()) {
        w.sql += " AND v.category = ?";
        w.args.push_back(q.category);
    }
    if (!q.deputy_id.empty()) {
        w.sql += " AND (',' || coalesce(v.deputy_ids, '') || ',') LIKE ?";
        w.args.push_back("%," + q.deputy_id + ",%");
    }
    if (!q.route.empty()) {
        w.sql += " AND v.route = ?";
        w.args.push_back(q.route);
    }
    return w;
}
}  // namespace

Result<std::vector<VisitRow>> Store::find_visits(const VisitQuery& q0) {
    VisitQuery q = q0;
    if (!q.category.empty()) {
        auto c = category(q.category);
        if (!c) return c.error();
        q.category = c->id;
    }
    bool date_order = false;
    if (!q.text.empty()) {
        auto hits = search_hits(q.text);
        if (!hits) return hits.error();
        date_order = *hits > kScanInDateOrderAbove;
    }
    auto w = visit_where(q, date_order);
    if (!w) return w.error();
    // The page's rows are chosen first and only they get their first visitor looked up: with a
    // deep offset (a finger dragging the scrollbar to the end of 100k visits) the skipped rows
    // cost an index step each instead of a subquery each (docs/performance.md, "Deep scrolling").
    auto& st = db_->cached(
        "SELECT v.id, v.received_at, v.category, v.subject, v.people, v.route, "
        "(SELECT name FROM visit_visitors p WHERE p.visit_id = v.id AND p._deleted = 0 ORDER BY p.id LIMIT 1) "
        "FROM visits v JOIN (SELECT v.rowid AS rid" +
        w->sql +
        " ORDER BY v.received_at DESC, v.id DESC LIMIT ? OFFSET ?) page ON page.rid = v.rowid "
        "ORDER BY v.received_at DESC, v.id DESC");
    int i = 1;
    for (const auto& a : w->args) st.bind(i++, a);
    st.bind(i, q.limit);
    st.bind(i + 1, q.offset);
    std::vector<VisitRow> out;
    LIAISON_TRY(st.for_each_row([&](const db::Stmt& rs) {
        VisitRow row;
        row.id = rs.text(0);
        row.received_at = rs.text(1);
        row.category = rs.text(2);
        row.subject = rs.text(3);
        row.people = rs.is_null(4) ? 1 : rs.i64(4);
        row.route = rs.text(5);
        row.first_visitor = rs.text(6);
        out.push_back(std::move(row));
    }));
    return out;
}

Result<int64_t> Store::count_visits(const VisitQuery& q0) {
    VisitQuery q = q0;
    if (!q.category.empty()) {
        auto c = category(q.category);
        if (!c) return c.error();
        q.category = c->id;
    }
    auto w = visit_where(q);
    if (!w) return w.error();
    // Deleted visits leave the index, so with no other filter the index alone knows the count.
    if (w->only_text && !w->phrase.empty()) return search_hits(q.text);
    auto& st = db_->cached("SELECT count(*)" + w->sql);
    int i = 1;
    for (const auto& a : w->args) st.bind(i++, a);
    auto r = st.step();
    if (!r) return r.error();
    const int64_t n = st.i64(0);
    st.reset();
    return n;
}

// ---------------------------------------------------------------- search index

Result<int64_t> Store::search_hits(const std::string& text) {
    if (!valid_utf8(text)) return invalid("search text is not valid UTF-8");
    const std::string ph = phrase(text);
    if (ph.empty()) return count_visits(VisitQuery{});
    auto& st = db_->cached("SELECT count(*) FROM visit_search WHERE visit_search MATCH ?");
    st.bind(1, ph);
    auto r = st.step();
    if (!r) return r.error();
    const int64_t n = st.i64(0);
    st.reset();
    return n;
}

Status Store::flush_search() {
    if (!dirty_visitors_.empty()) {
        for (const auto& pid : dirty_visitors_) {
            auto& st = db_->cached("SELECT visit_id FROM visit_visitors WHERE id = ?");
            st.bind(1, pid);
            auto r = st.step();
            if (!r) return r.error();
            if (*r && !st.is_null(0)) dirty_visits_.insert(st.text(0));
        }
        dirty_visitors_.clear();
    }
    for (const auto& id : dirty_visits_) LIAISON_TRY(domain::reindex_visit(*db_, id));
    dirty_visits_.clear();
    return {};
}

// ---------------------------------------------------------------- audit and conflicts

Result<std::vector<AuditEntry>> Store::audit_trail(const std::string& table, const std::string& row) {
    std::vector<std::pair<std::string, std::string>> rows = {{table, row}};
    if (table == "visits") {
        auto& st = db_->cached("SELECT id FROM visit_visitors WHERE visit_id = ? ORDER BY id");
        st.bind(1, row);
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) { rows.emplace_back("visit_visitors", q.text(0)); }));
    }
    std::vector<sync::FieldChange> all;
    for (const auto& [t, r] : rows) {
        auto h = replica_->history(t, r);
        if (!h) return h.error();
        all.insert(all.end(), h->begin(), h->end());
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.hlc < b.hlc; });
    std::map<std::string, std::string> last;  // table/row/column -> value
    std::vector<AuditEntry> out;
    for (const auto& c : all) {
        const std::string key = c.table + "/" + c.row + "/" + c.column;
        AuditEntry e;
        e.at = platform::local_datetime(c.hlc.wall_ms);
        e.author = c.author;
        e.device = c.hlc.node;
        e.table = c.table;
        e.column = c.column;
        e.old_value = last.count(key) ? last[key] : "";
        e.new_value = display(c.value);
        last[key] = e.new_value;
        out.push_back(std::move(e));
    }
    // Retention purges: that and when, never the values (docs/retention.md).
    if (table == "visits") {
        auto& st = db_->cached("SELECT at_ms, by, fields FROM retention_purges WHERE visit_id = ? ORDER BY at_ms");
        st.bind(1, row);
        LIAISON_TRY(st.for_each_row([&](const db::Stmt& q) {
            AuditEntry e;
            e.at = platform::local_datetime(q.i64(0));
            e.author = q.text(1);
            e.table = "visit_visitors";
            e.column = "retention";
            e.new_value = "masked " + std::to_string(q.i64(2)) + " stored values";
            out.push_back(std::move(e));
        }));
    }
    return out;
}

Result<std::vector<ConflictView>> Store::conflicts() {
    auto cs = replica_->conflicts();
    if (!cs) return cs.error();
    std::vector<ConflictView> out;
    for (const auto& c : *cs) {
        ConflictView v;
        v.id = c.id;
        v.table = c.table;
        v.row = c.row;
        v.column = c.column;
        v.delete_conflict = c.delete_conflict;
        const std::string winner = c.delete_conflict ? std::string("(deleted)") : display(c.winner.value);
        const std::string loser = display(c.loser.value);
        v.mine = c.loser_is_mine ? loser : winner;
        v.theirs = c.loser_is_mine ? winner : loser;
        std::string label_sql;
        if (c.table == "visits")
            label_sql = "SELECT subject FROM visits WHERE id = ?";
        else if (c.table == "cases")
            label_sql = "SELECT title FROM cases WHERE id = ?";
        else if (c.table == "deputies")
            label_sql = "SELECT name FROM deputies WHERE id = ?";
        if (!label_sql.empty()) {
            auto& st = db_->cached(label_sql);
            st.bind(1, c.row);
            auto r = st.step();
            if (r && *r) v.record_label = st.text(0);
            st.reset();
        }
        out.push_back(std::move(v));
    }
    return out;
}

Status Store::resolve_conflict(const std::string& id, const std::string& keep) {
    if (keep != "mine" && keep != "theirs") return invalid("--keep must be mine or theirs");
    auto cs = replica_->conflicts();
    if (!cs) return cs.error();
    auto it = std::find_if(cs->begin(), cs->end(), [&](const sync::Conflict& c) { return c.id == id; });
    if (it == cs->end()) return not_found("no open conflict " + id);
    const bool keep_loser = (keep == "mine") == it->loser_is_mine;
    if (it->delete_conflict) return replica_->resolve(id, keep_loser ? Value("restore") : Value(nullptr));
    return replica_->resolve(id, Value::parse(keep_loser ? it->loser.value : it->winner.value));
}

Status Store::resolve_conflict_with(const std::string& id, const std::string& merged_text) {
    if (!valid_utf8(merged_text)) return invalid("text is not valid UTF-8");
    return replica_->resolve(id, Value(merged_text));
}

Result<int64_t> Store::pending_changes() { return replica_->pending_count(); }

Result<int64_t> Store::pending_records() {
    auto& st = db_->cached(
        "SELECT count(*) FROM (SELECT DISTINCT CASE l.tbl"
        "  WHEN 'visit_visitors' THEN 'visits/' || coalesce(v.visit_id, l.row)"
        "  WHEN 'case_events' THEN 'cases/' || coalesce(e.case_id, l.row)"
        "  ELSE l.tbl || '/' || l.row END"
        " FROM crr_log l"
        " LEFT JOIN visit_visitors v ON l.tbl = 'visit_visitors' AND v.id = l.row"
        " LEFT JOIN case_events e ON l.tbl = 'case_events' AND e.id = l.row"
        " WHERE l.local = 1 AND l.pushed = 0)");
    auto r = st.step();
    if (!r) return r.error();
    const int64_t n = st.i64(0);
    st.reset();
    return n;
}

}  // namespace liaison::store
