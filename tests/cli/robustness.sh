#!/usr/bin/env bash
# Determinism: the same command, seed and thread count write byte-identical model files
# (training, GPTQ, pruning with fine-tuning).
# Interruption: SIGINT stops cleanly (exit 130, one message, no output or temporary file);
# SIGKILL at any moment of a run that overwrites a model leaves the previous file or the new
# one, complete and loadable, never a truncated one.
set -euo pipefail
QZ=${1:?usage: robustness.sh path/to/quantize}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

for i in 1 2; do
  "$QZ" train --arch mlp --epochs 1 --seed 3 --threads 2 --out "train$i.safetensors" --quiet > /dev/null
  "$QZ" compress train1.safetensors --method gptq --bits 3 --threads 2 \
    --out "gptq$i.safetensors" --quiet > /dev/null
  "$QZ" compress train1.safetensors --method prune-magnitude --sparsity 0.6 --finetune-epochs 1 \
    --threads 2 --out "prune$i.safetensors" --quiet > /dev/null
done
for f in train gptq prune; do
  cmp "${f}1.safetensors" "${f}2.safetensors" || { echo "FAIL: $f output differs between runs"; exit 1; }
done
echo "determinism: train, gptq and prune+finetune outputs byte-identical across runs"

# SIGINT in the middle of training.
"$QZ" train --arch mlp --epochs 50 --out interrupted.safetensors --quiet > /dev/null 2> int.err &
pid=$!
sleep 4
kill -INT "$pid"
code=0
wait "$pid" || code=$?
[ "$code" -eq 130 ] || { echo "FAIL: SIGINT exit code $code (expected 130)"; cat int.err; exit 1; }
grep -q "interrupted" int.err || { echo "FAIL: no interruption message"; cat int.err; exit 1; }
[ ! -e interrupted.safetensors ] || { echo "FAIL: SIGINT left an output file"; exit 1; }
if ls -A | grep -q '\.tmp\.'; then echo "FAIL: SIGINT left a temporary file"; ls -A; exit 1; fi
echo "SIGINT: exit 130, message, no output"

# SIGKILL at spread-out moments while compress overwrites an existing model file.
cp train1.safetensors victim.safetensors
for delay in 0.1 0.3 0.6 1 1.5 2 2.5 3 4; do
  "$QZ" compress train1.safetensors --method int8 --out victim.safetensors --quiet > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  # The file is the old model or the new one, whole: it loads and evaluates.
  "$QZ" eval victim.safetensors --json victim.json --quiet > /dev/null \
    || { echo "FAIL: after SIGKILL at ${delay}s the model does not load"; exit 1; }
done
# (A killed process cannot remove its temporary file; the folder's removal takes it.)
echo "SIGKILL: the model file always loads (old or new, never truncated)"
echo "1 passed, 0 failed"
