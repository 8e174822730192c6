#!/usr/bin/env bash
# Cross-builds tests/arm64 (the torch-free libraries and their unit tests for AArch64) and runs
# the tests under qemu-aarch64 twice: as an ARMv8.2 CPU with the dot-product extension
# (`-cpu max`: the sdot int8 GEMM) and as a Cortex-A57 (ARMv8.0: plain NEON). The kernel tests
# compare every level supported_isas() lists — here ref and neon — against the reference.
# ComputePeak is left out: it measures the host's arithmetic rate, which an emulator does not
# have. Usage: run.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: run.sh BUILD_DIR}
jobs=$(nproc)

for tool in aarch64-linux-gnu-g++ qemu-aarch64; do
  command -v "$tool" > /dev/null || { echo "arm64: $tool is missing (bash scripts/setup.sh installs it)"; exit 1; }
done
mkdir -p "$out"
cmake -S "$here" -B "$out" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-linux-gnu.cmake" \
  > "$out/configure.log" 2>&1 || { cat "$out/configure.log"; exit 1; }
cmake --build "$out" -j"$jobs" > "$out/build.log" 2>&1 || { tail -60 "$out/build.log"; exit 1; }

run() {
  local cpu=$1
  echo "arm64: qz_fast_tests under qemu-aarch64 -cpu $cpu"
  OMP_WAIT_POLICY=PASSIVE qemu-aarch64 -cpu "$cpu" -L /usr/aarch64-linux-gnu "$out/qz_fast_tests_arm64" \
    --gtest_brief=1 --gtest_filter='-ComputePeak.*'
}
run max
run cortex-a57
echo "arm64: passed"
