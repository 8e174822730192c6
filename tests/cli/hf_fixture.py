#!/usr/bin/python3
"""Tiny Hugging Face checkpoints in the exact folder layout, and an independent reference.

  hf_fixture.py make ARCH DIR [--extra-tensor] [--drop NAME]
      writes DIR/config.json, generation_config.json and model.safetensors (or shards with
      model.safetensors.index.json) of a random model of ARCH: llama, mistral, qwen2 or qwen3.
  hf_fixture.py check DIR SAMPLE [TOLERANCE]
      runs DIR's weights through a plain PyTorch implementation of the architecture (written
      from Hugging Face's modeling code: rotate_half RoPE, repeat_kv, llama3 frequency scaling,
      q/k norms) on the tokens of SAMPLE (written by `quantize export --sample`) and compares
      its logits with quantize's, also in SAMPLE: max |difference| <= TOLERANCE (1e-3).

Runs with Debian's python3-torch (/usr/bin/python3); safetensors is read and written by hand.
"""
import json
import math
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "export"))
from check_torchscript import read_safetensors  # noqa: E402  (one hand-written reader)

# Each architecture's config, with the options that make it differ from the others.
CONFIGS = {
    # Grouped-query attention, Llama 3.1's frequency scaling (its original context shortened so
    # all three bands occur at head_dim 16), tied embeddings, BF16 in one file.
    "llama": {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "vocab_size": 320, "hidden_size": 64, "intermediate_size": 160,
        "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
        "max_position_embeddings": 128, "rms_norm_eps": 1e-5, "rope_theta": 500000.0,
        "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                         "original_max_position_embeddings": 64, "rope_type": "llama3"},
        "tie_word_embeddings": True, "hidden_act": "silu", "attention_bias": False,
        "mlp_bias": False, "torch_dtype": "bfloat16", "bos_token_id": 1, "eos_token_id": 2,
        "initializer_range": 0.02, "transformers_version": "4.45.0",
    },
    # One key/value head for four query heads, a sliding window, F16 in two shards.
    "mistral": {
        "architectures": ["MistralForCausalLM"], "model_type": "mistral",
        "vocab_size": 300, "hidden_size": 64, "intermediate_size": 128,
        "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 1,
        "head_dim": None, "max_position_embeddings": 4096, "sliding_window": 64,
        "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": False,
        "hidden_act": "silu", "torch_dtype": "float16", "bos_token_id": 1, "eos_token_id": 2,
    },
    # q/k/v biases, heads of 12, tied embeddings; a saved rotary table to skip.
    "qwen2": {
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2",
        "vocab_size": 288, "hidden_size": 48, "intermediate_size": 96,
        "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
        "max_position_embeddings": 256, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
        "rope_scaling": None, "tie_word_embeddings": True, "use_sliding_window": False,
        "sliding_window": 4096, "hidden_act": "silu", "torch_dtype": "bfloat16",
    },
    # Heads wider than hidden_size / heads, RMSNorm over each query and key head.
    "qwen3": {
        "architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3",
        "vocab_size": 256, "hidden_size": 64, "intermediate_size": 128,
        "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
        "head_dim": 32, "max_position_embeddings": 128, "rms_norm_eps": 1e-6,
        "rope_theta": 1000000.0, "tie_word_embeddings": False, "attention_bias": False,
        "hidden_act": "silu", "torch_dtype": "bfloat16",
    },
}
SHARDS = {"mistral": 2}
GENERATION = {"bos_token_id": 1, "eos_token_id": [2, 4], "do_sample": False}

STORE = {"bfloat16": (torch.bfloat16, "BF16"), "float16": (torch.float16, "F16"),
         "float32": (torch.float32, "F32")}
READ = {"BF16": torch.bfloat16, "F16": torch.float16, "F32": torch.float32, "I64": torch.int64}


def head_dim(c):
    return c.get("head_dim") or c["hidden_size"] // c["num_attention_heads"]


