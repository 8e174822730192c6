#!/usr/bin/env bash
# Hugging Face checkpoint folders as models. tests/cli/hf_fixture.py writes tiny random
# checkpoints of Llama (grouped-query attention, llama3 RoPE scaling, tied embeddings, BF16),
# Mistral (one key/value head, two F16 shards with an index), Qwen2 (q/k/v biases) and Qwen3
# (q/k RMSNorm, heads wider than hidden/heads) in the exact layout; for each, quantize's logits
# (written by `export --sample`) must match a plain-PyTorch implementation of the architecture
# to 1e-3, and the TorchScript export must compute the same in PyTorch. Then the folder is used
# as a MODEL by inspect, eval, compress, generate (F32 and int8 KV cache) and bench.
# Usage: hf_import.sh path/to/quantize
set -euo pipefail
QZ=${1:?usage: hf_import.sh path/to/quantize}
here=$(cd "$(dirname "$0")" && pwd)
fixture="/usr/bin/python3 $here/hf_fixture.py"
# PyTorch in Python at the OpenBLAS core quantize uses (export_torchscript.sh says why).
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  OPENBLAS_CORETYPE=$("$QZ" doctor --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["blas"]["core"])')
  export OPENBLAS_CORETYPE
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for arch in llama mistral qwen2 qwen3; do
  $fixture make "$arch" "$work/$arch"
  "$QZ" export "$work/$arch" --out "$work/$arch.pt" --sample "$work/$arch.sample.safetensors" \
    --json "$work/$arch.export.json" > "$work/$arch.export.log"
  # 1e-4, tighter than the issue's 1e-3: a norm eps of 1e-6 for 1e-5 moves these logits by 9e-4.
  $fixture check "$work/$arch" "$work/$arch.sample.safetensors" 1e-4
  /usr/bin/python3 "$here/../export/check_torchscript.py" "$work/$arch.pt" \
    "$work/$arch.sample.safetensors" 1e-4 absolute
done

# inspect lists every shard's tensors and the config the folder maps to.
"$QZ" inspect "$work/mistral" --json > "$work/inspect.json"
python3 - "$work/inspect.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
names = {t["name"] for t in j["tensors"]}
assert "model.layers.1.self_attn.k_proj.weight" in names and "lm_head.weight" in names, names
assert all(t["dtype"] == "F16" for t in j["tensors"]), j["tensors"]
m = j["metadata"]
assert m["architecture"] == "MistralForCausalLM", m
# the sliding window (64) caps the context; one key/value head serves four query heads
assert m["config"]["max_seq"] == 64 and m["config"]["n_kv_heads"] == 1, m["config"]
print("ok   inspect: 2 shards,", len(names), "tensors, config", m["config"])
PY

# eval, compress (the folder in, a quantize file out) and eval of the result.
"$QZ" eval "$work/llama" --data addition --json "$work/eval.json" --quiet > /dev/null
"$QZ" compress "$work/llama" --method int8 --data addition --out "$work/llama-int8.safetensors" \
  --quiet > /dev/null
"$QZ" eval "$work/llama-int8.safetensors" --data addition --json "$work/eval-int8.json" \
  --quiet > /dev/null
"$QZ" compress "$work/qwen3" --method gptq --bits 4 --data addition \
  --out "$work/qwen3-gptq.safetensors" --quiet > /dev/null
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
def ppl(path):
    j = json.load(open(path))
    m = j.get("metrics", j)
    return m["perplexity"]
base, int8 = ppl(f"{w}/eval.json"), ppl(f"{w}/eval-int8.json")
# A random model: int8 must reproduce its (poor) perplexity closely, not improve on it.
assert base > 1 and abs(int8 - base) / base < 0.02, (base, int8)
print(f"ok   eval: perplexity {base:.3f} FP32 (BF16 weights), {int8:.3f} int8")
PY

# Greedy decoding through the cache equals decoding without it (grouped-query attention).
for model in llama mistral; do
  for mode in cache plain int8; do
    flags=()
    [ "$mode" = plain ] && flags=(--no-kv-cache)
    [ "$mode" = int8 ] && flags=(--kv-int8)
    "$QZ" generate "$work/$model" --prompt "12+34=" --max-tokens 12 --no-stop "${flags[@]}" \
      > "$work/g-$mode.txt" 2> /dev/null
  done
  cmp "$work/g-cache.txt" "$work/g-plain.txt"
  grep -q '^12+34=' "$work/g-int8.txt"
  echo "ok   generate $model: cached = uncached: $(cat "$work/g-cache.txt")"
done

# generate stops at the checkpoint's end-of-sequence ids (generation_config.json's win over
# config.json's): made the first token greedy decoding picks, it stops after one token.
"$QZ" inspect "$work/llama" --json | python3 -c 'import json, sys; c = json.load(sys.stdin)["metadata"]["config"]; assert c["eos_ids"] == [2, 4], c'
"$QZ" generate "$work/llama" --prompt "12+34=" --max-tokens 1 --no-stop > "$work/first.txt" 2> /dev/null
cp -r "$work/llama" "$work/llama-eos"
python3 - "$work" <<'PY'
import json, re, sys
w = sys.argv[1]
shown = open(f"{w}/first.txt", "rb").read()[len(b"12+34="):-1]  # one token, as generate prints it
m = re.fullmatch(rb"<(\d+)>|\\x([0-9a-f]{2})|(.)", shown, re.S)
token = int(m[1]) if m[1] else int(m[2], 16) if m[2] else m[3][0]
json.dump({"eos_token_id": [7, token]}, open(f"{w}/llama-eos/generation_config.json", "w"))
PY
"$QZ" generate "$work/llama-eos" --prompt "12+34=" --max-tokens 12 2> "$work/eos.err" > /dev/null
grep -q '^1 tokens;' "$work/eos.err" || { echo "FAIL: generate did not stop at eos: $(cat "$work/eos.err")"; exit 1; }
"$QZ" generate "$work/llama-eos" --prompt "12+34=" --max-tokens 12 --no-stop 2> "$work/eos.err" > /dev/null
grep -q '^12 tokens;' "$work/eos.err"
echo "ok   generate stops at the checkpoint's eos ids (and not with --no-stop)"

"$QZ" bench "$work/qwen2" --batch 1 --seconds 0.05 --context 8 --decode-tokens 2 \
  --json "$work/bench.json" --quiet > /dev/null
python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); assert j, j' "$work/bench.json"
echo "hf_import: all checks passed"
