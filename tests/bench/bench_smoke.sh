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
# Every provider the benchmark registers for the case (each row of io/quantize_methods.h is one).
filter='/N:3072/K:768/M:1/threads:1/cache:hot'
providers=$("$BENCH" --benchmark_list_tests --benchmark_filter="$filter" | sed -E 's|^matmul/([^/]*)/.*|\1|' | sort -u)
[ "$(echo "$providers" | grep -c '^ours:')" -ge 10 ] || { echo "FAIL: too few of our methods: $providers"; exit 1; }
for provider in $providers; do
  rows=$(grep -c "^| $provider | [0-9.]* | [0-9.]* | [0-9.]* | [0-9.]*x |" "$dir/b.md" || true)
  if [ "$rows" -ne 2 ]; then
    echo "FAIL: $provider has $rows measured rows with an FP32 ratio (expected 2: M=1 and M=8)"
    cat "$dir/b.md"
    exit 1
  fi
done
grep -q "^## Targets" "$dir/b.md" || { echo "FAIL: no targets section"; exit 1; }
echo "ok   bench smoke: every provider measured at M=1 and M=8, ratios computed"