def random_weights(c, seed=0):
    """Every tensor of the architecture under its Hugging Face name, as float32."""
    g = torch.Generator().manual_seed(seed)
    d, ff, hd = c["hidden_size"], c["intermediate_size"], head_dim(c)
    heads, kv = c["num_attention_heads"], c.get("num_key_value_heads") or c["num_attention_heads"]
    qwen2, qwen3 = c["model_type"] == "qwen2", c["model_type"] == "qwen3"

    def normal(*shape, std=0.08):
        return torch.randn(*shape, generator=g) * std

    def norm(n):
        return 1.0 + normal(n, std=0.2)

    w = {"model.embed_tokens.weight": normal(c["vocab_size"], d, std=0.5),
         "model.norm.weight": norm(d)}
    if not c["tie_word_embeddings"]:
        w["lm_head.weight"] = normal(c["vocab_size"], d, std=0.2)
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = norm(d)
        w[p + "post_attention_layernorm.weight"] = norm(d)
        for name, rows in (("q", heads * hd), ("k", kv * hd), ("v", kv * hd)):
            w[p + f"self_attn.{name}_proj.weight"] = normal(rows, d, std=0.25)
            if qwen2:
                w[p + f"self_attn.{name}_proj.bias"] = normal(rows, std=0.3)
        w[p + "self_attn.o_proj.weight"] = normal(d, heads * hd, std=0.15)
        if qwen3:
            w[p + "self_attn.q_norm.weight"] = norm(hd)
            w[p + "self_attn.k_norm.weight"] = norm(hd)
        w[p + "mlp.gate_proj.weight"] = normal(ff, d, std=0.2)
        w[p + "mlp.up_proj.weight"] = normal(ff, d, std=0.2)
        w[p + "mlp.down_proj.weight"] = normal(d, ff, std=0.15)
    return w


def tensor_bytes(t):
    return t.contiguous().view(torch.uint8).numpy().tobytes() if t.dtype == torch.bfloat16 \
        else t.contiguous().numpy().tobytes()


