#!/usr/bin/env bash
# TorchScript export checked in PyTorch itself: briefly trained MLP, CNN and transformer, FP32
# (fused and not), int8 and fp16, each exported by `quantize export`, loaded by Debian's
# python3-torch with torch.jit.load and compared with quantize's own outputs on a seeded sample
# (FP32: max |diff| <= 1e-5; int8: within 15% of the largest output and 95% top-1 agreement;
# fp16 weights: 1e-4). Bad input gets exit code 2 and writes nothing.
# Usage: export_torchscript.sh path/to/quantize
set -euo pipefail
QZ=${1:?usage: export_torchscript.sh path/to/quantize}
here=$(cd "$(dirname "$0")" && pwd)
# PyTorch in Python runs OpenBLAS at the core OpenBLAS detects (Debian's build sees these VMs as
# Prescott), quantize at the one its CPU features pick (SkylakeX, Haswell). Two cores sum in
# different orders: the transformer's FP32 logits then differ by ~1e-6 of their size (1.4e-5
# measured). So PyTorch runs here at quantize's core, where FP32 exports must give the same
# numbers (measured: 0 difference).
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  OPENBLAS_CORETYPE=$("$QZ" doctor --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["blas"]["core"])')
  export OPENBLAS_CORETYPE
fi
check="/usr/bin/python3 $here/../export/check_torchscript.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$QZ" train --arch mlp --epochs 1 --out "$work/mlp.safetensors" --quiet > /dev/null
"$QZ" train --arch cnn --epochs 1 --out "$work/cnn.safetensors" --quiet > /dev/null
"$QZ" train --arch transformer --data addition --epochs 1 --out "$work/tf.safetensors" --quiet > /dev/null

export_and_check() {  # name model tolerance [relative] [--fuse]
  local name=$1 model=$2 tol=$3 mode=${4:-absolute}
  shift 4 || shift $#
  "$QZ" export "$model" --out "$work/$name.pt" --sample "$work/$name.sample.safetensors" \
    --json "$work/$name.json" "$@" > "$work/$name.log"
  $check "$work/$name.pt" "$work/$name.sample.safetensors" "$tol" "$mode"
}

for arch in mlp cnn tf; do
  export_and_check "$arch" "$work/$arch.safetensors" 1e-5 absolute
  export_and_check "$arch-fused" "$work/$arch.safetensors" 1e-5 absolute --fuse
  "$QZ" compress "$work/$arch.safetensors" --method int8 --out "$work/$arch-int8.safetensors" --quiet > /dev/null
  export_and_check "$arch-int8" "$work/$arch-int8.safetensors" 0.15 relative
  "$QZ" compress "$work/$arch.safetensors" --method fp16 --out "$work/$arch-fp16.safetensors" --quiet > /dev/null
  export_and_check "$arch-fp16" "$work/$arch-fp16.safetensors" 1e-4 absolute
done

"$QZ" bench "$work/cnn.safetensors" --batch 1,4 --seconds 0.2 --json "$work/bench.json" \
  > "$work/bench.txt"
grep -q "fusion (BatchNorm folded" "$work/bench.txt"
# A transformer benches decoding at the contexts asked for, and not at all with --no-decode.
"$QZ" bench "$work/tf-int8.safetensors" --batch 1 --seconds 0.05 --context 8 --decode-tokens 2 \
  --json "$work/tf-bench.json" --quiet > /dev/null
"$QZ" bench "$work/tf-int8.safetensors" --batch 1 --seconds 0.05 --no-decode \
  --json "$work/tf-bench-no-decode.json" --quiet > /dev/null

python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
bench = json.load(open(f"{w}/bench.json"))["fusion"]
assert bench["applies"] and bench["graph_ops"]["fused"] < bench["graph_ops"]["unfused"], bench
assert bench["max_abs_diff"] <= 1e-5, bench
for b in ("1", "4"):
    l = bench["latency_ms"][b]
    assert l["fused"] > 0 and abs(l["speedup"] - l["unfused"] / l["fused"]) < 1e-9, bench
decoding = json.load(open(f"{w}/tf-bench.json"))["decoding"]
assert decoding and {d["context"] for d in decoding} == {8}, decoding
assert "decoding" not in json.load(open(f"{w}/tf-bench-no-decode.json"))
fused = json.load(open(f"{w}/cnn-fused.json"))
assert fused["folded_batch_norm"], fused
assert fused["graph_ops"] < fused["graph_ops_unfused"], fused
assert fused["max_abs_diff"] <= 1e-5, fused
int8 = json.load(open(f"{w}/mlp-int8.json"))
assert set(int8["layers"].values()) == {"int8 quantized::linear_dynamic"}, int8["layers"]
fp16 = json.load(open(f"{w}/tf-fp16.json"))
assert all(v == "fp16 weights, upcast" for v in fp16["layers"].values()), fp16["layers"]
PY
# int4 has no PyTorch kernel: exported dequantized, with a warning per layer.
"$QZ" compress "$work/mlp.safetensors" --method int4 --out "$work/mlp-int4.safetensors" --quiet > /dev/null
"$QZ" export "$work/mlp-int4.safetensors" --out "$work/mlp-int4.pt" 2> "$work/int4.err" > /dev/null
grep -q "exported dequantized" "$work/int4.err"

# Bad input: exit code 2, one line, no output file.
printf 'not a model' > "$work/junk.safetensors"
set +e
err=$("$QZ" export "$work/junk.safetensors" --out "$work/junk.pt" 2>&1 >/dev/null); code=$?
set -e
[ "$code" -eq 2 ] && [[ "$err" == *junk.safetensors* ]] && [ ! -e "$work/junk.pt" ] \
  || { echo "FAIL bad input: exit $code: $err"; exit 1; }
echo "export_torchscript: ok"
