#!/usr/bin/env bash
# Every class of bad input gets exit code 2 and one line on stderr that names the problem,
# and leaves no output file behind.
set -u
QZ=${1:?usage: bad_input.sh path/to/quantize}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
passed=0

# expect_bad "description" "phrase in the message" args...
expect_bad() {
  local what=$1 phrase=$2
  shift 2
  local err
  err=$("$QZ" "$@" 2>&1 >/dev/null)
  local code=$?
  local lines
  lines=$(printf '%s\n' "$err" | grep -c .)
  if [ "$code" -ne 2 ]; then
    echo "FAIL $what: exit code $code (expected 2): $err"; failures=$((failures + 1)); return
  fi
  if [ "$lines" -ne 1 ]; then
    echo "FAIL $what: $lines lines on stderr (expected 1): $err"; failures=$((failures + 1)); return
  fi
  if [[ "$err" != *"$phrase"* ]]; then
    echo "FAIL $what: message lacks '$phrase': $err"; failures=$((failures + 1)); return
  fi
  echo "ok   $what: $err"
  passed=$((passed + 1))
}

printf '1,2,0\n3,4,1\n5,6\n' > "$dir/ragged.csv"
printf '1,2,0\n3,x,1\n' > "$dir/cell.csv"
printf '1,2,0\n3,4,5000\n' > "$dir/label.csv"
printf '1,2,0\n3,4,1\n5,nan,1\n' > "$dir/nan.csv"
: > "$dir/empty.csv"
printf '\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x04\x00\x00\x00\x04abc' > "$dir/trunc-images.idx"
printf '\x00\x00\x08\x01\x00\x00\x00\x02\x00\x01' > "$dir/labels.idx"
printf 'P5\n16 16\n255\n' > "$dir/magic-images.idx"
head -c 4096 /bin/ls > "$dir/garbage.txt"
printf '{"hidden": [64,' > "$dir/broken.json"
printf '{"hidden": [64], "dropout": 0.5}' > "$dir/unknown.json"
printf 'not a model' > "$dir/junk.safetensors"
printf '\x10\x00\x00\x00\x00\x00\x00\x00{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}' > "$dir/short.safetensors"

expect_bad "csv ragged row"        "line 3"                train --arch mlp --data "csv:$dir/ragged.csv" --out "$dir/o1.safetensors"
expect_bad "csv non-numeric cell"  "line 2 column 2"       train --arch mlp --data "csv:$dir/cell.csv" --out "$dir/o2.safetensors"
expect_bad "csv NaN sample"         "line 3 column 2"       train --arch mlp --data "csv:$dir/nan.csv" --out "$dir/o14.safetensors"
expect_bad "csv label range"       "out of range"          train --arch mlp --data "csv:$dir/label.csv" --out "$dir/o3.safetensors"
expect_bad "csv empty file"        "no data rows"          train --arch mlp --data "csv:$dir/empty.csv" --out "$dir/o4.safetensors"
expect_bad "idx truncated"         "truncated"             train --arch mlp --data "idx:$dir/trunc-images.idx,$dir/labels.idx" --out "$dir/o5.safetensors"
expect_bad "idx wrong magic"       "wrong magic"           train --arch mlp --data "idx:$dir/magic-images.idx,$dir/labels.idx" --out "$dir/o6.safetensors"
expect_bad "text binary garbage"   "garbage.txt byte"      train --arch transformer --data "text:$dir/garbage.txt" --out "$dir/o7.safetensors"
expect_bad "missing data file"     "no such file"          train --arch mlp --data "csv:$dir/nope.csv" --out "$dir/o8.safetensors"
expect_bad "unknown data"          "unknown data 'mnist'"  train --arch mlp --data mnist --out "$dir/o9.safetensors"
mkdir -p "$dir/rep-missing" "$dir/rep-field" "$dir/rep-schema"
echo '{"schema":"quantize.report/1","variants":[{"name":"a"}]}' > "$dir/rep-field/report.json"
echo '{"schema":"other/9","variants":[]}' > "$dir/rep-schema/report.json"
expect_bad "report: no report.json" "rep-missing/report.json" report "$dir/rep-missing"
expect_bad "report: missing variant field" "variants[0]: missing field 'method'" report "$dir/rep-field"
expect_bad "report: wrong schema" "field 'schema'" report "$dir/rep-schema"
expect_bad "report: budget out of range" "max-drop" report "$dir/rep-field" --max-drop 200
expect_bad "tune: not a model"      "junk.safetensors"      tune "$dir/junk.safetensors" --out "$dir/t.safetensors"
expect_bad "tune: unknown objective" "--objective"          tune "$dir/junk.safetensors" --out "$dir/t.safetensors" --objective speed
expect_bad "tune: negative time"    "--time-limit"          tune "$dir/junk.safetensors" --out "$dir/t.safetensors" --time-limit -1
QZ_ISA=avx9 expect_bad "unknown QZ_ISA" "QZ_ISA=avx9: expected ref, avx2 or avx512" doctor
expect_bad "unknown architecture"  "--arch"                train --arch rnn
expect_bad "arch/data mismatch"    "--arch transformer"    train --arch mlp --data addition --out "$dir/o10.safetensors"
expect_bad "config invalid JSON"   "broken.json"           train --arch mlp --config "$dir/broken.json" --out "$dir/o11.safetensors"
expect_bad "config unknown field"  "unknown field 'dropout'" train --arch mlp --config "$dir/unknown.json" --out "$dir/o12.safetensors"
expect_bad "out-of-range option"   "--threads"             train --arch mlp --threads -3
expect_bad "bad epochs"            "--epochs"              train --arch mlp --epochs 0
expect_bad "output folder missing" "does not exist"        train --arch mlp --epochs 1 --out "$dir/no/such/dir/m.safetensors"
expect_bad "inspect garbage"       "junk.safetensors"      inspect "$dir/junk.safetensors"
expect_bad "inspect short file"    "short.safetensors"     inspect "$dir/short.safetensors"
expect_bad "eval missing model"    "cannot open"           eval "$dir/missing.safetensors"
expect_bad "eval non-model"        "short.safetensors"     eval "$dir/short.safetensors"
expect_bad "unknown split"         "--split"               eval "$dir/junk.safetensors" --split holdout
expect_bad "unknown command"       "frobnicate"            frobnicate

