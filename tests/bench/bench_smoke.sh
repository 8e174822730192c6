#!/usr/bin/env bash
# The benchmark and its ratio report run end to end on one small shape: every provider of the
# case produces a time, and ratios.py turns the JSON into rows with ratios to the FP32 baseline.
set -euo pipefail
BENCH=${1:?usage: bench_smoke.sh path/to/qz_matmul_bench path/to/ratios.py}
RATIOS=${2:?usage: bench_smoke.sh path/to/qz_matmul_bench path/to/ratios.py}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$BENCH" --benchmark_filter='/N:3072/K:768/M:(1|8)/threads:1/cache:hot' \
  --benchmark_min_time=0.01 --benchmark_out="$dir/b.json" --benchmark_out_format=json \
  >/dev/null 2>"$dir/stderr" || { cat "$dir/stderr"; exit 1; }
python3 "$RATIOS" "$dir/b.json" --markdown "$dir/b.md" >/dev/null
for provider in blas:fp32 torch:fp32 torch:int8-onednn ours:int8-dynamic ours:int4-g128 ours:nf4-g64 ours:bf16; do
  rows=$(grep -c "^| $provider | [0-9.]* | [0-9.]* | [0-9.]* | [0-9.]*x |" "$dir/b.md" || true)
  if [ "$rows" -ne 2 ]; then
    echo "FAIL: $provider has $rows measured rows with an FP32 ratio (expected 2: M=1 and M=8)"
    cat "$dir/b.md"
    exit 1
  fi
done
grep -q "^## Targets" "$dir/b.md" || { echo "FAIL: no targets section"; exit 1; }
echo "ok   bench smoke: every provider measured at M=1 and M=8, ratios computed"
