// Sample input for the screenshot and script modes (--screenshot with a kiosk step or the queue):
// a duty slot, a visitor half-way through the kiosk, a morning's tickets. Never called by the
// production paths: the app's run() uses it only when a screenshot was asked for.
#pragma once
#include "client/app/model.h"

namespace liaison::app {

// The kiosk at `step` with a visitor's sample input unless `typed` is false (the first step at
// rest), and a ticket for the ticket step.
Status seed_kiosk_screenshot(AppModel& m, ui::KioskStep step, bool typed = true);
// Today's tickets for the desk's queue panel, when there are none yet.
Status seed_queue_screenshot(store::Store& s);

}  // namespace liaison::app
