// The kiosk's queue ticket as a receipt for a Chinese thermal printer (ESC/POS): pure, no I/O.
// client/store/printer.h sends the bytes; docs/queue.md describes the receipt and the setting.
#pragma once
#include <cstdint>
#include <string>

#include "base/result.h"

namespace liaison::store::receipt {

// What the slip shows, as UTF-8 text (the encoder converts it to GB18030).
struct TicketReceipt {
    std::string station;  // 东湖街道人大代表联络站
    std::string number;   // A003: printed double width and height
    std::string time;     // 2026-12-01 10:32
    std::string deputy;   // the wished deputy's name, "" when the visitor chose none
    int64_t ahead = 0;    // waiting tickets before this one
};

// ESC/POS control sequences the receipt uses (exposed for the tests).
inline constexpr char kInit[] = "\x1b\x40";                // ESC @: reset the printer
inline constexpr char kChineseMode[] = "\x1c\x26";         // FS &: two-byte (GB18030) characters
inline constexpr char kCentre[] = "\x1b\x61\x01";          // ESC a 1
inline constexpr char kDoubleSize[] = "\x1d\x21\x11";      // GS ! 0x11: double width and height
inline constexpr char kNormalSize[] = "\x1d\x21\x00";      // GS ! 0
inline constexpr char kFeedAndCut[] = "\x1d\x56\x42\x00";  // GS V 66 0: feed to the cutter, cut

// The receipt's bytes. Invalid when a text does not convert to GB18030 (not valid UTF-8).
Result<std::string> escpos(const TicketReceipt& r);

}  // namespace liaison::store::receipt
