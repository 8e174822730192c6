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
# --llama: test-quantize-perf's output format (bench/llama_cpp_quantize_perf.sh), here with a
# made-up throughput of 4 GB/s of float32, i.e. 4 / (4 * 2^30) s = 0.9313 ns per value.
cat >"$dir/llama.txt" <<'TXT'
q4_0
  vec_dot_q
    655360 values (2.50 MB)
      min cycles/32 vals   :      3.06
      avg cycles/32 vals   :      3.19
      float32 throughput   :      4.00 GB/s
      quantized throughput :      0.56 GB/s

q8_0
  vec_dot_q
    655360 values (2.50 MB)
      float32 throughput   :      4.00 GB/s
      quantized throughput :      1.06 GB/s
TXT
python3 "$RATIOS" "$dir/b.json" --llama "$dir/llama.txt" --markdown "$dir/l.md" >/dev/null
for pair in "int8-dynamic q8_0" "int4-dynamic-g128 q4_0"; do
  set -- $pair
  grep -qE "^\| $1 \| 3072×768 \| hot \| [0-9.]+ \| $2 vec_dot \| 655360 \| 0\.9313 \| [0-9.]+x \|$" "$dir/l.md" ||
    { echo "FAIL: no llama.cpp row for $1 beside $2"; cat "$dir/l.md"; exit 1; }
done
echo "not test-quantize-perf output" >"$dir/bad.txt"
if python3 "$RATIOS" "$dir/b.json" --llama "$dir/bad.txt" >/dev/null 2>"$dir/err"; then
  echo "FAIL: a --llama file without figures was accepted"; exit 1
fi
grep -q "^ratios.py: --llama .*bad.txt: no vec_dot_q figures" "$dir/err" ||
  { echo "FAIL: unclear error: $(cat "$dir/err")"; exit 1; }
echo "ok   bench smoke: every provider measured at M=1 and M=8, ratios computed, llama.cpp rows"
