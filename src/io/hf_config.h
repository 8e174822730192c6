// Hugging Face checkpoint folders, torch-free: config.json mapped to our transformer config,
// tensor names mapped to ours, the shard index read. A folder holds
//   config.json                       {"architectures": ["LlamaForCausalLM"], "hidden_size": ..}
//   model.safetensors                 or shards listed by model.safetensors.index.json
//   generation_config.json, tokenizer files (optional here)
// Architectures: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM (q/k/v biases),
// Qwen3ForCausalLM (q/k RMSNorm). Everything a key changes in the computation is either mapped
// or refused with an InputError naming the file and the key; keys that change nothing we compute
// (token ids, initializer_range, transformers_version, ...) are ignored.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace qz::io {

// The architectures a checkpoint folder may declare.
const std::vector<std::string>& hf_architectures();

// clang-tidy 14 reports an exception escaping this struct's implicit special members (through
// nlohmann::json's), naming no call that throws; RecipeStep, with the same members, is not
// reported.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct HfConfig {
  std::string architecture;      // e.g. "LlamaForCausalLM"
  nlohmann::json config;         // ours ({"arch": "transformer", ...}), validated
  bool tied_embeddings = false;  // the LM head reuses the token embedding (no lm_head.weight)
  std::string torch_dtype;       // as declared ("bfloat16"), or empty
};

// Maps a parsed config.json; `where` names the file in errors.
HfConfig map_hf_config(const nlohmann::json& hf, const std::string& where);

// True when `dir` is a folder holding config.json.
bool is_hf_checkpoint_dir(const std::string& dir);
// Reads and maps `dir`/config.json; end-of-sequence ids ("eos_ids") come from
// generation_config.json when it names them, else from config.json.
HfConfig read_hf_config(const std::string& dir);

// The checkpoint's name for one of our tensors ("blocks.0.q.weight" →
// "model.layers.0.self_attn.q_proj.weight"); InternalError for a name we never make.
std::string hf_tensor_name(const std::string& ours);
// Checkpoint tensors that carry nothing to load (rotary tables some exporters saved).
bool hf_tensor_ignorable(const std::string& name);

// The checkpoint's safetensors files by tensor name: from model.safetensors.index.json's
// weight_map when present (shard names must be plain file names in `dir`, every shard must
// exist), else every tensor maps to model.safetensors. The second member lists the shard paths.
struct HfShards {
  std::map<std::string, std::string> shard_of;  // tensor name → path; empty without an index
  std::vector<std::string> paths;
};
HfShards read_hf_shards(const std::string& dir);

}  // namespace qz::io
