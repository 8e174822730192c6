#!/usr/bin/env bash
# The main job in its quick form (its wall time is printed, not asserted: timings belong in
# bench/): writes every variant's model file
# and report.json/md/html, report.json matches docs/report.schema.json and agrees with the
# files on disk; a second run reuses the cached trained models.
# Usage: demo_quick.sh path/to/quantize [OUT] (OUT is kept for the report_html test)
set -euo pipefail
QZ=${1:?usage: demo_quick.sh path/to/quantize [OUT]}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=${2:-$dir/out}
rm -rf "$out"
start=$(date +%s)
"$QZ" demo --quick --out "$out" --quiet > "$dir/first.txt"
seconds=$(( $(date +%s) - start ))
"$QZ" demo --quick --out "$out" --quiet > "$dir/second.txt"
grep -q "report.html" "$dir/first.txt"
python3 "$here/check_schema.py" "$here/../../docs/report.schema.json" "$out/report.json"
python3 - "$out" "$seconds" <<'PY'
import json, os, sys
out, seconds = sys.argv[1], int(sys.argv[2])
r = json.load(open(os.path.join(out, "report.json")))
names = [v["name"] for v in r["variants"]]
assert {"mlp-fp32", "cnn-fp32", "transformer-fp32", "mlp-int4", "cnn-int8-dynamic",
        "transformer-int4-mixed"} <= set(names), names
for v in r["variants"]:
    assert os.path.getsize(v["file"]) == v["bytes"], v["name"]
    for b in ("1", "32"):
        lat = v["latency_ms"][b]
        assert 0 < lat["median"] <= lat["p90"], (v["name"], lat)
    assert v["worst_slice"] in v["slices"], v["name"]
    drop = v["accuracy_drop"] <= r["budget"]["max_drop"] and \
        v["worst_slice_drop"] <= r["budget"]["max_slice_drop"]
    assert v["within_budget"] == drop, v["name"]
base = {v["name"]: v for v in r["variants"] if v["base"] == ""}
for v in r["variants"]:
    if v["base"]:
        b = base[v["base"]]
        assert v["bytes"] < b["bytes"], v["name"]
        assert abs(v["accuracy_drop"] - 100 * (b["accuracy"] - v["accuracy"])) < 1e-9, v["name"]
        assert abs(v["x_smaller"] - b["bytes"] / v["bytes"]) < 1e-9, v["name"]
for o, best in r["best"].items():
    fam = [v for v in r["variants"] if v["name"] == o or v["base"] == o]
    ok = [v for v in fam if v["within_budget"]]
    if ok:
        assert best["smallest"] == min(ok, key=lambda v: v["bytes"])["name"], o
    assert any(v["pareto_size"] for v in fam) and any(v["pareto_latency"] for v in fam), o
# The CNN (the one built-in model with BatchNorm) carries its fusion figures: fewer operators,
# equal outputs, both forms timed at batch 1 and 32.
fusion = {f["model"]: f for f in r["fusion"]}
assert set(fusion) == {"cnn-fp32"}, fusion
f = fusion["cnn-fp32"]
assert f["graph_ops"]["fused"] < f["graph_ops"]["unfused"], f
assert f["max_abs_diff"] <= 1e-4, f
for b in ("1", "32"):
    l = f["latency_ms"][b]
    assert l["unfused"] > 0 and l["fused"] > 0, f
    assert abs(l["speedup"] - l["unfused"] / l["fused"]) < 1e-9, f
md = open(os.path.join(out, "report.md")).read()
assert "## Operator fusion" in md and "cnn-fp32" in md.split("## Operator fusion")[1], md
print(f"first run {seconds} s")
PY
second=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for v in r['variants'] if v['details'].get('cached')))" "$out/report.json")
[ "$second" = 3 ] || { echo "second run re-trained: $second of 3 models cached" >&2; exit 1; }
for f in report.md report.html; do [ -s "$out/$f" ] || { echo "missing $out/$f" >&2; exit 1; }; done
echo "1 passed, 0 failed"
