// RAII over libpq for the PostgreSQL storage (docs/server.md, "PostgreSQL"): one connection,
// its query results, and a transaction that rolls back unless committed. Parameters and results
// travel as text; statements are prepared once per connection.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include "base/result.h"

namespace liaison::server::pg {

// One parameter: text, or SQL NULL.
using Param = std::optional<std::string>;
inline Param p(std::string s) { return Param(std::move(s)); }
inline Param p(int64_t v) { return Param(std::to_string(v)); }
inline Param p(const char* s) { return Param(std::string(s)); }

// A query's rows, freed with the result.
class Rows {
public:
    explicit Rows(PGresult* r) : r_(r) {}
    int size() const { return PQntuples(r_.get()); }
    int columns() const { return PQnfields(r_.get()); }
    std::string name(int col) const { return PQfname(r_.get(), col); }
    bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
    std::string text(int row, int col) const {
        return std::string(PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col)));
    }
    std::optional<std::string> opt_text(int row, int col) const {
        return null(row, col) ? std::nullopt : std::optional<std::string>(text(row, col));
    }
    int64_t i64(int row, int col) const { return std::strtoll(PQgetvalue(r_.get(), row, col), nullptr, 10); }
    int64_t affected() const { return std::strtoll(PQcmdTuples(r_.get()), nullptr, 10); }

private:
    struct Free {
        void operator()(PGresult* r) const { PQclear(r); }
    };
    std::unique_ptr<PGresult, Free> r_;
};

// One connection; used by one thread at a time (the storage's pool hands it out).
class Conn {
public:
    // `url`: a libpq connection string or URI (postgresql://user@host/db?...).
    static Result<std::unique_ptr<Conn>> open(const std::string& url);

    // A statement with $1.. parameters, prepared on its first use on this connection.
    Result<Rows> query(const std::string& sql, const std::vector<Param>& params = {});
    Status run(const std::string& sql, const std::vector<Param>& params = {});
    // Several statements without parameters (schema scripts).
    Status script(const std::string& sql);
    // False once the server went away: the pool drops the connection instead of reusing it.
    bool healthy() const { return PQstatus(c_.get()) == CONNECTION_OK; }
    // healthy() after reading what the server sent meanwhile without waiting: an idle
    // connection whose server restarted has its end-of-file (or a FATAL) waiting to be read.
    bool alive();
    bool in_transaction() const { return PQtransactionStatus(c_.get()) != PQTRANS_IDLE; }

private:
    struct Finish {
        void operator()(PGconn* c) const { PQfinish(c); }
    };
    explicit Conn(PGconn* c) : c_(c) {}
    Error error_of(const PGresult* r, const std::string& what) const;

    std::unique_ptr<PGconn, Finish> c_;
    std::map<std::string, std::string> prepared_;  // sql -> statement name
};

// BEGIN ... COMMIT; rolled back when it goes out of scope uncommitted.
class Tx {
public:
    static Result<Tx> begin(Conn& c);
    Tx(Tx&& o) noexcept : c_(o.c_) { o.c_ = nullptr; }
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    Tx& operator=(Tx&&) = delete;
    ~Tx();
    Status commit();

private:
    explicit Tx(Conn& c) : c_(&c) {}
    Conn* c_;
};

// SQLSTATE classes the caller may retry the whole transaction on (serialization failure,
// deadlock): Error::Kind::Locked carries them.
bool retryable(const Error& e);

}  // namespace liaison::server::pg
