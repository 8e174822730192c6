#!/usr/bin/env bash
# The GGUF reader against llama.cpp's own (gguf-py, from the llama.cpp source node-llama-cpp
# carries): `quantize inspect --json` must report every key with the same type and value and
# every tensor with the same type, dims, offset and size, for llama.cpp's tokenizer test
# vocabularies (llama-bpe, llama-spm, qwen2, gpt-2, phi-3) and a file with quantized tensors
# (F32, Q8_0, Q4_K) written by tests/sanitize/make_seeds.py.
# Usage: gguf_inspect.sh path/to/quantize BUILD_DIR
set -euo pipefail
QZ=${1:?usage: gguf_inspect.sh path/to/quantize BUILD_DIR}
build=${2:?usage: gguf_inspect.sh path/to/quantize BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
src=$(bash "$here/../../scripts/llama_cpp_source.sh" "$build/llama.cpp-src")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/../sanitize/make_seeds.py" "$work/seeds"

files=("$work/seeds/gguf/model.gguf" "$work/seeds/gguf/vocab.gguf")
for v in llama-bpe llama-spm qwen2 gpt-2 phi-3; do files+=("$src/models/ggml-vocab-$v.gguf"); done
for f in "${files[@]}"; do
  "$QZ" inspect "$f" --json > "$work/ours.json"
  PYTHONPATH="$src/gguf-py" /usr/bin/python3 - "$f" "$work/ours.json" <<'PY'
import json, math, sys
from gguf import GGUFReader, GGUFValueType

path, ours = sys.argv[1], json.load(open(sys.argv[2]))
reader = GGUFReader(path)
NAMES = {GGUFValueType.UINT8: "u8", GGUFValueType.INT8: "i8", GGUFValueType.UINT16: "u16",
         GGUFValueType.INT16: "i16", GGUFValueType.UINT32: "u32", GGUFValueType.INT32: "i32",
         GGUFValueType.FLOAT32: "f32", GGUFValueType.BOOL: "bool",
         GGUFValueType.STRING: "string", GGUFValueType.ARRAY: "array",
         GGUFValueType.UINT64: "u64", GGUFValueType.INT64: "i64", GGUFValueType.FLOAT64: "f64"}


def element(field, i, kind):
    part = field.parts[i]
    if kind == GGUFValueType.STRING:
        return bytes(part).decode("utf-8", "replace")
    v = part.tolist()[0]
    return bool(v) if kind == GGUFValueType.BOOL else v


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-30) or (a != a and b != b)
    return a == b


keys = [k for k in reader.fields if not k.startswith("GGUF.")]
assert sorted(keys) == sorted(ours["metadata"]), (sorted(keys), sorted(ours["metadata"]))
for key in keys:
    field, mine = reader.fields[key], ours["metadata"][key]
    assert NAMES[field.types[0]] == mine["type"], (key, field.types, mine["type"])
    if field.types[0] == GGUFValueType.ARRAY:
        kind = field.types[1]
        assert NAMES[kind] == mine["element_type"], (key, field.types, mine)
        theirs = [element(field, i, kind) for i in field.data]
        assert len(theirs) == len(mine["value"]), (key, len(theirs), len(mine["value"]))
        bad = [i for i, (a, b) in enumerate(zip(theirs, mine["value"])) if not same(a, b)]
        assert not bad, (key, bad[:5], [theirs[i] for i in bad[:5]], [mine["value"][i] for i in bad[:5]])
    else:
        theirs = element(field, field.data[0], field.types[0])
        assert same(theirs, mine["value"]), (key, theirs, mine["value"])
assert len(reader.tensors) == len(ours["tensors"]), (len(reader.tensors), len(ours["tensors"]))
for t, mine in zip(reader.tensors, ours["tensors"]):
    assert t.name == mine["name"] and t.tensor_type.name == mine["type"], (t.name, t.tensor_type, mine)
    assert [int(d) for d in t.shape] == mine["dims"], (t.name, t.shape, mine["dims"])
    assert int(t.data_offset) == mine["offset"] and int(t.n_bytes) == mine["bytes"], (t.name, mine)
tokens = ours["metadata"].get("tokenizer.ggml.tokens", {}).get("value", [])
print(f"ok   {path.split('/')[-1]}: {len(keys)} keys ({len(tokens)} tokens), "
      f"{len(reader.tensors)} tensors, as gguf-py reads them")
PY
done
"$QZ" inspect "$src/models/ggml-vocab-llama-spm.gguf" | grep -q "tokenizer.ggml.model *string *\"llama\""
echo "gguf_inspect: all files agree with gguf-py"
