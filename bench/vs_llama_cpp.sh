#!/usr/bin/env bash
# Our int8 and int4 kernels beside llama.cpp's in one run, at each x86 level this CPU has:
# llama.cpp's test-quantize-perf (bench/llama_cpp_quantize_perf.sh: ggml native and AVX2-only),
# then qz_matmul_bench on the 4096×4096 layer at M = 1 (weights in cache and from memory), 32
# and 128, on 1 and 2 threads, natively and under the AVX2 emulation (QZ_ISA=avx2 with onednn
# and OpenBLAS held to AVX2 too), and bench/ratios.py on each with llama.cpp's figures of the
# same level: the tables, the targets and the ceilings, as OUT_DIR/ratios_<level>.md.
#
#   bench/vs_llama_cpp.sh OUT_DIR [BUILD_DIR]      (about 15 minutes on 2 cores)
set -euo pipefail
out=${1:?usage: bench/vs_llama_cpp.sh OUT_DIR [BUILD_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
build=${2:-$here/../build}
bench=$build/bench/qz_matmul_bench
[ -x "$bench" ] || { echo "vs_llama_cpp.sh: $bench: not built (cmake --build $build)" >&2; exit 2; }
mkdir -p "$out"
"$here/llama_cpp_quantize_perf.sh" "$out"

filter='matmul/.*/N:4096/K:4096/M:(1|32|128)/'
levels=(avx2)
grep -qw avx512f /proc/cpuinfo && levels=(avx512 avx2)
for level in "${levels[@]}"; do
  if [ "$level" = avx2 ]; then
    env=(QZ_ISA=avx2 ONEDNN_MAX_CPU_ISA=AVX2 OPENBLAS_CORETYPE=Haswell)
    llama=$out/llama_avx2.txt
  else
    env=(QZ_ISA=avx512)
    llama=$out/llama_native.txt
  fi
  echo "qz_matmul_bench at $level" >&2
  env "${env[@]}" "$bench" --benchmark_filter="$filter" --benchmark_repetitions=3 \
    --benchmark_min_time=0.2 --benchmark_out="$out/bench_$level.json" \
    --benchmark_out_format=json >"$out/bench_$level.log" 2>&1 ||
    { echo "vs_llama_cpp.sh: qz_matmul_bench at $level failed: see $out/bench_$level.log" >&2; exit 2; }
  python3 "$here/ratios.py" "$out/bench_$level.json" --llama "$llama" \
    --markdown "$out/ratios_$level.md" >/dev/null
  echo "wrote $out/ratios_$level.md" >&2
done
