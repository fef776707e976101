// The change decoder on any body: never crashes, and a body it accepts encodes and decodes again
// to the same changes (nothing a device sent is lost or altered on the way through the server).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sync/core/wire.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using liaison::sync::FieldChange;

bool same(const FieldChange& a, const FieldChange& b) {
    return a.hlc == b.hlc && a.table == b.table && a.row == b.row && a.column == b.column && a.value == b.value &&
           a.supersedes == b.supersedes && a.scope == b.scope && a.author == b.author && a.extra == b.extra;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using liaison::fuzz::check;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    auto changes = liaison::sync::decode_changes(body);
    if (!changes) {
        check(!changes.error().message.empty(), "a refused body has a reason");
        return 0;
    }
    const std::string encoded = liaison::sync::encode_changes(*changes);
    auto back = liaison::sync::decode_changes(encoded);
    check(back.ok(), "an accepted body, encoded again, is accepted");
    check(back->size() == changes->size(), "the round trip keeps the number of changes");
    for (size_t i = 0; i < back->size(); ++i)
        check(same((*back)[i], (*changes)[i]), "the round trip keeps each change");
    check(liaison::sync::encode_changes(*back) == encoded, "encoding is stable");
    return 0;
}
