#!/usr/bin/env python3
"""Seed corpora for the fuzz targets: small valid inputs of each reader, as our writers lay
them out, and a few near misses. Usage: make_seeds.py OUT_DIR (writes OUT_DIR/<target>/*)."""
import json
import os
import struct
import sys


def safetensors(tensors, metadata=None):
    """tensors: [(name, dtype, shape, bytes)] laid out in order from offset 0."""
    header, data, offset = {}, b"", 0
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # padded to 8 bytes, as the reference writer does
    return struct.pack("<Q", len(text)) + text + data


def gguf(kvs, tensors, alignment=32):
    """kvs: [(key, type, packed value bytes)]; tensors: [(name, dims, ggml type, data bytes)],
    laid out in order, each at the next multiple of `alignment`."""
    def string(s):
        return struct.pack("<Q", len(s)) + s.encode()
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs))
    for key, kind, raw in kvs:
        out += string(key) + struct.pack("<I", kind) + raw
    data, offsets = b"", []
    for _, _, _, raw in tensors:
        data += b"\0" * (-len(data) % alignment)
        offsets.append(len(data))
        data += raw
    for (name, dims, kind, _), offset in zip(tensors, offsets):
        out += string(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}q", *dims)
        out += struct.pack("<IQ", kind, offset)
    out += b"\0" * (-len(out) % alignment)
    return out + data


def gguf_strings(items):
    return struct.pack("<IQ", 8, len(items)) + b"".join(
        struct.pack("<Q", len(s.encode())) + s.encode() for s in items)


