// Demo data for a newcomer: a station, its deputies and visits spread over recent months.
#pragma once
#include <cstddef>

#include "client/store/store.h"

namespace liaison::app {

// Sets up an uninitialised store as a demo station with `visits` visits (deterministic).
Status seed_demo(store::Store& s, size_t visits);

}  // namespace liaison::app
