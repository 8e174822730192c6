#!/usr/bin/env bash
# Builds tests/sanitize with clang, runs the torch-free unit tests under ASan + UBSan, then each
# libFuzzer target for SECONDS on its seed corpus (a crash, leak, timeout, out-of-memory or
# sanitizer report fails). Usage: run.sh BUILD_DIR [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: run.sh BUILD_DIR [SECONDS]}
seconds=${2:-30}
jobs=$(nproc)

cmake -S "$here" -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  > "$out.configure.log" 2>&1 || { cat "$out.configure.log"; exit 1; }
cmake --build "$out" -j"$jobs" > "$out.build.log" 2>&1 || { tail -50 "$out.build.log"; exit 1; }

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "sanitize: torch-free unit tests under ASan + UBSan"
"$out/qz_fast_tests_san" --gtest_brief=1

python3 "$here/make_seeds.py" "$out/seeds"
for target in safetensors gguf json_fields csv idx model_config hf_config recipe text tokenizer; do
  corpus="$out/corpus/$target"
  mkdir -p "$corpus"
  echo "sanitize: fuzz_$target for ${seconds}s"
  # -rss_limit_mb and -malloc_limit_mb turn an unbounded allocation into a failure; -timeout
  # a hang. Exits nonzero on any finding, leaving the input as crash-*/leak-*/timeout-*/oom-*.
  status=0
  (cd "$out" && "$out/fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -malloc_limit_mb=1024 -timeout=10 -print_final_stats=1 "$corpus" "$out/seeds/$target") \
    > "$out/fuzz_$target.log" 2>&1 || status=$?
  grep -E "^stat::number_of_executed_units|ERROR|SUMMARY|Test unit written" "$out/fuzz_$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -60 "$out/fuzz_$target.log"
    echo "sanitize: fuzz_$target failed (exit $status)"
    exit 1
  fi
done
echo "sanitize: clean"
