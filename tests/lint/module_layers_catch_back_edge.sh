#!/usr/bin/env bash
# The layer check catches a back-edge: against a table where nn/ may use only core/, the real
# libraries (nn calls io's safetensors reader and kernels' matmuls) must fail it, naming both.
set -uo pipefail
build=${1:?usage: module_layers_catch_back_edge.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: module_layers_catch_back_edge.sh BUILD_DIR SOURCE_DIR}
here=$(dirname "$0")
table=$(mktemp)
trap 'rm -f "$table"' EXIT
sed 's/^nn:.*/nn: core/' "$build/module_layers.txt" >"$table"
out=$(bash "$here/module_layers.sh" "$build" "$src" "$table")
rc=$?
[ "$rc" -ne 0 ] || { echo "FAIL: a planted back-edge passed: $out"; exit 1; }
for edge in "nn uses io" "nn uses kernels" "includes io/"; do
  grep -q "$edge" <<<"$out" || { echo "FAIL: '$edge' not reported: $out"; exit 1; }
done
bash "$here/module_layers.sh" "$build" "$src" >/dev/null || { echo "FAIL: the real table fails"; exit 1; }
echo "ok   a planted back-edge (nn using io and kernels against a table that forbids it) fails"
