#!/usr/bin/env bash
# The method registry reaches the CLI: every method `quantize methods` lists appears in
# `compress --help` and has a trial in tune, and every option has a flag whose help states the
# method's text, the option's range and its default (the help is generated from the same
# registry).
set -euo pipefail
Q=${1:?usage: method_registry.sh path/to/quantize}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$Q" methods --json >"$dir/methods.json"
"$Q" compress --help >"$dir/help.txt"
"$Q" methods >"$dir/methods.txt"
python3 - "$dir/methods.json" "$dir/help.txt" <<'PY'
import json, re, sys
reg = json.load(open(sys.argv[1]))
help_text = open(sys.argv[2]).read()
# Each flag's help block: its line and the wrapped lines under it.
blocks, current = {}, None
for line in help_text.splitlines():
    m = re.match(r"^\s+(?:-\w,\s*)?(--[\w-]+)", line)
    if m:
        current = m.group(1)
        blocks[current] = line
    elif current and line.startswith("      ") and line.strip():
        blocks[current] += " " + line.strip()
    else:
        current = None
errors = []
for m in reg["methods"]:
    name = m["name"]
    if not re.search(r"\b" + re.escape(name) + r"\b", help_text):
        errors.append(f"method {name}: not in compress --help")
    if "quantize" in m and not m.get("tune_trials"):
        errors.append(f"method {name}: tune has no trial for it")
    if set(m["options"]) != {o["key"] for o in m["option_specs"]}:
        errors.append(f"method {name}: options and option_specs differ")
    for o in m["option_specs"]:
        key, default, flag = o["key"], o["default"], o["flag"]
        if flag not in blocks:
            errors.append(f"method {name}: option '{key}' has no flag {flag}")
            continue
        if o["range"] and o["range"] not in blocks[flag]:
            errors.append(f"method {name}: {flag} help does not state its range {o['range']}")
        if o["help"] not in blocks[flag]:
            errors.append(f"method {name}: {flag} help lacks {name}'s text {o['help']!r}")
        if isinstance(default, (list, dict)):
            continue  # empty: nothing to state
        if isinstance(default, bool):
            text = "default on" if default else "default off"
        else:
            text = "default " + (default if isinstance(default, str) else json.dumps(default))
        if text not in blocks[flag]:
            errors.append(f"method {name}: {flag} help does not state {text}: {blocks[flag]!r}")
if errors:
    print("FAIL:\n" + "\n".join(errors))
    sys.exit(1)
print(f"ok   {len(reg['methods'])} methods: in compress --help, with tune trials, defaults stated")
PY
grep -q "int4-asym" "$dir/methods.txt" || { echo "FAIL: methods lists no formats"; exit 1; }
