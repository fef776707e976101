// Shared by the fuzz targets: a property that fails stops the run as a crash, so libFuzzer keeps
// the input and the replay build fails its test.
#pragma once
#include <cstdio>
#include <cstdlib>

namespace liaison::fuzz {

inline void check(bool ok, const char* property) {
    if (ok) return;
    std::fprintf(stderr, "fuzz property failed: %s\n", property);
    std::abort();
}

}  // namespace liaison::fuzz
