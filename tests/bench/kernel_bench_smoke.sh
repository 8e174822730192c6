#!/usr/bin/env bash
# The per-ISA kernel benchmark and its table run end to end at M = 1 on a 256×512 matrix: every kernel is measured
# at every ISA level this CPU supports, and ratios.py puts each level's time (with its speed-up
# over the reference) in that kernel's row.
set -euo pipefail
BENCH=${1:?usage: kernel_bench_smoke.sh path/to/qz_kernel_bench path/to/ratios.py}
RATIOS=${2:?usage: kernel_bench_smoke.sh path/to/qz_kernel_bench path/to/ratios.py}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$BENCH" --n=256 --k=512 --benchmark_filter='/M:1/' --benchmark_min_time=0.01 --benchmark_out="$dir/k.json" \
  --benchmark_out_format=json >/dev/null 2>"$dir/stderr" || { cat "$dir/stderr"; exit 1; }
python3 "$RATIOS" "$dir/k.json" --markdown "$dir/k.md" >/dev/null
kernels=$("$BENCH" --n=256 --k=512 --benchmark_list_tests --benchmark_filter='/M:1/' | sed -E 's|^kernel/(.*)__[a-z0-9_]+/N:.*|\1|' | sort -u)
levels=$("$BENCH" --n=256 --k=512 --benchmark_list_tests --benchmark_filter='/M:1/' | sed -E 's|^kernel/.*__([a-z0-9_]+)/N:.*|\1|' | sed 's/avx512vnni/avx512/' | sort -u)
[ "$(echo "$kernels" | wc -l)" -ge 12 ] || { echo "FAIL: too few kernels: $kernels"; exit 1; }
echo "$levels" | grep -qx ref || { echo "FAIL: no ref level: $levels"; exit 1; }
header=$(grep -m1 '^| kernel | N | K | M |' "$dir/k.md") || { echo "FAIL: no ISA table"; cat "$dir/k.md"; exit 1; }
for level in $levels; do
  echo "$header" | grep -q "| $level |\|| $level$" || { echo "FAIL: no $level column: $header"; exit 1; }
done
columns=$(echo "$levels" | wc -l)
for kernel in $kernels; do
  row=$(grep "^| $kernel | 256 | 512 | 1 |" "$dir/k.md") || { echo "FAIL: no row for $kernel"; exit 1; }
  measured=$(echo "$row" | grep -o '| [0-9][0-9.]*' | wc -l)
  # N, K and M, then one time per level.
  if [ "$measured" -ne $((3 + columns)) ]; then
    echo "FAIL: $kernel is not measured at every level ($levels): $row"
    exit 1
  fi
done
# A bad size is one line naming the flag, exit code 2.
set +e
err=$("$BENCH" --n=0 2>&1 >/dev/null); code=$?
set -e
[ "$code" -eq 2 ] && [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ] && [[ "$err" == *"--n=0"* ]] ||
  { echo "FAIL: --n=0 gave exit $code: $err"; exit 1; }
echo "ok   kernel bench smoke: $(echo "$kernels" | wc -l) kernels at $(echo $levels) side by side"
