#!/usr/bin/env bash
# Pruning (magnitude, N:M, Wanda, SparseGPT, structured), GPTQ, low-rank, QAT and a chained recipe through the CLI on a briefly trained MLP: each
# output loads and evaluates, records its scheme, and is as small as the method promises; the
# distill → structured prune → int4 chain is at least 20x smaller than its input; recipe
# mistakes exit 2 with one line naming the step and field.
# Usage: prune_recipe.sh path/to/quantize
set -euo pipefail
QZ=${1:?usage: prune_recipe.sh path/to/quantize}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
model=$work/mlp.safetensors
"$QZ" train --arch mlp --epochs 6 --out "$model" --quiet > /dev/null

size() { stat -c %s "$1"; }
accuracy() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['accuracy'])" "$1"; }
"$QZ" eval "$model" --json "$work/base.json" --quiet > /dev/null
base_acc=$(accuracy "$work/base.json")

check() {  # name, max size ratio out/in, max accuracy drop in points
  local name=$1 max_ratio=$2 max_drop=$3
  "$QZ" eval "$work/$name.safetensors" --json "$work/$name.json" --quiet > /dev/null
  python3 - "$model" "$work/$name.safetensors" "$base_acc" "$(accuracy "$work/$name.json")" \
    "$max_ratio" "$max_drop" "$name" <<'PY'
import os, sys
base, out, base_acc, acc, max_ratio, max_drop, name = sys.argv[1:]
ratio = os.path.getsize(out) / os.path.getsize(base)
drop = 100 * (float(base_acc) - float(acc))
print(f"{name}: {ratio:.3f} of the input file, accuracy drop {drop:+.2f} points")
assert ratio <= float(max_ratio), f"{name}: file ratio {ratio:.3f} > {max_ratio}"
assert drop <= float(max_drop), f"{name}: drop {drop:.2f} > {max_drop}"
PY
}

"$QZ" compress "$model" --method prune-structured --finetune-epochs 2 \
  --out "$work/structured.safetensors" --quiet > "$work/structured.txt"
grep -q "fc1.out 512 -> 256 units" "$work/structured.txt"
check structured 0.36 3
"$QZ" inspect "$work/structured.safetensors" --json | python3 -c "
import json, sys; j = json.load(sys.stdin)
c = j['metadata']['config']
assert c['hidden'] == [256, 256], c"

"$QZ" compress "$model" --method prune-magnitude --sparsity 0.8 --finetune-epochs 2 \
  --out "$work/magnitude.safetensors" --quiet > /dev/null
check magnitude 0.5 3
"$QZ" compress "$model" --method prune-nm --pattern 2:4 --finetune-epochs 2 \
  --out "$work/nm.safetensors" --quiet > /dev/null
check nm 0.6 3
"$QZ" inspect "$work/nm.safetensors" --json | python3 -c "
import json, sys; j = json.load(sys.stdin)
schemes = j['metadata']['quantization_config']['layers']
assert all(s['format'] == 'sparse' and s['pattern'] == '2:4' for s in schemes.values()), schemes"
"$QZ" compress "$model" --method prune-wanda --pattern 2:4 --finetune-epochs 1 \
  --out "$work/wanda.safetensors" --quiet > /dev/null
check wanda 0.6 5
"$QZ" compress "$model" --method prune-sparsegpt --sparsity 0.8 --finetune-epochs 0 \
  --out "$work/sparsegpt.safetensors" --quiet > "$work/sparsegpt.txt"
grep -q "pruned: fc1 sparsity 0.800 (unstructured): output MSE" "$work/sparsegpt.txt"
check sparsegpt 0.5 25
"$QZ" compress "$model" --method gptq --bits 3 --group 64 --act-order \
  --out "$work/gptq.safetensors" --quiet > "$work/gptq.txt"
