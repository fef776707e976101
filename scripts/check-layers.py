#!/usr/bin/env python3
"""Fails when a source file includes a header from a layer above its own (docs/architecture.md).

Usage: check-layers.py [REPOSITORY_ROOT]

The layers, bottom first, are the data below. A file may include headers of its own layer and of
any lower tier; layers in one tier are siblings and may not include each other. A quoted include
is read from the repository root ("sync/core/hlc.h"); system includes (<...>) are not checked.
Every source file under a layered top folder must belong to a layer. There are no exceptions.
"""
import os
import re
import sys

# Bottom first. Each inner list is one tier of sibling layers (folders relative to the root).
TIERS = [
    ["base"],
    ["platform", "platform/sdl"],
    ["sync/core"],
    ["sync/net"],
    ["sync/replica"],
    ["domain"],
    ["client/store", "sync/client", "sync/server"],
    ["client/sync", "client/ui"],
    ["client/cli", "client/app"],
    ["client"],  # client/main.cpp: the `liaison` program
]

SOURCE_EXT = (".h", ".hpp", ".cpp", ".cc")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def ranks():
    return {layer: i for i, tier in enumerate(TIERS) for layer in tier}


def layer_of(path, rank):
    """The deepest layer folder holding `path` (a root-relative path with / separators)."""
    best = None
    for layer in rank:
        if path.startswith(layer + "/") and (best is None or len(layer) > len(best)):
            best = layer
    return best


def check_file(path, text, rank):
    """Yields one line per include of `path` that points up or sideways."""
    here = layer_of(path, rank)
    if here is None:
        yield f"{path}: not in any layer; add its folder to TIERS in scripts/check-layers.py"
        return
    for n, line in enumerate(text.splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        target = os.path.normpath(os.path.join(os.path.dirname(path), m.group(1))).replace(os.sep, "/")
        there = layer_of(m.group(1), rank) or layer_of(target, rank)
        if there is None or there == here:
            continue
        if rank[there] > rank[here]:
            yield f"{path}:{n}: {here} includes {m.group(1)} from {there}, a layer above it"
        elif rank[there] == rank[here]:
            yield f"{path}:{n}: {here} includes {m.group(1)} from its sibling {there}"


def sources(root, rank):
    for top in sorted({layer.split("/")[0] for layer in rank}):
        for dirpath, dirs, names in os.walk(os.path.join(root, top)):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(SOURCE_EXT):
                    full = os.path.join(dirpath, name)
                    rel = os.path.relpath(full, root).replace(os.sep, "/")
                    with open(full, encoding="utf-8", errors="replace") as f:
                        yield rel, f.read()


def self_test(rank):
    """The check must catch an upward and a sideways include, and pass a downward one."""
    cases = [
        ("sync/core/x.cpp", '#include "client/store/store.h"\n', 1),
        ("sync/client/x.cpp", '#include "client/store/store.h"\n', 1),
        ("client/ui/x.h", '#include "client/app/model.h"\n', 1),
        ("platform/x.cpp", '#include "sync/core/result.h"\n', 1),
        ("sync/x.cpp", "", 1),
        ("client/store/x.cpp", '#include "sync/replica/replica.h"\n#include <vector>\n', 0),
        ("client/store/x.cpp", '#include "client/store/store.h"\n', 0),
        ("client/main.cpp", '#include "client/app/app.h"\n', 0),
    ]
    for path, text, want in cases:
        got = len(list(check_file(path, text, rank)))
        if got != want:
            print(f"check-layers self-test failed on {path}: {got} violations, expected {want}")
            return False
    return True


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    rank = ranks()
    if not self_test(rank):
        return 2
    files = list(sources(root, rank))
    found = [v for path, text in files for v in check_file(path, text, rank)]
    for v in found:
        print(v)
    if found:
        print(f"{len(found)} include(s) break the layer order (docs/architecture.md)")
        return 1
    order = " -> ".join("{" + ", ".join(t) + "}" if len(t) > 1 else t[0] for t in TIERS)
    print(f"layers ok: {len(files)} files; {order}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
