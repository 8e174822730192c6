#!/usr/bin/env bash
# The build enforces docs/architecture.md's module table. build/module_layers.txt (written by
# CMakeLists.txt from the same lists that link the libraries) says which modules each module
# uses; a module may reach those and what they use in turn. This fails when
#   - a module's library refers to a symbol that a module outside that set defines (a
#     back-edge in the link, caught even where a static link happens to resolve it), or
#   - a module's source includes a header of a module outside that set.
set -euo pipefail
build=${1:?usage: module_layers.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: module_layers.sh BUILD_DIR SOURCE_DIR [LAYERS_FILE]}
layers=${3:-$build/module_layers.txt}  # another table: how the self-test plants a back-edge
python3 - "$build" "$src" "$layers" <<'PY'
import os, re, subprocess, sys
build, src, layers = sys.argv[1], sys.argv[2], sys.argv[3]
uses = {}
for line in open(layers):
    if line.strip():
        module, _, deps = line.partition(":")
        uses[module.strip()] = deps.split()

def reachable(m, seen=None):
    seen = set() if seen is None else seen
    for d in uses[m]:
        if d not in seen:
            seen.add(d)
            reachable(d, seen)
    return seen

def symbols(module, defined):
    lib = os.path.join(build, f"libqz_{module}.a")
    flag = "--defined-only" if defined else "--undefined-only"
    out = subprocess.run(["nm", "-g", "-P", flag, lib], capture_output=True, text=True,
                         check=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        # "name type ..." rows; weak definitions (W, V) are inline code every user may hold.
        if len(parts) >= 2 and not parts[0].endswith(":") and (not defined or parts[1] in "TDBR"):
            names.add(parts[0])
    return names

defined = {m: symbols(m, True) for m in uses}
errors = []
for m in uses:
    allowed = reachable(m) | {m}
    undefined = symbols(m, False)
    for other in uses:
        if other in allowed:
            continue
        crossing = sorted(undefined & defined[other])
        if crossing:
            errors.append(f"{m} uses {other} ({len(crossing)} symbols, e.g. {crossing[0]}) but "
                          f"may use only {', '.join(sorted(allowed - {m})) or 'nothing'}")
    for root, _, files in os.walk(os.path.join(src, "src", m)):
        for f in files:
            path = os.path.join(root, f)
            for n, line in enumerate(open(path, encoding="utf-8"), 1):
                inc = re.match(r'#include "([a-z_]+)/', line)
                if inc and inc.group(1) in uses and inc.group(1) not in allowed:
                    errors.append(f"{os.path.relpath(path, src)}:{n}: includes {inc.group(1)}/, "
                                  f"outside what {m} may use")
if errors:
    print("FAIL: module layers crossed:\n  " + "\n  ".join(errors))
    sys.exit(1)
print(f"ok   {len(uses)} modules: every symbol and include stays within its module's uses")
PY
