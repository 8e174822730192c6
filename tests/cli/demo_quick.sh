#!/usr/bin/env bash
# The main job in its quick form: runs, writes every variant's model file and report.json with
# the documented keys; a second run reuses the cached trained models.
set -euo pipefail
QZ=${1:?usage: demo_quick.sh path/to/quantize}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$QZ" demo --quick --out "$dir/out" --quiet > "$dir/first.txt"
"$QZ" demo --quick --out "$dir/out" --quiet > "$dir/second.txt"
grep -q "cached" "$dir/second.txt"
python3 - "$dir/out" <<'PY'
import json, os, sys
out = sys.argv[1]
r = json.load(open(os.path.join(out, "report.json")))
names = [v["name"] for v in r["variants"]]
assert {"mlp-fp32", "cnn-fp32", "transformer-fp32", "mlp-int4", "cnn-int8-dynamic"} <= set(names), names
for v in r["variants"]:
    for key in ("name", "method", "file", "bytes", "accuracy", "accuracy_drop", "worst_slice", "latency_ms"):
        assert key in v, (v["name"], key)
    assert os.path.getsize(v["file"]) == v["bytes"], v["name"]
    assert 0 <= v["accuracy"] <= 1
    for b in ("1", "32"):
        lat = v["latency_ms"][b]
        assert 0 < lat["median"] <= lat["p90"], (v["name"], lat)
base = {v["name"]: v for v in r["variants"] if v["base"] == ""}
for v in r["variants"]:
    if v["base"]:
        assert v["bytes"] < base[v["base"]]["bytes"], v["name"]
print("1 passed, 0 failed")
PY
