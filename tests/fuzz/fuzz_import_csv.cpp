// The central server's reference-data import (its own RFC 4180 reader) on any text, into a real
// SQLite storage: never crashes, and a refused file writes nothing. The first byte picks the kind.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sync/server/import.h"
#include "tests/fuzz/central_fixture.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const char* const kKinds[] = {"stations", "deputies", "departments", "categories"};
    if (size == 0) return 0;
    auto& central = liaison::fuzz::central_for_next_input();
    const std::string kind = kKinds[data[0] % 4];
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    auto before = central.storage().statistics();
    liaison::fuzz::check(before.ok(), "statistics before the import");
    auto report = liaison::server::import_reference_csv(central.storage(), kind, text);
    if (report) return 0;
    liaison::fuzz::check(!report.error().message.empty(), "a refused file has a reason");
    auto after = central.storage().statistics();
    liaison::fuzz::check(after.ok() && *after == *before, "a refused file writes nothing");
    return 0;
}