def write_safetensors(path, tensors, labels):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        data = tensor_bytes(t)
        header[name] = {"dtype": labels[name], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def make(arch, out_dir, extra_tensor=False, drop=None):
    c = dict(CONFIGS[arch])
    os.makedirs(out_dir, exist_ok=True)
    dtype, label = STORE[c["torch_dtype"]]
    weights = {k: v.to(dtype) for k, v in random_weights(c).items()}
    if arch == "qwen2":  # some exporters saved the rotary table; loaders skip it
        weights["model.layers.0.self_attn.rotary_emb.inv_freq"] = torch.ones(
            head_dim(c) // 2, dtype=torch.float32)
    if extra_tensor:
        weights["model.layers.0.mlp.extra_proj.weight"] = torch.zeros(4, 4, dtype=dtype)
    if drop:
        del weights[drop]
    labels = {k: ("F32" if v.dtype == torch.float32 else label) for k, v in weights.items()}
    names = sorted(weights)
    shards = SHARDS.get(arch, 1)
    if shards == 1:
        write_safetensors(os.path.join(out_dir, "model.safetensors"), weights, labels)
    else:
        weight_map = {}
        for s in range(shards):
            file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            part = {n: weights[n] for n in names[s::shards]}
            write_safetensors(os.path.join(out_dir, file), part, labels)
            weight_map.update({n: file for n in part})
        with open(os.path.join(out_dir, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, f, indent=2)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    with open(os.path.join(out_dir, "generation_config.json"), "w") as f:
        json.dump(GENERATION, f, indent=2)


# --- the reference: Hugging Face's Llama-family forward pass, written out in plain PyTorch ---

def rms_norm(x, w, eps):
    x = x.float()
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def inverse_frequencies(c):
    dim = head_dim(c)
    inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    s = c.get("rope_scaling")
    if not s or s.get("rope_type", s.get("type")) == "default":
        return inv
    if s.get("rope_type", s.get("type")) == "linear":
        return inv / s["factor"]
    factor, low, high = s["factor"], s["low_freq_factor"], s["high_freq_factor"]
    old = s["original_max_position_embeddings"]
    wavelen = 2 * math.pi / inv
    scaled = torch.where(wavelen > old / low, inv / factor, inv)
    smooth = (old / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelen < old / high) * ~(wavelen > old / low)
    return torch.where(medium, smoothed, scaled)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def reference_logits(c, w, tokens):
    B, T = tokens.shape
    eps, hd = c["rms_norm_eps"], head_dim(c)
    heads, kv = c["num_attention_heads"], c.get("num_key_value_heads") or c["num_attention_heads"]
    freqs = torch.outer(torch.arange(T, dtype=torch.float32), inverse_frequencies(c))
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    mask = torch.full((T, T), float("-inf")).triu(1)
    h = torch.nn.functional.embedding(tokens, w["model.embed_tokens.weight"])
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        a = rms_norm(h, w[p + "input_layernorm.weight"], eps)

        def proj(name, n):
            y = torch.nn.functional.linear(a, w[p + f"self_attn.{name}_proj.weight"],
                                           w.get(p + f"self_attn.{name}_proj.bias"))
            y = y.view(B, T, n, hd)
            if p + f"self_attn.{name}_norm.weight" in w:
                y = rms_norm(y, w[p + f"self_attn.{name}_norm.weight"], eps)
            return y.transpose(1, 2)

        q, k, v = proj("q", heads), proj("k", kv), proj("v", kv)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k[:, :, None].expand(B, kv, heads // kv, T, hd).reshape(B, heads, T, hd)
        v = v[:, :, None].expand(B, kv, heads // kv, T, hd).reshape(B, heads, T, hd)
        scores = q @ k.transpose(2, 3) / math.sqrt(hd) + mask
        att = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, T, heads * hd)
        h = h + torch.nn.functional.linear(att, w[p + "self_attn.o_proj.weight"])
        m = rms_norm(h, w[p + "post_attention_layernorm.weight"], eps)
        gated = torch.nn.functional.silu(
            torch.nn.functional.linear(m, w[p + "mlp.gate_proj.weight"])) * \
            torch.nn.functional.linear(m, w[p + "mlp.up_proj.weight"])
        h = h + torch.nn.functional.linear(gated, w[p + "mlp.down_proj.weight"])
    h = rms_norm(h, w["model.norm.weight"], eps)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return torch.nn.functional.linear(h, head)


def load_folder(folder):
    c = json.load(open(os.path.join(folder, "config.json")))
    w = {}
    for f in sorted(os.listdir(folder)):
        if f.endswith(".safetensors"):
            w.update(read_safetensors(os.path.join(folder, f)))
    return c, {k: v.float() for k, v in w.items()}


def check(folder, sample_path, tolerance=1e-3):
    c, w = load_folder(folder)
    sample = read_safetensors(sample_path)
    with torch.no_grad():
        ref = reference_logits(c, w, sample["input"])
    ours = sample["output"]
    if tuple(ref.shape) != tuple(ours.shape):
        print(f"FAIL {folder}: shape {tuple(ours.shape)}, reference {tuple(ref.shape)}")
        return 1
    diff = (ref - ours).abs().max().item()
    ok = diff <= tolerance
    print(f"{'ok  ' if ok else 'FAIL'} {folder} ({c['architectures'][0]}): max |logit - "
          f"reference| {diff:.3g} (limit {tolerance:g}; logits up to {ref.abs().max():.3g})")
    return 0 if ok else 1


def main(argv):
    if len(argv) >= 3 and argv[0] == "make":
        extra = "--extra-tensor" in argv
        drop = argv[argv.index("--drop") + 1] if "--drop" in argv else None
        make(argv[1], argv[2], extra, drop)
        return 0
    if len(argv) >= 3 and argv[0] == "check":
        return check(argv[1], argv[2], float(argv[3]) if len(argv) > 3 else 1e-3)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