# compress: a real model to start from.
"$QZ" train --arch mlp --epochs 1 --out "$dir/model.safetensors" --quiet > /dev/null
# A copy with one NaN weight (made before the marker: it is an input, not an output).
python3 - "$dir/model.safetensors" "$dir/nan.safetensors" <<'PY'
import json, struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
n = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + n])
name = next(k for k, v in header.items() if k != "__metadata__" and v["dtype"] == "F32")
start = 8 + n + header[name]["data_offsets"][0]
data[start + 4:start + 8] = struct.pack("<f", float("nan"))
open(sys.argv[2], "wb").write(data)
PY
# Malformed copies of the model, one per class of damage a safetensors file can have.
python3 - "$dir/model.safetensors" "$dir" <<'PY'
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
out = sys.argv[2]
n = struct.unpack("<Q", raw[:8])[0]
header, body = json.loads(raw[8:8 + n]), raw[8 + n:]
tensors = [k for k in header if k != "__metadata__"]

def write(name, header_obj=None, header_text=None, data=body, length=None):
    text = header_text if header_text is not None else json.dumps(header_obj).encode()
    size = len(text) if length is None else length
    open(f"{out}/{name}.safetensors", "wb").write(struct.pack("<Q", size) + text + data)

def edited(fn):
    h = json.loads(json.dumps(header))
    fn(h)
    return h

open(f"{out}/empty.safetensors", "wb").close()
write("header-past-end", header, length=len(raw) * 4)
write("header-json", header_text=b'{"fc1.weight": {"dtype": "F32",' + b" " * 32)
write("nested", header_text=json.dumps({"deep": json.loads("[" * 200 + "]" * 200)}).encode())
write("dtype", edited(lambda h: h[tensors[0]].update(dtype="F33")))
write("shape", edited(lambda h: h[tensors[0]].update(shape=[h[tensors[0]]["shape"][0] + 1] + h[tensors[0]]["shape"][1:])))
write("overlap", edited(lambda h: h[tensors[1]].update(data_offsets=[0, h[tensors[1]]["data_offsets"][1] - h[tensors[1]]["data_offsets"][0]])))
# A tensor the architecture needs is gone (the rest laid out again without it).
missing = "fc1.bias"
kept, data, offset = {"__metadata__": header["__metadata__"]}, b"", 0
for k in tensors:
    if k == missing:
        continue
    a, b = header[k]["data_offsets"]
    kept[k] = dict(header[k], data_offsets=[offset, offset + b - a])
    data += body[a:b]
    offset += b - a
