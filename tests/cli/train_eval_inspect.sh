#!/usr/bin/env bash
# A model through the CLI: train (one epoch), eval --json, inspect, doctor; outputs are checked.
set -euo pipefail
QZ=${1:?usage: train_eval_inspect.sh path/to/quantize}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

"$QZ" train --arch mlp --data shapes --epochs 1 --out mlp.safetensors --quiet > train.txt
grep -q "saved mlp.safetensors" train.txt
"$QZ" eval mlp.safetensors --json eval.json > eval.txt
grep -q "worst slice" eval.txt
"$QZ" inspect mlp.safetensors > inspect.txt
grep -q "fc1.weight" inspect.txt
"$QZ" inspect mlp.safetensors --json > inspect.json
"$QZ" doctor --json > doctor.json
# No temporary files left beside the outputs.
[ -z "$(find . -name '.*.tmp.*')" ]

python3 - <<'PY'
import json
e = json.load(open("eval.json"))
assert 0.3 < e["accuracy"] <= 1, e["accuracy"]
assert e["loss"] > 0
assert e["worst_slice"] in e["slices"], e["worst_slice"]
assert all(set(s) == {"accuracy", "count"} for s in e["slices"].values())
assert sum(e["slices"][f"noise={n}"]["count"] for n in ("low", "mid", "high")) == e["samples"]
i = json.load(open("inspect.json"))
names = {t["name"] for t in i["tensors"]}
assert {"fc1.weight", "fc2.bias", "head.weight"} <= names, names
assert i["metadata"]["format"] == "quantize"
assert i["metadata"]["config"]["arch"] == "mlp"
assert i["metadata"]["quantization_config"]["layers"]["fc1"]["format"] == "fp32"
assert i["file_bytes"] == 8 + i["header_bytes"] + i["tensor_bytes"]
d = json.load(open("doctor.json"))
assert d["blas"]["full_speed"], d["blas"]
assert d["measured"]["fp32_gemm_gflops_1024"] > 0
print("1 passed, 0 failed")
PY
