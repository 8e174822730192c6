#!/usr/bin/env bash
# The HTML report in a real browser: `quantize report DIR` regenerates the reports from
# report.json with a new budget; headless Chromium renders report.html, its DOM holds every
# chart (two scatters with a Pareto frontier and a slice map per model, one point per variant)
# and the operator-fusion table, and its screenshot shows the charts' colours.
# Usage: report_html.sh path/to/quantize DIR (a finished `quantize demo --quick --out DIR`)
set -euo pipefail
QZ=${1:?usage: report_html.sh path/to/quantize DIR}
DIR=${2:?usage: report_html.sh path/to/quantize DIR}
here=$(cd "$(dirname "$0")" && pwd)
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  echo "report_html: chromium is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$DIR" "$work/report"

"$QZ" report "$work/report" --max-drop 2.5 --max-slice-drop 50 --quiet > "$work/report.txt"
grep -q "report.html" "$work/report.txt"
python3 "$here/check_schema.py" "$here/../../docs/report.schema.json" "$work/report/report.json"

chrome() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars "$@" 2> "$work/chromium.log"
}
chrome --dump-dom "file://$work/report/report.html" > "$work/dom.html"
chrome --window-size=1400,1800 --screenshot="$work/shot.png" "file://$work/report/report.html" \
  > /dev/null

python3 - "$work" "$here" <<'PY'
import json, re, sys
work, here = sys.argv[1], sys.argv[2]
sys.path.insert(0, here)
from png_pixels import read_png

report = json.load(open(f"{work}/report/report.json"))
assert report["budget"]["max_drop"] == 2.5, report["budget"]
dom = open(f"{work}/dom.html").read()
originals = [v["name"] for v in report["variants"] if v["base"] == ""]
assert len(originals) == 3, originals
failures = []
for o in originals:
    members = [v for v in report["variants"] if v["name"] == o or v["base"] == o]
    slices = {s for v in members for s in v["slices"]}
    for kind in ("size", "latency"):
        m = re.search(rf'<svg[^>]*id="{re.escape(o)}-accuracy-vs-{kind}".*?</svg>', dom, re.S)
        if not m:
            failures.append(f"{o}: no accuracy-vs-{kind} chart")
            continue
        svg = m.group(0)
        if svg.count("<circle") != len(members):
            failures.append(f"{o} {kind}: {svg.count('<circle')} points for {len(members)} variants")
        if 'class="frontier"' not in svg:
            failures.append(f"{o} {kind}: no Pareto frontier")
        if 'class="budget"' not in svg:
            failures.append(f"{o} {kind}: no budget line")
        flagged = sum(v["pareto_" + kind] for v in members)
        if svg.count("on-frontier") != flagged:
            failures.append(f"{o} {kind}: {svg.count('on-frontier')} frontier points, json says {flagged}")
    m = re.search(rf'<svg[^>]*id="{re.escape(o)}-slices".*?</svg>', dom, re.S)
    if not m or m.group(0).count('class="cell"') != len(members) * len(slices):
        failures.append(f"{o}: slice map missing or incomplete")

m = re.search(r'<section id="fusion">.*?</section>', dom, re.S)
if not m or m.group(0).count("<tr>") != 1 + sum(len(f["latency_ms"]) for f in report["fusion"]):
    failures.append("no operator-fusion table with a row per model and batch size")

width, height, rows = read_png(f"{work}/shot.png")
assert (width, height) == (1400, 1800), (width, height)
def count(rgb, tol=40):
    return sum(1 for row in rows for p in row if sum(abs(a - b) for a, b in zip(p, rgb)) <= tol)
frontier = count((0x75, 0x70, 0xB3))   # the frontier line and rings
ink = sum(1 for row in rows for p in row if p != (255, 255, 255))
if frontier < 200:
    failures.append(f"screenshot: only {frontier} frontier-coloured pixels")
if ink < 0.02 * width * height:
    failures.append(f"screenshot: nearly blank ({ink} non-white pixels)")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"1 passed, 0 failed ({len(originals)} models, {frontier} frontier pixels)")
PY