write("no-bias", kept, data=data)
config = json.loads(header["__metadata__"]["config"])
write("arch", edited(lambda h: h["__metadata__"].update(config=json.dumps(dict(config, arch="rnn")))))
PY
# Quantized layers whose schemes give int8 activations to weights no integer kernel takes, or
# name an unknown activation grid.
"$QZ" compress "$dir/model.safetensors" --method nf4 --out "$dir/nf4.safetensors" --quiet > /dev/null
python3 - "$dir/nf4.safetensors" "$dir" <<'PY'
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header, body = json.loads(raw[8:8 + n]), raw[8 + n:]
for name, acts in (("acts-pair", "int8-dynamic"), ("acts-name", "int9-dynamic")):
    h = json.loads(json.dumps(header))
    q = json.loads(h["__metadata__"]["quantization_config"])
    q["layers"]["fc1"]["activations"] = acts
    h["__metadata__"]["quantization_config"] = json.dumps(q)
    text = json.dumps(h).encode()
    open(f"{sys.argv[2]}/{name}.safetensors", "wb").write(struct.pack("<Q", len(text)) + text + body)
PY
printf '{"steps": [{"method": "int4", "grup": 64}]}' > "$dir/recipe-key.json"
printf '{"steps": [{"method": "prune-magnitude", "sparsity": 1.5}]}' > "$dir/recipe-range.json"
: > "$dir/empty.txt"
touch "$dir/short.safetensors"
expect_bad "compress unknown method"  "--method"            compress "$dir/model.safetensors" --method int3 --out "$dir/c1.safetensors"
expect_bad "compress unknown layer"   "unknown layer 'fc9'" compress "$dir/model.safetensors" --method int8 --exclude fc9 --out "$dir/c2.safetensors"
expect_bad "compress sym and asym"    "exclude each other"  compress "$dir/model.safetensors" --method int4 --sym --asym --out "$dir/c3.safetensors"
expect_bad "compress bad group"       "--group: -3 is outside" compress "$dir/model.safetensors" --method int4 --group -3 --out "$dir/c4.safetensors"
expect_bad "compress mxfp4 group"     "mxfp4 blocks are 32 weights" compress "$dir/model.safetensors" --method mxfp4 --group 64 --out "$dir/c4m.safetensors"
expect_bad "compress non-model"       "junk.safetensors"    compress "$dir/junk.safetensors" --method int8 --out "$dir/c5.safetensors"
expect_bad "bench missing model"      "cannot open"         bench "$dir/missing.safetensors"
expect_bad "bench bad batch"          "--batch"             bench "$dir/model.safetensors" --batch 1,0
expect_bad "sensitivity bad method"   "--method"            sensitivity "$dir/model.safetensors" --method int2
expect_bad "sensitivity non-model"    "junk.safetensors"    sensitivity "$dir/junk.safetensors" --method int8
expect_bad "gptq bits out of range"   "--bits: 9 is outside"        compress "$dir/model.safetensors" --method gptq --bits 9 --out "$dir/c7.safetensors"
expect_bad "gptq 6 bits in groups"    "--group: 6 bits"           compress "$dir/model.safetensors" --method gptq --bits 6 --group 64 --out "$dir/c8.safetensors"
expect_bad "generate non-transformer" "needs a transformer" generate "$dir/model.safetensors" --prompt "1+1="
expect_bad "generate no prompt"       "--prompt"            generate "$dir/model.safetensors"
expect_bad "eval kv-int8 on an MLP"   "needs a transformer" eval "$dir/model.safetensors" --kv-int8
expect_bad "generate two cache modes" "exclude each other"  generate "$dir/model.safetensors" --prompt "1+1=" --kv-int8 --no-kv-cache
expect_bad "bench bad context"        "--context"           bench "$dir/model.safetensors" --context 1
expect_bad "option of another method" "unknown --sparsity" compress "$dir/model.safetensors" --method int4 --sparsity 0.3 --out "$dir/c9s.safetensors"
expect_bad "hqq bits out of range"    "--bits: 5 is outside"        compress "$dir/model.safetensors" --method hqq --bits 5 --out "$dir/c9.safetensors"
expect_bad "compare unknown method"   "--methods"           compare "$dir/model.safetensors" --methods rtn,gptq9 --out-dir "$dir/cmp"
expect_bad "compare hqq 5 bits"       "--bits: 5 is outside"        compare "$dir/model.safetensors" --methods hqq --bits 5 --out-dir "$dir/cmp"
expect_bad "compare method twice"     "asked for twice"     compare "$dir/model.safetensors" --methods rtn,rtn --out-dir "$dir/cmp"
expect_bad "compare out-dir is file"  "--out-dir"           compare "$dir/model.safetensors" --methods rtn --out-dir "$dir/model.safetensors"
expect_bad "NaN weight"               "non-finite"          eval "$dir/nan.safetensors"
expect_bad "model: empty file"       "empty.safetensors"   eval "$dir/empty.safetensors"
expect_bad "model: header past end"  "header-past-end"     eval "$dir/header-past-end.safetensors"
expect_bad "model: invalid JSON"     "header-json"         eval "$dir/header-json.safetensors"
expect_bad "model: nested JSON"      "nested deeper"       eval "$dir/nested.safetensors"
expect_bad "model: unknown dtype"    "F33"                 eval "$dir/dtype.safetensors"
expect_bad "model: shape vs offsets" "shape.safetensors"   eval "$dir/shape.safetensors"
expect_bad "model: overlapping"      "overlap"             eval "$dir/overlap.safetensors"
expect_bad "model: missing tensor"   "fc1.bias"            eval "$dir/no-bias.safetensors"
expect_bad "model: unknown arch"     "unknown architecture 'rnn'" eval "$dir/arch.safetensors"
expect_bad "model: nf4 with int8 activations" "layer 'fc1': [quantize] int8 activations need" eval "$dir/acts-pair.safetensors"
expect_bad "model: unknown activations" "layer 'fc1': scheme field 'activations'" eval "$dir/acts-name.safetensors"
expect_bad "recipe: wrong key"       "unknown field 'grup'" compress "$dir/model.safetensors" --recipe "$dir/recipe-key.json" --out "$dir/c10.safetensors"
expect_bad "recipe and a step flag"  "belong in the recipe file" compress "$dir/model.safetensors" --recipe "$dir/recipe-range.json" --bits 3 --out "$dir/c12.safetensors"
expect_bad "recipe: out of range"    "field 'sparsity'"    compress "$dir/model.safetensors" --recipe "$dir/recipe-range.json" --out "$dir/c11.safetensors"
expect_bad "text: empty file"        "empty.txt: file is empty" train --arch transformer --data "text:$dir/empty.txt" --out "$dir/o13.safetensors"
expect_bad "compress missing folder"  "does not exist"      compress "$dir/model.safetensors" --method int8 --out "$dir/no/dir/c6.safetensors"

