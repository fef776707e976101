#include "client/app/demo.h"

#include <cstdlib>

#include "client/app/tuning.h"

namespace liaison::app {

size_t demo_visit_count() {
    // LIAISON_DEMO_VISITS=100000 seeds a large station for performance runs.
    if (const char* e = std::getenv("LIAISON_DEMO_VISITS"); e && *e) {
        const long n = std::strtol(e, nullptr, 10);
        if (n > 0) return static_cast<size_t>(n);
    }
    return tuning::kDemoVisits;
}

}  // namespace liaison::app
