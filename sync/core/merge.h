// The merge rule, shared by tablet and server.
//
// A field's state is the set of its *heads*: known versions that no other known version of the
// same field supersedes. The highest head (by Hlc) is the value everyone shows; any other head is
// a concurrent edit that lost and is kept as a conflict for a person to review. Because the heads
// are a function of the *set* of changes received, merging is commutative, associative and
// idempotent: any order, duplicates or replays give the same heads on every replica.
#pragma once
#include <vector>

#include "sync/core/change.h"

namespace liaison::sync {

struct FieldHeads {
    std::vector<Version> heads;  // sorted, highest Hlc first: heads[0] is the winner
    const Version* winner() const { return heads.empty() ? nullptr : &heads.front(); }
    bool conflicted() const { return heads.size() > 1; }
};

// Apply one incoming change to a field. `incoming_superseded` tells whether a change already
// known for this field lists the incoming Hlc in its `supersedes` (it arrived after its successor),
// or holds the same value with a later Hlc (it is hidden by an equal value).
// A change whose Hlc is already a head is a duplicate and leaves the state unchanged. Heads with
// the incoming value and an earlier Hlc are dropped: equal concurrent values are not a conflict.
// So the heads are: the changes no known change supersedes and no known change with the same
// value and a later Hlc hides, a function of the set of changes received.
FieldHeads merge_field(FieldHeads current, const FieldChange& incoming, bool incoming_superseded);

}  // namespace liaison::sync
