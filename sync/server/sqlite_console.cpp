// The console's users, sessions and page queries on SQLite. The case list builds its WHERE
// clause from the filter with bound parameters only; the scope (stations, department) always
// comes from the signed-in user, so no request reaches rows outside it.
#include "sync/server/sqlite_console.h"

#include "base/dates.h"

namespace liaison::server {
namespace {

using nlohmann::json;

const char* const kConsoleSchema = R"sql(
CREATE TABLE IF NOT EXISTS srv_console_users(
  name TEXT PRIMARY KEY,
  display TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  department_id TEXT NOT NULL DEFAULT '',
  stations TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  disabled_ms INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  locked_until_ms INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS srv_console_sessions(
  token_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  csrf TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  seen_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS srv_console_sessions_user ON srv_console_sessions(user_name);
CREATE INDEX IF NOT EXISTS cases_station_created ON cases(station_id, created_at);
CREATE INDEX IF NOT EXISTS cases_department ON cases(department_id);
)sql";

const char* const kUserColumns =
    "name, display, role, department_id, stations, password_hash, created_ms, disabled_ms, failures, "
    "locked_until_ms";

ConsoleUser user_from(const db::Stmt& st) {
    ConsoleUser u;
    u.name = st.text(0);
    u.display = st.text(1);
    u.role = st.text(2);
    u.department_id = st.text(3);
    u.stations = st.text(4);
    u.password_hash = st.text(5);
    u.created_ms = st.i64(6);
    u.disabled_ms = st.i64(7);
    u.failures = st.i64(8);
    u.locked_until_ms = st.i64(9);
    return u;
}

// LIKE pattern for a literal substring: %, _ and \ escaped (ESCAPE '\').
std::string like_pattern(const std::string& q) {
    std::string p = "%";
    for (char c : q) {
        if (c == '%' || c == '_' || c == '\\') p.push_back('\\');
        p.push_back(c);
    }
    return p + "%";
}

const char* const kOpenStatuses = "('registered', 'assigned', 'in_progress', 'replied')";

// The WHERE clause of a case filter and its parameters, in order.
struct Where {
    std::string sql = " WHERE c._deleted = 0";
    std::vector<std::string> args;
    void add(const std::string& clause, std::initializer_list<std::string> values) {
        sql += " AND " + clause;
        args.insert(args.end(), values);
    }
};

Where case_where(const CaseFilter& f) {
    Where w;
    if (!f.all_stations) {
        std::string in = "c.station_id IN (";
        for (size_t i = 0; i < f.stations.size(); ++i) in += i ? ", ?" : "?";
        w.add(f.stations.empty() ? "0" : in + ")", {});
        w.args.insert(w.args.end(), f.stations.begin(), f.stations.end());
    }
    if (!f.department_id.empty()) w.add("c.department_id = ?", {f.department_id});
    if (!f.station.empty()) w.add("c.station_id = ?", {f.station});
    if (!f.status.empty()) w.add("c.status = ?", {f.status});
    if (!f.category.empty()) w.add("c.category = ?", {f.category});
    if (!f.department.empty()) w.add("c.department_id = ?", {f.department});
    if (!f.q.empty()) {
        const std::string p = like_pattern(f.q);
        w.add("(c.title LIKE ? ESCAPE '\\' OR c.content LIKE ? ESCAPE '\\')", {p, p});
    }
    if (!f.from.empty()) w.add("c.created_at >= ?", {f.from});
    if (!f.to.empty()) w.add("c.created_at <= ?", {f.to + " 99"});  // the whole last day
    if (f.overdue)
        w.add("coalesce(c.deadline, '') <> '' AND c.deadline < ? AND c.status IN " + std::string(kOpenStatuses),
              {f.today});
    if (f.open_only) w.add("c.status IN " + std::string(kOpenStatuses), {});
    if (!f.due_by.empty())
        w.add("coalesce(c.deadline, '') <> '' AND c.deadline >= ? AND c.deadline <= ? AND c.status IN " +
                  std::string(kOpenStatuses),
              {f.today, f.due_by});
    return w;
}

std::string case_order(const CaseFilter& f) {
    const std::string dir = f.descending ? " DESC" : " ASC";
    if (f.sort == "inbox") {
        // Overdue on top, then the open cases, the finished last; newest first within each.
        return " ORDER BY CASE WHEN c.status NOT IN " + std::string(kOpenStatuses) +
               " THEN 2 WHEN coalesce(c.deadline, '') <> '' AND c.deadline < ? THEN 0 ELSE 1 END, c.created_at DESC, "
               "c.id";
    }
    if (f.sort == "deadline")
        return " ORDER BY coalesce(c.deadline, '') = ''," + std::string(" c.deadline") + dir + ", c.id";
    if (f.sort == "status") return " ORDER BY c.status" + dir + ", c.created_at DESC, c.id";
    if (f.sort == "station") return " ORDER BY s.name" + dir + ", c.created_at DESC, c.id";
    return " ORDER BY c.created_at" + dir + ", c.id" + dir;
}

const char* const kCaseSelect =
    "SELECT c.id, coalesce(c.title, ''), coalesce(c.status, ''), coalesce(c.category, ''), "
    "coalesce(c.station_id, ''), coalesce(s.name, ''), coalesce(c.department_id, ''), coalesce(d.name, ''), "
    "coalesce(c.deadline, ''), coalesce(c.created_at, '') FROM cases c "
    "LEFT JOIN stations s ON s.id = c.station_id LEFT JOIN departments d ON d.id = c.department_id";

CaseListRow case_from(const db::Stmt& st) {
    return CaseListRow{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4),
                       st.text(5), st.text(6), st.text(7), st.text(8), st.text(9)};
}

json value_of(const db::Stmt& st, int col) {
    switch (st.type(col)) {
        case SQLITE_INTEGER: return st.i64(col);
        case SQLITE_FLOAT: return st.f64(col);
        case SQLITE_NULL: return nullptr;
        default: return st.text(col);
    }
}

class SqliteConsole final : public ConsoleStorage {
public:
    explicit SqliteConsole(SqliteAccess& a) : a_(a) {}