grep -q "gptq-w3" "$work/gptq.txt"
check gptq 0.2 3
"$QZ" inspect "$work/gptq.safetensors" --json | python3 -c "
import json, sys; j = json.load(sys.stdin)
schemes = j['metadata']['quantization_config']['layers']
assert all(s['format'] == 'int4-asym' and s['bits'] == 3 and s['group'] == 64
           for s in schemes.values()), schemes"
"$QZ" compress "$model" --method lowrank --ratio 0.3 --finetune-epochs 2 \
  --out "$work/lowrank.safetensors" --quiet > /dev/null
check lowrank 0.35 6
"$QZ" compress "$model" --method qat --quant int4 --epochs 1 \
  --out "$work/qat.safetensors" --quiet > /dev/null
check qat 0.2 3

cat > "$work/chain.json" <<'JSON'
{"description": "distill into a quarter-size student, halve its hidden layers, int4",
 "steps": [{"method": "distill", "student": {"hidden": [256, 128]}, "epochs": 8},
           {"method": "prune-structured", "ratio": 0.5, "finetune_epochs": 2},
           {"method": "int4", "group": 128}]}
JSON
"$QZ" compress "$model" --recipe "$work/chain.json" --out "$work/chain.safetensors" --quiet \
  > "$work/chain.txt"
grep -q "trained alone" "$work/chain.txt"
check chain 0.05 8
"$QZ" inspect "$work/chain.safetensors" --json | python3 -c "
import json, sys; j = json.load(sys.stdin)
steps = j['metadata']['provenance']['recipe']
assert [s['method'] for s in steps] == ['distill', 'prune-structured', 'int4'], steps
assert len(j['metadata']['metrics']['steps']) == 3"

# Distillation on a transfer set: both students learn from the first 300 training samples.
"$QZ" compress "$model" --method distill --student '{"hidden": [64, 64]}' --epochs 2 \
  --transfer-samples 300 --out "$work/transfer.safetensors" --quiet > "$work/transfer.txt"
grep -q "trained alone" "$work/transfer.txt"
"$QZ" inspect "$work/transfer.safetensors" --json | python3 -c "
import json, sys; j = json.load(sys.stdin)
d = j['metadata']['metrics']['steps'][0]['details']
assert d['transfer_samples'] == 300, d
assert 0 < d['student_alone_test_accuracy'] <= 1 and 0 < d['student_test_accuracy'] <= 1, d"

# Mistakes: exit 2, one line, naming the step and the field (the flag on the command line);
# nothing written.
expect_error() {  # pattern, args...
  local pattern=$1; shift
  set +e
  "$QZ" compress "$model" "$@" --out "$work/bad.safetensors" --quiet > /dev/null 2> "$work/err.txt"
  local rc=$?
  set -e
  [ "$rc" -eq 2 ] || { echo "exit $rc for $*"; cat "$work/err.txt"; exit 1; }
  [ "$(wc -l < "$work/err.txt")" -eq 1 ] || { cat "$work/err.txt"; exit 1; }
  grep -q "$pattern" "$work/err.txt" || { echo "no '$pattern' in:"; cat "$work/err.txt"; exit 1; }
  [ ! -e "$work/bad.safetensors" ]
}
echo '{"steps": [{"method": "prune-structured", "ratoi": 0.5}]}' > "$work/typo.json"
expect_error "step 1 (prune-structured): unknown field 'ratoi'" --recipe "$work/typo.json"
echo '{"steps": [{"method": "int4"}, {"method": "shrink"}]}' > "$work/method.json"
expect_error "step 2: field 'method': unknown method 'shrink'" --recipe "$work/method.json"
expect_error "unknown --sparsity (lowrank takes" --method lowrank --sparsity 0.5
expect_error "(prune-nm): --pattern" --method prune-nm --pattern 4:2
expect_error "(distill): --transfer-samples: -5 is outside" --method distill --transfer-samples -5
expect_error "exactly one of --method and --recipe" --method int4 --recipe "$work/typo.json"
echo "prune_recipe: ok"
