// Where the kiosk's receipts go (docs/queue.md, "Printing the ticket"): a printer's device file
// (/dev/usb/lp0), a plain file, or a CUPS queue taking raw bytes. Sending never blocks for long
// and never throws: a printer that is off or missing is an error to show to staff.
#pragma once
#include <string>
#include <string_view>

#include "base/result.h"

namespace liaison::store {
class Store;
}

namespace liaison::store::printer {

struct Target {
    enum class Kind { None, Device, Cups };
    Kind kind = Kind::None;
    std::string where;  // the path, or the CUPS queue's name
};

// The local setting's text: "" (no printer), "cups:QUEUE", or a path ("/dev/usb/lp0",
// "/tmp/receipts.bin"). Invalid: a relative path, a CUPS queue name with other than letters,
// digits, '-', '_' or '.'.
Result<Target> parse_target(const std::string& text);

// The local setting holding the target (never replicated: each tablet has its own printer).
inline constexpr const char* kSetting = "kiosk.printer";

// Checks `text` and keeps it as this tablet's printer ("none" or "": no printer).
Status save_target(Store& s, const std::string& text);

// Writes `bytes` to the target. A path under /dev/ must exist (a device is never created); any
// other path is created or truncated. A CUPS queue gets them through `lp -d QUEUE -o raw`.
// Io errors name the target and the reason ("printer /dev/usb/lp0: No such file or directory").
Status send(const Target& target, std::string_view bytes);

}  // namespace liaison::store::printer
