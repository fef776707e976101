#include "sync/server/pg.h"

#include <cstring>

namespace liaison::server::pg {
namespace {

// libpq's messages end with a newline and may span lines; the log wants one line.
std::string one_line(const char* m) {
    std::string s = m ? m : "";
    for (char& ch : s)
        if (ch == '\n' || ch == '\r') ch = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

const char* const kDeadlockOrSerialization[] = {"40001", "40P01"};

}  // namespace

Result<std::unique_ptr<Conn>> Conn::open(const std::string& url) {
    PGconn* raw = PQconnectdb(url.c_str());
    if (!raw) return Error{Error::Kind::Network, "PostgreSQL: out of memory"};
    std::unique_ptr<Conn> c(new Conn(raw));
    if (PQstatus(raw) != CONNECTION_OK)
        return Error{Error::Kind::Network, "cannot connect to PostgreSQL: " + one_line(PQerrorMessage(raw))};
    // Notices (e.g. "relation already exists, skipping") would go to stderr line by line.
    PQsetNoticeProcessor(
        raw, [](void*, const char*) {}, nullptr);
    return c;
}

bool Conn::alive() {
    if (!healthy()) return false;
    (void)PQconsumeInput(c_.get());  // 0 on a closed socket, which healthy() then tells
    return healthy();
}

Error Conn::error_of(const PGresult* r, const std::string& what) const {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string msg = "PostgreSQL: " + one_line(r ? PQresultErrorMessage(r) : PQerrorMessage(c_.get()));
    if (!healthy() || !r) return Error{Error::Kind::Network, msg};
    if (state) {
        for (const char* s : kDeadlockOrSerialization)
            if (std::strcmp(state, s) == 0) return Error{Error::Kind::Locked, msg};
        if (std::strcmp(state, "53100") == 0) return Error{Error::Kind::Full, msg};  // disk_full
        if (std::strcmp(state, "23505") == 0) return Error{Error::Kind::Conflict, msg};
        if (std::strncmp(state, "08", 2) == 0 || std::strncmp(state, "57P", 3) == 0)
            return Error{Error::Kind::Network, msg};  // connection lost, server shutting down
    }
    return Error{Error::Kind::Internal, msg + " (" + what.substr(0, 60) + ")"};
}

Result<Rows> Conn::query(const std::string& sql, const std::vector<Param>& params) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
        const std::string name = "s" + std::to_string(prepared_.size());
        PGresult* made = PQprepare(c_.get(), name.c_str(), sql.c_str(), 0, nullptr);
        if (!made || PQresultStatus(made) != PGRES_COMMAND_OK) {
            Error e = error_of(made, sql);  // nothing was prepared: the next use tries again
            PQclear(made);
            return e;
        }
        PQclear(made);
        it = prepared_.emplace(sql, name).first;
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& v : params) values.push_back(v ? v->c_str() : nullptr);
    PGresult* r = PQexecPrepared(c_.get(), it->second.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                 nullptr, 0);
    const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Rows(r);
    Error e = error_of(r, sql);
    PQclear(r);
    return e;
}

Status Conn::run(const std::string& sql, const std::vector<Param>& params) {
    auto r = query(sql, params);
    if (!r) return r.error();
    return {};
}

Status Conn::script(const std::string& sql) {
    PGresult* r = PQexec(c_.get(), sql.c_str());
    const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        PQclear(r);
        return {};
    }
    Error e = error_of(r, sql);
    PQclear(r);
    return e;
}

Result<Tx> Tx::begin(Conn& c) {
    LIAISON_TRY(c.script("BEGIN"));
    return Tx(c);
}

Tx::~Tx() {
    if (c_ && c_->healthy()) (void)c_->script("ROLLBACK");
}

Status Tx::commit() {
    Conn* c = c_;
    c_ = nullptr;
    return c->script("COMMIT");
}

bool retryable(const Error& e) { return e.kind == Error::Kind::Locked; }

}  // namespace liaison::server::pg