def main():
    out = sys.argv[1]
    seeds = {
        "safetensors": {
            "two.safetensors": safetensors(
                [("weight", "F32", [2, 3], struct.pack("<6f", *range(6))),
                 ("codes", "U8", [4], bytes([1, 2, 3, 4]))],
                {"format": "pt", "config": "{\"arch\":\"mlp\"}"}),
            "half.safetensors": safetensors([("h", "F16", [2, 2], bytes(8)),
                                             ("s", "I32", [1], bytes(4))]),
            "empty.safetensors": safetensors([]),
            "scalar.safetensors": safetensors([("x", "F64", [], bytes(8))]),
            "truncated.safetensors": safetensors([("w", "F32", [4], bytes(16))])[:-5],
        },
        "gguf": {
            "model.gguf": gguf(
                [("general.architecture", 8, struct.pack("<Q", 5) + b"llama"),
                 ("llama.block_count", 4, struct.pack("<I", 2)),
                 ("llama.rope.freq_base", 6, struct.pack("<f", 10000.0)),
                 ("tokenizer.ggml.tokens", 9, gguf_strings(["<s>", "</s>", "\u2581a", "b"])),
                 ("tokenizer.ggml.scores", 9, struct.pack("<IQ4f", 6, 4, 0, 0, -1, -2)),
                 ("tokenizer.ggml.add_bos_token", 7, b"\x01")],
                [("token_embd.weight", [8, 4], 0, bytes(128)),
                 ("blk.0.attn_q.weight", [32, 2], 8, bytes(68)),
                 ("blk.0.ffn_down.weight", [256], 12, bytes(144))]),
            "vocab.gguf": gguf([("tokenizer.ggml.model", 8, struct.pack("<Q", 4) + b"gpt2"),
                                ("general.alignment", 4, struct.pack("<I", 64)),
                                ("tokenizer.ggml.merges", 9, gguf_strings(["a b", "ab c"]))], []),
            "truncated.gguf": gguf([], [("w", [4], 0, bytes(16))])[:-5],
        },
        "json_fields": {
            "recipe.json": json.dumps({"steps": [{"method": "distill", "student": {"hidden": [128]}},
                                                 {"method": "int4", "group": 128}],
                                       "description": "chain"}),
            "config.json": json.dumps({"arch": "mlp", "hidden": [512, 512], "epochs": 3,
                                       "bits": 4, "sparsity": 0.5, "method": "gptq"}),
            "nested.json": "[" * 40 + "]" * 40,
            "numbers.json": json.dumps({"epochs": 1e300, "group": -9223372036854775808,
                                        "bits": 18446744073709551615, "hidden": [1, 2.5, "x"]}),
        },
        "model_config": {
            "mlp.json": json.dumps({"arch": "mlp", "input_shape": [1, 16, 16], "num_classes": 12,
                                    "hidden": [256, 128]}),
            "cnn.json": json.dumps({"arch": "cnn", "input_shape": [1, 16, 16], "num_classes": 12,
                                    "channels": [32, 64], "hidden": 256}),
            "transformer.json": json.dumps({"arch": "transformer", "vocab": 256, "d_model": 128,
                                            "n_layers": 2, "n_heads": 4, "d_ff": 352,
                                            "max_seq": 64, "block_heads": [2, 4],
                                            "block_d_ff": [176, 352]}),
            "bad_heads.json": json.dumps({"arch": "transformer", "vocab": 256, "d_model": 96,
                                          "n_layers": 1, "n_heads": 5, "d_ff": 8, "max_seq": 8}),
        },
        "hf_config": {
            "llama32.json": json.dumps({
                "architectures": ["LlamaForCausalLM"], "vocab_size": 128256,
                "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16,
                "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64,
                "max_position_embeddings": 131072, "rms_norm_eps": 1e-5, "rope_theta": 500000.0,
                "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                 "original_max_position_embeddings": 8192, "rope_type": "llama3"},
                "tie_word_embeddings": True, "torch_dtype": "bfloat16",
                "eos_token_id": [128001, 128008, 128009]}),
            "mistral.json": json.dumps({
                "architectures": ["MistralForCausalLM"], "vocab_size": 32000, "hidden_size": 4096,
                "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32,
                "num_key_value_heads": 8, "head_dim": None, "max_position_embeddings": 32768,
                "sliding_window": 4096, "rope_theta": 10000.0, "rope_scaling": None}),
            "qwen3.json": json.dumps({
                "architectures": ["Qwen3ForCausalLM"], "vocab_size": 151936, "hidden_size": 1024,
                "intermediate_size": 3072, "num_hidden_layers": 28, "num_attention_heads": 16,
                "num_key_value_heads": 8, "head_dim": 128, "max_position_embeddings": 40960,
                "rope_scaling": {"rope_type": "linear", "factor": 2.0},
                "use_sliding_window": False, "attention_bias": False}),
            "bad.json": json.dumps({"architectures": ["Qwen2ForCausalLM"], "hidden_act": "gelu",
                                    "num_key_value_heads": 3}),
        },
        "recipe": {
            "chain.json": json.dumps({"description": "distill, prune, quantize", "steps": [
                {"method": "distill", "student": {"hidden": [128, 128]}, "temperature": 4},
                {"method": "prune-structured", "ratio": 0.5, "norm": 1},
                {"method": "prune-nm", "pattern": "2:4"},
                {"method": "lowrank", "energy": 0.9},
                {"method": "gptq", "bits": 3, "group": 64, "act_order": True},
                {"method": "int4", "group": 128, "exclude": ["head"]}]}),
            "each.json": json.dumps({"steps": [
                {"method": m} for m in ["fp16", "int8-static", "nf4", "prune-magnitude",
                                        "prune-wanda", "prune-sparsegpt", "qat", "finetune",
                                        "rtn", "awq", "smoothquant", "hqq"]]}),
            "bad.json": json.dumps({"steps": [{"method": "gptq", "bits": 8, "group": 32},
                                              {"method": "lowrank", "rank": 4, "ratio": 0.5}]}),
        },
        "text": {
            "ascii.txt": bytes([16]) + b"the quick brown fox jumps over the lazy dog. " * 8,
            "utf8.txt": bytes([4]) + "h\u00e9llo w\u00f6rld \U0001F600 ".encode() * 6,
            "binary.txt": bytes([8]) + b"abc\x00\xff\xfe" * 20,
        },
        "tokenizer": {
            "regex.bin": bytes([0]) + rb"(?i:'s|'t)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|\s+(?!\S)|\s+",
            "bytelevel.bin": bytes([1]) + "hello world's 1234 \u00e9\u6211 \U0001F601\n\n".encode(),
            "special.bin": bytes([5]) + b"he<|end|>ll\xff\xfe",
            "sentencepiece.bin": bytes([2]) + "ab ba \u2581a \u00e9c".encode(),
            "vocab.gguf": bytes([3]) + gguf(
                [("tokenizer.ggml.model", 8, struct.pack("<Q", 4) + b"gpt2"),
                 ("tokenizer.ggml.pre", 8, struct.pack("<Q", 5) + b"gpt-2"),
                 ("tokenizer.ggml.tokens", 9, gguf_strings(["a", "b", "ab", "c", "abc"])),
                 ("tokenizer.ggml.merges", 9, gguf_strings(["a b", "ab c"]))], []),
        },
        "csv": {
            "header.csv": "x,y,label\n0.5,1,0\n-2e3,3.25,1\n7,8,2\n",
            "plain.csv": "1,2,0\r\n3,4,1\r\n\r\n5 , 6 ,1\n",
            "ragged.csv": "1,2,0\n3,4\n",
        },
        "idx": {
            "images.idx": bytes([0, 0, 8, 3]) + struct.pack(">3I", 2, 3, 3) + bytes(range(18)),
            "labels.idx": bytes([0, 0, 8, 1]) + struct.pack(">I", 4) + bytes([0, 1, 2, 1]),
            "padded.idx": bytes([0, 0, 8, 1]) + struct.pack(">I", 2) + bytes(3),
        },
    }
    for target, files in seeds.items():
        os.makedirs(os.path.join(out, target), exist_ok=True)
        for name, content in files.items():
            mode = "wb" if isinstance(content, bytes) else "w"
            with open(os.path.join(out, target, name), mode) as f:
                f.write(content)


if __name__ == "__main__":
    main()