# Hugging Face checkpoint folders (tests/cli/hf_fixture.py writes them in the exact layout).
fixture="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/hf_fixture.py"
hf="$dir/hf"
$fixture make llama "$hf/good"
$fixture make mistral "$hf/no-shard" && rm "$hf/no-shard/model-00002-of-00002.safetensors"
$fixture make llama "$hf/extra" --extra-tensor
$fixture make llama "$hf/missing" --drop model.layers.1.mlp.up_proj.weight
# edit_config FOLDER KEY JSON-VALUE: a copy of the good checkpoint with one config key changed
edit_config() {
  cp -r "$hf/good" "$1"
  python3 -c 'import json, sys; p = sys.argv[1] + "/config.json"; c = json.load(open(p)); c[sys.argv[2]] = json.loads(sys.argv[3]); json.dump(c, open(p, "w"))' "$1" "$2" "$3"
}
edit_config "$hf/shape" intermediate_size 176
edit_config "$hf/arch" architectures '["GPT2LMHeadModel"]'
edit_config "$hf/act" hidden_act '"gelu_new"'
edit_config "$hf/gqa" num_key_value_heads 3
cp -r "$hf/good" "$hf/truncated"
truncate -s -100 "$hf/truncated/model.safetensors"
mkdir -p "$hf/empty"
expect_bad "hf: missing shard"        "shard 'model-00002-of-00002.safetensors' is missing" eval "$hf/no-shard" --data addition
expect_bad "hf: shape mismatch"       "tensor 'model.layers.0.mlp.gate_proj.weight': shape [160,64] (expected [176,64])" eval "$hf/shape" --data addition
expect_bad "hf: unknown architecture" "'GPT2LMHeadModel' is not supported" compress "$hf/arch" --method int8 --data addition --out "$dir/h1.safetensors"
expect_bad "hf: truncated tensor"     "truncated/model.safetensors"         eval "$hf/truncated" --data addition
expect_bad "hf: extra tensor"         "unexpected tensor 'model.layers.0.mlp.extra_proj.weight'" eval "$hf/extra" --data addition
expect_bad "hf: missing tensor"       "tensor 'model.layers.1.mlp.up_proj.weight' is missing" export "$hf/missing" --out "$dir/h2.pt"
expect_bad "hf: unsupported act"      "field 'hidden_act': 'gelu_new' is not supported" eval "$hf/act" --data addition
expect_bad "hf: kv heads"             "do not divide"                       generate "$hf/gqa" --prompt "1+1="
expect_bad "hf: folder, no config"    "has no config.json"                  eval "$hf/empty" --data addition
expect_bad "hf: inspect bad config"   "'GPT2LMHeadModel' is not supported"  inspect "$hf/arch"

