// Hlc::parse on any text: never crashes, and what it accepts prints back as the same text
// (str(parse(x)) == x), so a stamp's text form, which is compared as text, has one spelling.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sync/core/hlc.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using liaison::fuzz::check;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto h = liaison::sync::Hlc::parse(text);
    if (!h) return 0;
    check(h->str() == text, "Hlc::parse(x).str() == x");
    const auto again = liaison::sync::Hlc::parse(h->str());
    check(again && *again == *h, "Hlc::parse(h.str()) == h");
    return 0;
}
