#include "client/ui/call_out.h"

#include <sstream>
#include <vector>

namespace liaison::ui {

namespace {
std::vector<std::string> words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> w;
    for (std::string x; in >> x;) w.push_back(x);
    return w;
}
}  // namespace

CallOut call_out(const I18n& t, const std::string& label) {
    // Debian 12's espeak-ng reads Chinese characters through the cmn voice as their pinyin
    // spelled out by the English voice ("请" as "king three"); tone-numbered pinyin through
    // cmn-latn-pinyin is read right (docs/queue.md).
    const std::vector<std::string> digits = words(t.tr("voice.digits"));
    std::string number;
    for (const char ch : label) {
        if (!number.empty()) number += ' ';
        if (ch >= '0' && ch <= '9' && digits.size() == 10)
            number += digits[static_cast<size_t>(ch - '0')];
        else
            number += ch;
    }
    CallOut c;
    c.shown = t.fmt("queue.call_out", {label});
    const std::string once = t.fmt("voice.call_out", {number});
    c.spoken = once + " " + once;  // said twice, as calling systems do: the first may be missed
    c.voice = t.tr("voice.name");
    return c;
}

}  // namespace liaison::ui