    Status add_user(const ConsoleUser& u) override {
        return a_.write([&](db::Db& db) -> Status {
            auto& find = db.cached("SELECT 1 FROM srv_console_users WHERE name = ?");
            find.bind(1, u.name);
            auto r = find.step();
            if (!r) return r.error();
            find.reset();
            if (*r) return Error{Error::Kind::Conflict, "a console user named '" + u.name + "' exists"};
            auto& st = db.cached(
                "INSERT INTO srv_console_users(name, display, role, department_id, stations, password_hash, "
                "created_ms) VALUES(?, ?, ?, ?, ?, ?, ?)");
            return st.bind(1, u.name)
                .bind(2, u.display)
                .bind(3, u.role)
                .bind(4, u.department_id)
                .bind(5, u.stations)
                .bind(6, u.password_hash)
                .bind(7, u.created_ms)
                .run();
        });
    }

    Result<ConsoleUser> user(const std::string& name) override {
        LIAISON_ASSIGN_OR_RETURN(
            auto u, one<ConsoleUser>(std::string("SELECT ") + kUserColumns + " FROM srv_console_users WHERE name = ?",
                                     name, user_from));
        if (!u) return not_found("no console user '" + name + "'");
        return *u;
    }

    Result<std::vector<ConsoleUser>> users() override {
        std::vector<ConsoleUser> out;
        LIAISON_TRY(a_.read([&](db::Db& db) -> Status {
            auto& st = db.cached(std::string("SELECT ") + kUserColumns + " FROM srv_console_users ORDER BY name");
            return st.for_each_row([&](const db::Stmt& s) { out.push_back(user_from(s)); });
        }));
        return out;
    }

    Status set_password(const std::string& name, const std::string& hash) override {
        return update(name,
                      "UPDATE srv_console_users SET password_hash = ?2, failures = 0, locked_until_ms = 0 "
                      "WHERE name = ?1",
                      hash);
    }
    Status set_disabled(const std::string& name, int64_t ms) override {
        return update(name, "UPDATE srv_console_users SET disabled_ms = ?2 WHERE name = ?1", ms);
    }
    Status set_lock(const std::string& name, int64_t until) override {
        return update(name, "UPDATE srv_console_users SET locked_until_ms = ?2 WHERE name = ?1", until);
    }
    Status clear_failures(const std::string& name) override {
        return update(name, "UPDATE srv_console_users SET failures = 0, locked_until_ms = ?2 WHERE name = ?1",
                      int64_t{0});
    }

    Result<int64_t> add_failure(const std::string& name) override {
        int64_t n = 0;
        LIAISON_TRY(a_.write([&](db::Db& db) -> Status {
            auto& up = db.cached("UPDATE srv_console_users SET failures = failures + 1 WHERE name = ?");
            LIAISON_TRY(up.bind(1, name).run());
            auto& st = db.cached("SELECT failures FROM srv_console_users WHERE name = ?");
            st.bind(1, name);
            auto r = st.step();
            if (!r) return r.error();
            n = *r ? st.i64(0) : 0;
            st.reset();
            return {};
        }));
        return n;
    }

