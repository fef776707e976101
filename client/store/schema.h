#pragma once
#include <vector>

namespace liaison::store {

struct Migration {
    int version;
    const char* sql;
    bool rebuild_search;  // after this step, reindex every visit
};

const std::vector<Migration>& migrations();

}  // namespace liaison::store
