#!/usr/bin/env bash
# The foundation's acceptance figures, with the CLI's defaults: MLP ≥ 90% and CNN ≥ 95% test
# accuracy on shapes; transformer ≥ 95% exact match on sums of 1–3 digit operands. Prints the
# figures and the times.
set -euo pipefail
QZ=${1:?usage: acceptance.sh path/to/quantize}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
for arch in mlp cnn transformer; do
  start=$(date +%s)
  "$QZ" train --arch "$arch" --out "$arch.safetensors" --quiet
  echo "$arch trained in $(( $(date +%s) - start ))s"
  "$QZ" eval "$arch.safetensors" --json "$arch.json" --quiet > /dev/null
done
python3 - <<'PY'
import json
mlp, cnn, tf = (json.load(open(f"{a}.json")) for a in ("mlp", "cnn", "transformer"))
print(f"mlp accuracy {mlp['accuracy']:.4f}, cnn accuracy {cnn['accuracy']:.4f}")
assert 0.90 <= mlp["accuracy"] <= 0.97, mlp["accuracy"]
assert cnn["accuracy"] >= 0.95, cnn["accuracy"]
s = tf["slices"]
hits = sum(s[f"digits={d}"]["accuracy"] * s[f"digits={d}"]["count"] for d in (1, 2, 3))
count = sum(s[f"digits={d}"]["count"] for d in (1, 2, 3))
print(f"transformer exact match on 1-3 digit operands {hits / count:.4f} (n={count}), all {tf['exact_match']:.4f}")
assert hits / count >= 0.95
print("1 passed, 0 failed")
PY
