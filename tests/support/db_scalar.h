// One number read from a test's database: the first column of the first row, which must exist.
#pragma once
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "sync/replica/sqlite.h"

namespace testing_support {

inline int64_t scalar(liaison::db::Db& d, const std::string& sql) {
    auto st = d.prepare(sql);
    REQUIRE_MESSAGE(st, sql);
    auto row = st->step();
    REQUIRE_MESSAGE(row, sql);
    REQUIRE_MESSAGE(*row, sql);
    return st->i64(0);
}

}  // namespace testing_support
