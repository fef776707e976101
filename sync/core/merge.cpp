#include "sync/core/merge.h"

#include <algorithm>

namespace liaison::sync {

FieldHeads merge_field(FieldHeads current, const FieldChange& in, bool incoming_superseded) {
    auto& h = current.heads;
    const bool already_head = std::any_of(h.begin(), h.end(), [&](const Version& v) { return v.hlc == in.hlc; });
    // A head is gone when the incoming change supersedes it, or when the incoming change holds the
    // same value with a later stamp: two people typing the same thing is agreement, not a conflict.
    h.erase(std::remove_if(h.begin(), h.end(),
                           [&](const Version& v) {
                               return std::find(in.supersedes.begin(), in.supersedes.end(), v.hlc) !=
                                          in.supersedes.end() ||
                                      (v.value == in.value && v.hlc < in.hlc);
                           }),
            h.end());
    if (!incoming_superseded && !already_head) h.push_back(Version{in.hlc, in.value});
    std::sort(h.begin(), h.end(), [](const Version& a, const Version& b) { return b.hlc < a.hlc; });
    return current;
}

}  // namespace liaison::sync
