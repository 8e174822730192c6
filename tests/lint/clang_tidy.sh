#!/usr/bin/env bash
# clang-tidy with the checked-in .clang-tidy on every torch-free source of src/ (core, io,
# kernels, tradeoff), from the build's compile_commands.json; any finding fails. The LibTorch
# modules are left out: Debian's clang 14 cannot parse LibTorch 1.13's headers as C++20 against
# libstdc++ 12 (`clang++-14 -std=gnu++20 -x c++-header src/pch/torch_pch.h` stops at 12 errors,
# "arithmetic on a pointer to an incomplete type 'c10::IValue'" in std::vector's now-constexpr
# members). Against libc++ 14 it parses, and a clang precompiled header of src/pch/torch_pch.h
# builds, but clang-tidy 14 runs its matchers over LibTorch's whole AST in every file:
# src/nn/transformer.cpp took 56 s with this .clang-tidy (18 s with four checks), so the
# ~90 LibTorch sources would cost 27-80 CPU-minutes, beyond CI's budget.
# Usage: clang_tidy.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=${1:?usage: clang_tidy.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: clang_tidy.sh SOURCE_DIR BUILD_DIR}
command -v run-clang-tidy > /dev/null || { echo "lint: run-clang-tidy is missing (bash scripts/setup.sh installs clang-tidy)"; exit 1; }
[ -f "$build/compile_commands.json" ] || { echo "lint: $build/compile_commands.json is missing"; exit 1; }
cd "$src"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# GCC-only warning flags in the compile commands (-Wno-maybe-uninitialized) are no finding.
run-clang-tidy -p "$build" -j "$(nproc)" -quiet -extra-arg=-Wno-unknown-warning-option \
  "$src/src/(core|io|kernels|tradeoff)/.*\\.cpp" > "$log" 2>&1 || status=$?
findings=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E "^/.*: (warning|error): " | sort -u || true)
if [ "$status" -ne 0 ] || [ -n "$findings" ]; then
  echo "${findings:-$(tail -40 "$log")}"
  echo "lint: clang-tidy found the above (exit $status)"
  exit 1
fi
echo "lint: clang-tidy clean on src/{core,io,kernels,tradeoff}"
