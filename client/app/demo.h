// How much demo data the app seeds (client/store/demo.h seeds it).
#pragma once
#include <cstddef>

#include "client/store/demo.h"

namespace liaison::app {

using store::seed_demo;
// How many visits the demo seeds: LIAISON_DEMO_VISITS, else the newcomer's small station.
size_t demo_visit_count();

}  // namespace liaison::app