    // ---- sessions ----
    Status add_session(const ConsoleSession& s) override {
        return a_.write([&](db::Db& db) {
            auto& st = db.cached(
                "INSERT INTO srv_console_sessions(token_hash, user_name, csrf, created_ms, seen_ms) VALUES(?, ?, ?, ?, "
                "?)");
            return st.bind(1, s.token_hash)
                .bind(2, s.user)
                .bind(3, s.csrf)
                .bind(4, s.created_ms)
                .bind(5, s.seen_ms)
                .run();
        });
    }

    Result<ConsoleSession> session(const std::string& token_hash) override {
        LIAISON_ASSIGN_OR_RETURN(
            auto out,
            one<ConsoleSession>("SELECT token_hash, user_name, csrf, created_ms, seen_ms FROM srv_console_sessions "
                                "WHERE token_hash = ?",
                                token_hash, [](const db::Stmt& st) {
                                    return ConsoleSession{st.text(0), st.text(1), st.text(2), st.i64(3), st.i64(4)};
                                }));
        if (!out) return Error{Error::Kind::Auth, "no such session"};
        return *out;
    }

    Status touch_session(const std::string& token_hash, int64_t now_ms) override {
        return a_.write([&](db::Db& db) {
            return db.cached("UPDATE srv_console_sessions SET seen_ms = ? WHERE token_hash = ?")
                .bind(1, now_ms)
                .bind(2, token_hash)
                .run();
        });
    }
    Status end_session(const std::string& token_hash) override {
        return a_.write([&](db::Db& db) {
            return db.cached("DELETE FROM srv_console_sessions WHERE token_hash = ?").bind(1, token_hash).run();
        });
    }
    Status end_sessions_of(const std::string& user) override {
        return a_.write([&](db::Db& db) {
            return db.cached("DELETE FROM srv_console_sessions WHERE user_name = ?").bind(1, user).run();
        });
    }
    Status purge_sessions(int64_t seen_before_ms, int64_t created_before_ms) override {
        return a_.write([&](db::Db& db) {
            return db.cached("DELETE FROM srv_console_sessions WHERE seen_ms < ? OR created_ms < ?")
                .bind(1, seen_before_ms)
                .bind(2, created_before_ms)
                .run();
        });
    }

    // ---- reads ----
    Result<CaseList> cases(const CaseFilter& f) override {
        CaseList out;
        const Where w = case_where(f);
        LIAISON_TRY(a_.read([&](db::Db& db) -> Status {
            auto count = db.prepare("SELECT count(*) FROM cases c" + w.sql);
            if (!count) return count.error();
            for (size_t i = 0; i < w.args.size(); ++i) count->bind(static_cast<int>(i + 1), w.args[i]);
            auto r = count->step();
            if (!r) return r.error();
            out.total = *r ? count->i64(0) : 0;
            if (f.limit == 0) return {};  // the count alone
            auto page = db.prepare(std::string(kCaseSelect) + w.sql + case_order(f) + " LIMIT ? OFFSET ?");
            if (!page) return page.error();
            int n = 0;
            for (const auto& a : w.args) page->bind(++n, a);
            if (f.sort == "inbox") page->bind(++n, f.today);
            page->bind(n + 1, f.limit).bind(n + 2, f.offset);
            return page->for_each_row([&](const db::Stmt& st) { out.rows.push_back(case_from(st)); });
        }));
        return out;
    }

    Result<std::optional<CaseListRow>> case_row(const std::string& id) override {
        return one<CaseListRow>(std::string(kCaseSelect) + " WHERE c.id = ? AND c._deleted = 0", id, case_from);
    }

    Result<json> case_fields(const std::string& id) override {
        return one_row("SELECT * FROM cases WHERE id = ? AND _deleted = 0", id);
    }

    Result<json> case_events(const std::string& id) override {
        return rows(
            "SELECT coalesce(at, '') AS at, coalesce(author, '') AS author, coalesce(kind, '') AS kind, "
            "coalesce(note, '') AS note FROM case_events WHERE case_id = ? AND _deleted = 0 ORDER BY at, id",
            id);
    }

    Result<json> visit(const std::string& id) override {
        return one_row(
            "SELECT id, received_at, subject, content, category, channel, people FROM visits "
            "WHERE id = ? AND _deleted = 0",
            id);
    }

    Result<json> visitors(const std::string& visit_id) override {
        return rows(
            "SELECT coalesce(name, '') AS name, coalesce(phone, '') AS phone FROM visit_visitors "
            "WHERE visit_id = ? AND _deleted = 0 ORDER BY id",
            visit_id);
    }

