// Demo data for a newcomer: deputies, visits spread over recent months, cases in every status,
// a duty roster and activities (used by the app's --demo and by `liaison demo`).
#pragma once
#include <cstddef>

#include "client/store/store.h"

namespace liaison::store {

// Sets up the store as a demo station with `visits` visits (deterministic). An uninitialised
// store becomes the demo station; an enrolled one keeps its station and uses the departments the
// centre sent (it never makes its own, which the server would refuse).
Status seed_demo(Store& s, size_t visits);

}  // namespace liaison::store
