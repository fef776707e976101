// Demo data for a newcomer: a station, its deputies and visits spread over recent months.
#pragma once
#include <cstddef>

#include "client/store/store.h"

namespace liaison::app {

// Sets up an uninitialised store as a demo station with `visits` visits (deterministic).
Status seed_demo(store::Store& s, size_t visits);
// How many visits the demo seeds: LIAISON_DEMO_VISITS, else the newcomer's small station.
size_t demo_visit_count();

}  // namespace liaison::app