    Result<std::vector<StationFigures>> station_figures(const domain::stats::Range& r) override {
        std::vector<StationFigures> out;
        LIAISON_TRY(a_.read([&](db::Db& db) -> Status {
            auto b = domain::stats::figures(db, r, domain::stats::By::Station);
            if (!b) return b.error();
            for (auto& g : b->groups) out.push_back(StationFigures{g.key, g.label, "", g.figures});
            return {};
        }));
        return out;
    }

    Result<std::vector<MonthStatusCount>> cases_by_month(const CaseFilter& scope) override {
        std::vector<MonthStatusCount> out;
        const Where w = case_where(scope);
        LIAISON_TRY(a_.read([&](db::Db& db) -> Status {
            auto st = db.prepare("SELECT substr(c.created_at, 1, 7), coalesce(c.status, ''), count(*) FROM cases c" +
                                 w.sql + " GROUP BY 1, 2 ORDER BY 1, 2");
            if (!st) return st.error();
            for (size_t i = 0; i < w.args.size(); ++i) st->bind(static_cast<int>(i + 1), w.args[i]);
            return st->for_each_row([&](const db::Stmt& s) {
                out.push_back(MonthStatusCount{s.text(0), s.text(1), s.i64(2)});
            });
        }));
        return out;
    }

    Result<json> departments() override {
        return rows("SELECT id, coalesce(name, '') AS name FROM departments WHERE _deleted = 0 ORDER BY name", "");
    }

    Result<std::vector<std::string>> stations_of_department(const std::string& department_id) override {
        std::vector<std::string> out;
        LIAISON_TRY(a_.read([&](db::Db& db) -> Status {
            auto& st = db.cached("SELECT DISTINCT station_id FROM cases WHERE department_id = ? AND _deleted = 0");
            st.bind(1, department_id);
            return st.for_each_row([&](const db::Stmt& s) { out.push_back(s.text(0)); });
        }));
        return out;
    }

    Result<json> categories() override {
        return rows(
            "SELECT id, coalesce(name_zh, '') AS zh, coalesce(name_en, '') AS en FROM categories WHERE _deleted = 0 "
            "ORDER BY sort, id",
            "");
    }

    Result<std::optional<std::pair<std::string, std::string>>> department(const std::string& key) override {
        return one<std::pair<std::string, std::string>>(
            "SELECT id, coalesce(name, '') FROM departments WHERE _deleted = 0 AND (id = ?1 OR name = ?1) "
            "ORDER BY id = ?1 DESC LIMIT 1",
            key, [](const db::Stmt& st) { return std::make_pair(st.text(0), st.text(1)); });
    }

private:
    // The first row of a query with one key parameter, made by `from`; nullopt when none.
    template <class T, class From>
    Result<std::optional<T>> one(const std::string& sql, const std::string& key, From from) {
        std::optional<T> out;
        LIAISON_TRY(a_.read([&](db::Db& db) -> Status {
            auto& st = db.cached(sql);
            st.bind(1, key);
            auto r = st.step();
            if (!r) return r.error();
            if (*r) out = from(st);
            st.reset();
            return {};
        }));
        return out;
    }

    template <class V>
    Status update(const std::string& name, const char* sql, const V& v) {
        return a_.write([&](db::Db& db) -> Status {
            auto& st = db.cached(sql);
            LIAISON_TRY(st.bind(1, name).bind(2, v).run());
            if (db.changes() == 0) return not_found("no console user '" + name + "'");
            return {};
        });
    }

    // Rows of a one-parameter query as JSON objects named by the query's columns.
    Result<json> rows(const std::string& sql, const std::string& arg) {
        json out = json::array();
        LIAISON_TRY(a_.read([&](db::Db& db) -> Status {
            auto& st = db.cached(sql);
            const int params = sqlite3_bind_parameter_count(st.raw());
            for (int i = 1; i <= params; ++i) st.bind(i, arg);
            return st.for_each_row([&](const db::Stmt& s) {
                json o = json::object();
                for (int i = 0; i < sqlite3_column_count(s.raw()); ++i)
                    o[sqlite3_column_name(s.raw(), i)] = value_of(s, i);
                out.push_back(std::move(o));
            });
        }));
        return out;
    }

    Result<json> one_row(const std::string& sql, const std::string& arg) {
        auto all = rows(sql, arg);
        if (!all) return all.error();
        return all->empty() ? json(nullptr) : (*all)[0];
    }

    SqliteAccess& a_;
};

}  // namespace

Status install_console_schema(db::Db& db) { return db.exec(kConsoleSchema); }

std::unique_ptr<ConsoleStorage> make_sqlite_console(SqliteAccess& access) {
    return std::make_unique<SqliteConsole>(access);
}

}  // namespace liaison::server