# GGUF files (tests/sanitize/make_seeds.py writes the truncated one).
python3 "$(cd "$(dirname "$0")" && pwd)/../sanitize/make_seeds.py" "$dir/seeds"
printf 'GGUF\x09\x00\x00\x00' > "$dir/version.gguf"
python3 - "$dir" <<'PY'
import struct, sys
d = sys.argv[1]
def s(text):
    return struct.pack("<Q", len(text)) + text.encode()
def head(tensors, kvs):
    return b"GGUF" + struct.pack("<IQQ", 3, tensors, kvs)
def info(name, dims, kind, offset):
    return s(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}q", *dims) + struct.pack("<IQ", kind, offset)
def pad(b):
    return b + bytes(-len(b) % 32)
files = {
    "counts": head(1 << 60, 1 << 60),
    "align": head(0, 1) + s("general.alignment") + struct.pack("<II", 4, 3),
    "overlap": pad(head(2, 0) + info("a", [16], 0, 0) + info("b", [16], 0, 32)) + bytes(128),
    "type": pad(head(1, 0) + info("t", [8], 77, 0)) + bytes(64),
    "strlen": head(0, 1) + struct.pack("<Q", 1 << 40) + b"key" + bytes(16),
}
for name, raw in files.items():
    open(f"{d}/{name}.gguf", "wb").write(raw)
PY
expect_bad "gguf: truncated tensor"   "tensor 'w': 16 bytes at offset 0 run past the end" inspect "$dir/seeds/gguf/truncated.gguf"
expect_bad "gguf: unknown version"    "version.gguf: version 9 (expected 2 or 3)" inspect "$dir/version.gguf"
expect_bad "gguf: huge counts"        "key-values cannot fit"               inspect "$dir/counts.gguf"
expect_bad "gguf: bad alignment"      "'general.alignment': expected a u32 power of two" inspect "$dir/align.gguf"
expect_bad "gguf: overlapping data"   "tensors 'a' and 'b' overlap"         inspect "$dir/overlap.gguf"
expect_bad "gguf: unknown type"       "ggml type 77 is not one quantize reads" inspect "$dir/type.gguf"
expect_bad "gguf: string past end"    "a key at byte 32 needs 1099511627776 bytes" inspect "$dir/strlen.gguf"

# (the checkpoint folders and seeds are inputs, made after the marker)
leftovers=$(find "$dir" \( -path "$dir/hf" -o -path "$dir/seeds" \) -prune -o \( -name '*.safetensors' -newer "$dir/short.safetensors" -o -name '.*tmp*' \) -print | wc -l)
[ -e "$dir/cmp" ] && leftovers=$((leftovers + 1))
[ -e "$dir/h2.pt" ] && leftovers=$((leftovers + 1))
if [ "$leftovers" -ne 0 ]; then
  echo "FAIL: bad input left output files behind:"; find "$dir" -newer "$dir/short.safetensors"
  failures=$((failures + 1))
fi
echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
