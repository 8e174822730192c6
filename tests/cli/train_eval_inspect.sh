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
"$QZ" compress mlp.safetensors --method int4 --sym --group 64 --out mlp-int4.safetensors --quiet > compress.txt
grep -q "smaller" compress.txt
"$QZ" eval mlp-int4.safetensors --json eval-int4.json --quiet > /dev/null
"$QZ" inspect mlp-int4.safetensors --json > inspect-int4.json
"$QZ" bench mlp-int4.safetensors --batch 1,8 --seconds 0.1 --json bench.json --quiet > /dev/null
"$QZ" sensitivity mlp.safetensors --method int4 --json sensitivity.json --quiet > /dev/null
"$QZ" compress mlp.safetensors --method int4 --max-drop 0 --out mlp-mixed.safetensors --quiet > mixed.txt
grep -q "mixed precision:" mixed.txt
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
q = json.load(open("inspect-int4.json"))
tensors = {t["name"]: t for t in q["tensors"]}
assert tensors["fc1.weight_packed"]["dtype"] == "U8" and tensors["fc1.weight_packed"]["shape"] == [512, 128]
assert tensors["fc1.weight_scale"]["dtype"] == "F16" and tensors["fc1.weight_scale"]["shape"] == [512, 4]
scheme = q["metadata"]["quantization_config"]["layers"]["fc1"]
assert scheme == {"format": "int4-sym", "group": 64, "bits": 4, "symmetric": True, "range": "minmax", "activations": "none"}, scheme
assert q["metadata"]["provenance"]["step"] == "compress"
e4 = json.load(open("eval-int4.json"))
stored = q["metadata"]["metrics"]["test"]["accuracy"]
assert abs(e4["accuracy"] - stored) < 1e-5, (e4["accuracy"], stored)  # the reloaded file measures the same
s = json.load(open("sensitivity.json"))
assert [l["layer"] for l in s["layers"]] and sorted(l["layer"] for l in s["layers"]) == ["fc1", "fc2", "head"]
drops = [l["drop_points"] for l in s["layers"]]
assert drops == sorted(drops, reverse=True), drops
b = json.load(open("bench.json"))
assert set(b["latency_ms"]) == {"1", "8"}, b
assert all(0 < v["median"] <= v["p90"] for v in b["latency_ms"].values()), b
d = json.load(open("doctor.json"))
assert d["blas"]["full_speed"], d["blas"]
assert d["measured"]["fp32_gemm_gflops_1024"] > 0
# The FP32 FMA peak bounds any FP32 GEMM; the int8 peak is there with AVX-512 VNNI.
assert d["measured"]["fp32_peak_gflops_1thread"] > 0, d["measured"]
if d["kernels"]["isa"] == "avx512":
    assert d["measured"]["int8_peak_gops_1thread"] > d["measured"]["fp32_peak_gflops_1thread"]
print("1 passed, 0 failed")
PY
