#!/usr/bin/env python3
"""Fails when a file of src/ is over 1,000 lines, or when files under src/
include each other, directly or around a circle. A file is a .c or .h; "a includes b" when a has #include "b" and b
is a file of src/ (found by name, as the build's include paths do). A .c and
its own .h are one unit, so sb-thing.c including sb-thing.h is no edge; a
unit's edges are those of both files."""
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

units = {}   # unit name (file name without extension) -> set of unit names
where = {}
for folder, _, names in os.walk(root):
    for name in names:
        if not name.endswith((".c", ".h")):
            continue
        unit = name.rsplit(".", 1)[0]
        where.setdefault(unit, os.path.relpath(os.path.join(folder, name), os.path.join(root, "..")))
        units.setdefault(unit, set())
for folder, _, names in os.walk(root):
    for name in names:
        if not name.endswith((".c", ".h")):
            continue
        unit = name.rsplit(".", 1)[0]
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for target in include.findall(f.read()):
                t = os.path.basename(target).rsplit(".", 1)[0]
                if t in units and t != unit:
                    units[unit].add(t)

# A class split by concern (sb-thing.c, sb-thing-actions.c, …) shares
# sb-thing-private.h: a file sb-thing-*.c that includes it belongs to
# sb-thing, and so does the private header itself. (A subclass that
# includes its parent's private header stays a unit of its own.)
parts = {}
for u, targets in units.items():
    for t in targets:
        base = t[:-len("-private")]
        if t.endswith("-private") and base in units and u.startswith(base + "-"):
            parts[u] = base

def owner(unit):
    if unit.endswith("-private") and unit[:-len("-private")] in units:
        return unit[:-len("-private")]
    return parts.get(unit, unit)

graph = {}
for u, targets in units.items():
    graph.setdefault(owner(u), set()).update(owner(t) for t in targets if owner(t) != owner(u))

# Tarjan's strongly connected components.
index, low, stack, on_stack, cycles = {}, {}, [], set(), []
counter = [0]
sys.setrecursionlimit(10000)

def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on_stack.add(v)
    for w in sorted(graph.get(v, ())):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            cycles.append(sorted(comp))

for v in sorted(graph):
    if v not in index:
        visit(v)

# No source file over 1,000 lines: a class that grows past it splits by
# concern (sb-thing-*.c sharing sb-thing-private.h).
MAX_LINES = 1000
too_long = []
for folder, _, names in os.walk(root):
    for name in sorted(names):
        if name.endswith((".c", ".h")):
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                n = sum(1 for _ in f)
            if n > MAX_LINES:
                too_long.append((os.path.relpath(path, os.path.join(root, "..")), n))

failed = False
print("1..2")
if cycles:
    print("not ok 1 - no include cycles in src/")
    for comp in cycles:
        print("# cycle: " + " <-> ".join(comp))
    failed = True
else:
    print("ok 1 - no include cycles in src/ (%d units)" % len(graph))
if too_long:
    print("not ok 2 - no file in src/ over %d lines" % MAX_LINES)
    for path, n in too_long:
        print("# %s: %d lines" % (path, n))
    failed = True
else:
    print("ok 2 - no file in src/ over %d lines" % MAX_LINES)
sys.exit(1 if failed else 0)
