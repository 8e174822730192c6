#!/usr/bin/python3
"""Loads a TorchScript file written by `quantize export` in PyTorch (Debian's python3-torch)
and checks it against quantize's own outputs, saved beside it by `--sample`.
Usage: check_torchscript.py MODEL.pt SAMPLE.safetensors TOLERANCE [relative]
The max |difference| must be <= TOLERANCE; with 'relative' (quantized exports), <= TOLERANCE
times max |output| and the top-1 class (or next token) must agree on at least 95% of the rows:
PyTorch's dynamic int8 kernel quantizes activations per tensor where ours quantize per row, so
its outputs are close to ours, not equal."""
import json
import struct
import sys

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I16": np.int16}


def read_safetensors(path):
    """The tensors of a safetensors file (the format is simple enough to read by hand)."""
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        bf16 = info["dtype"] == "BF16"  # numpy has no bfloat16: read the bits as int16
        dtype = DTYPES["I16" if bf16 else info["dtype"]]
        array = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=dtype)
        t = torch.from_numpy(array.reshape(info["shape"]).copy())
        out[name] = t.view(torch.bfloat16) if bf16 else t
    return out


def main():
    model_path, sample_path, tolerance = sys.argv[1], sys.argv[2], float(sys.argv[3])
    relative = len(sys.argv) > 4 and sys.argv[4] == "relative"
    sample = read_safetensors(sample_path)
    module = torch.jit.load(model_path)
    module.eval()
    with torch.no_grad():
        output = module(sample["input"])
    expected = sample["output"]
    if tuple(output.shape) != tuple(expected.shape):
        print(f"FAIL {model_path}: shape {tuple(output.shape)} vs {tuple(expected.shape)}")
        return 1
    diff = (output - expected).abs().max().item()
    limit = tolerance * (expected.abs().max().item() if relative else 1.0)
    agree = (output.argmax(-1) == expected.argmax(-1)).double().mean().item()
    ok = diff <= limit and (not relative or agree >= 0.95)
    ops = sorted({n.kind() for n in module.graph.nodes() if "quantized" in n.kind()})
    print(f"{'ok  ' if ok else 'FAIL'} {model_path}: torch {torch.__version__}, max |diff| "
          f"{diff:.3g} (limit {limit:.3g}), top-1 agreement {100 * agree:.1f}%"
          f"{', ' + ', '.join(ops) if ops else ''}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
