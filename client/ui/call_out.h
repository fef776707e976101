// What the desk's 叫下一位 says aloud (docs/queue.md, "Calling out"): the words on screen and
// the words for the synthesiser, in the app's language. Pure: unit tested.
#pragma once
#include <string>

#include "client/ui/i18n.h"

namespace liaison::ui {

struct CallOut {
    std::string shown;   // "请 A003 号到接待台"
    std::string spoken;  // the words for espeak-ng: digits one by one, Mandarin as tone-numbered pinyin
    std::string voice;   // the espeak-ng voice
};

// `label` is a ticket's number ("A003"): its letter and each digit are said one by one, as
// people read a ticket ("A 零零三").
CallOut call_out(const I18n& t, const std::string& label);

}  // namespace liaison::ui
