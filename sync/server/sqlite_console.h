// The console's storage on SQLite (sqlite_console.cpp), borrowing connections of the server's
// SQLite storage (sqlite_storage.cpp) through SqliteAccess. Internal to the server's storage.
#pragma once
#include <functional>
#include <memory>

#include "sync/replica/sqlite.h"
#include "sync/server/console_storage.h"

namespace liaison::server {

class SqliteAccess {
public:
    virtual ~SqliteAccess() = default;
    // fn on a leased connection.
    virtual Status read(const std::function<Status(db::Db&)>& fn) = 0;
    // fn in one write transaction under the process's writer lock; committed when fn succeeds.
    virtual Status write(const std::function<Status(db::Db&)>& fn) = 0;
};

// The console's tables (created if missing; a database from before the console gains them).
Status install_console_schema(db::Db& db);
std::unique_ptr<ConsoleStorage> make_sqlite_console(SqliteAccess& access);

}  // namespace liaison::server
