#include "io/hf_config.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/error.h"
#include "core/json_fields.h"
#include "io/model_config.h"

namespace qz::io {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kUnbounded = int64_t{1} << 40;  // ranges are validate_config's to check

bool present(const json& obj, const char* key) {
  return obj.contains(key) && !obj[key].is_null();
}

bool flag(const json& hf, const char* key, const std::string& where, bool fallback) {
  if (!present(hf, key)) return fallback;
  QZ_CHECK(hf[key].is_boolean(), "{}: field '{}': expected true or false", where, key);
  return hf[key].get<bool>();
}

// HF's "rope_scaling" as ours: null for plain RoPE, else the linear or llama3 rule.
json map_rope_scaling(const json& hf, const std::string& where) {
  if (!present(hf, "rope_scaling")) return nullptr;
  const json& s = hf["rope_scaling"];
  const std::string w = where + ": field 'rope_scaling'";
  QZ_CHECK(s.is_object(), "{}: expected an object or null", w);
  const std::string type = json_string(s, present(s, "rope_type") ? "rope_type" : "type", w);
  if (type == "default") return nullptr;
  QZ_CHECK(type == "linear" || type == "llama3",
           "{}: rope type '{}' is not supported (expected default, linear or llama3)", w, type);
  json out = {{"type", type}};
  for (const char* key :
       {"factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"})
    if (s.contains(key) && (type == "llama3" || std::string(key) == "factor")) out[key] = s[key];
  return out;
}

// "eos_token_id": one id or a list of them (null or absent: none).
std::vector<int64_t> eos_ids(const json& obj, const std::string& where) {
  if (!present(obj, "eos_token_id")) return {};
  const json& ids = obj["eos_token_id"];
  const json list = ids.is_array() ? ids : json::array({ids});
  QZ_CHECK(!list.empty() && list.size() <= 16,
           "{}: field 'eos_token_id': expected a token id or a list of 1 to 16", where);
  std::vector<int64_t> out;
  for (const auto& id : list) {
    QZ_CHECK(id.is_number_integer() && id.get<int64_t>() >= 0,
             "{}: field 'eos_token_id': expected non-negative integer token ids", where);
    out.push_back(id.get<int64_t>());
  }
  return out;
}

}  // namespace

const std::vector<std::string>& hf_architectures() {
  static const std::vector<std::string> archs = {"LlamaForCausalLM", "MistralForCausalLM",
                                                 "Qwen2ForCausalLM", "Qwen3ForCausalLM"};
  return archs;
}

HfConfig map_hf_config(const json& hf, const std::string& where) {
  QZ_CHECK(hf.is_object(), "{}: expected a JSON object", where);
  HfConfig out;
  QZ_CHECK(present(hf, "architectures") && hf["architectures"].is_array() &&
               !hf["architectures"].empty() && hf["architectures"][0].is_string(),
           "{}: field 'architectures': expected a list naming the model class, one of {}", where,
           fmt::join(hf_architectures(), ", "));
  out.architecture = hf["architectures"][0];
  const auto& known = hf_architectures();
  QZ_CHECK(std::find(known.begin(), known.end(), out.architecture) != known.end(),
           "{}: field 'architectures': '{}' is not supported (expected one of {})", where,
           out.architecture, fmt::join(known, ", "));
  const bool qwen2 = out.architecture == "Qwen2ForCausalLM";
  const bool qwen3 = out.architecture == "Qwen3ForCausalLM";

  // What our decoder does not compute is refused, never silently approximated.
  if (present(hf, "hidden_act")) {
    const std::string act = json_string(hf, "hidden_act", where);
    QZ_CHECK(act == "silu", "{}: field 'hidden_act': '{}' is not supported (expected silu)", where,
             act);
  }
  QZ_CHECK(qwen2 || !flag(hf, "attention_bias", where, false),
           "{}: field 'attention_bias': attention projections with biases are not supported for "
           "{} (expected false)",
           where, out.architecture);
  QZ_CHECK(!flag(hf, "mlp_bias", where, false),
           "{}: field 'mlp_bias': MLP biases are not supported (expected false)", where);
  QZ_CHECK(!((qwen2 || qwen3) && flag(hf, "use_sliding_window", where, false)),
           "{}: field 'use_sliding_window': sliding-window attention is not supported (expected "
           "false)",
           where);

  json c = {{"arch", "transformer"},
            {"vocab", json_int(hf, "vocab_size", where, 1, kUnbounded)},
            {"d_model", json_int(hf, "hidden_size", where, 1, kUnbounded)},
            {"n_layers", json_int(hf, "num_hidden_layers", where, 1, kUnbounded)},
            {"n_heads", json_int(hf, "num_attention_heads", where, 1, kUnbounded)},
            {"d_ff", json_int(hf, "intermediate_size", where, 1, kUnbounded)}};
  int64_t max_seq = json_int(hf, "max_position_embeddings", where, 1, kUnbounded);
  // Mistral's sliding window changes nothing while the context fits inside it: cap the context.
  if (!qwen2 && !qwen3 && present(hf, "sliding_window"))
    max_seq = std::min(max_seq, json_int(hf, "sliding_window", where, 1, kUnbounded));
  c["max_seq"] = max_seq;
  if (present(hf, "num_key_value_heads"))
    c["n_kv_heads"] = json_int(hf, "num_key_value_heads", where, 1, kUnbounded);
  if (present(hf, "head_dim")) c["head_dim"] = json_int(hf, "head_dim", where, 1, kUnbounded);
  // Hugging Face's defaults where the key is absent.
  c["norm_eps"] =
      present(hf, "rms_norm_eps") ? json_number(hf, "rms_norm_eps", where, 0.0, 1.0) : 1e-6;
  c["rope_base"] =
      present(hf, "rope_theta") ? json_number(hf, "rope_theta", where, 1.0, 1e12) : 10000.0;
  if (json scaling = map_rope_scaling(hf, where); !scaling.is_null()) c["rope_scaling"] = scaling;
  if (qwen2) c["qkv_bias"] = true;
  if (qwen3) c["qk_norm"] = true;
  if (auto eos = eos_ids(hf, where); !eos.empty()) c["eos_ids"] = eos;
  out.config = validate_config(c, where + " (as quantize's transformer config)");
  out.tied_embeddings = flag(hf, "tie_word_embeddings", where, false);
  if (present(hf, "torch_dtype")) out.torch_dtype = json_string(hf, "torch_dtype", where);
  return out;
}

bool is_hf_checkpoint_dir(const std::string& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec) && fs::is_regular_file(fs::path(dir) / "config.json", ec);
}

HfConfig read_hf_config(const std::string& dir) {
  const std::string path = (fs::path(dir) / "config.json").string();
  HfConfig out = map_hf_config(read_json_file(path), path);
  // generation_config.json's end-of-sequence ids win over config.json's (Llama 3 lists more).
  const fs::path generation = fs::path(dir) / "generation_config.json";
  std::error_code ec;
  if (fs::is_regular_file(generation, ec)) {
    const json g = read_json_file(generation.string());
    QZ_CHECK(g.is_object(), "{}: expected a JSON object", generation.string());
    if (auto eos = eos_ids(g, generation.string()); !eos.empty()) {
      out.config["eos_ids"] = eos;
      out.config = validate_config(out.config, generation.string() + " (eos_token_id)");
    }
  }
  return out;
}

std::string hf_tensor_name(const std::string& ours) {
  static const std::map<std::string, std::string> top = {
      {"embed.weight", "model.embed_tokens.weight"},
      {"final_norm.weight", "model.norm.weight"},
      {"head.weight", "lm_head.weight"}};
  static const std::map<std::string, std::string> in_block = {
      {"attn_norm", "input_layernorm"}, {"mlp_norm", "post_attention_layernorm"},
      {"q", "self_attn.q_proj"},        {"k", "self_attn.k_proj"},
      {"v", "self_attn.v_proj"},        {"o", "self_attn.o_proj"},
      {"q_norm", "self_attn.q_norm"},   {"k_norm", "self_attn.k_norm"},
      {"gate", "mlp.gate_proj"},        {"up", "mlp.up_proj"},
      {"down", "mlp.down_proj"}};
  if (auto it = top.find(ours); it != top.end()) return it->second;
  // blocks.<i>.<module>.<tensor>
  const size_t first = ours.find('.'), second = ours.find('.', first + 1);
  const size_t last = ours.rfind('.');
  QZ_ASSERT(ours.rfind("blocks.", 0) == 0 && second != std::string::npos && last > second,
            "no Hugging Face name for tensor '{}'", ours);
  const std::string module = ours.substr(second + 1, last - second - 1);
  auto it = in_block.find(module);
  QZ_ASSERT(it != in_block.end(), "no Hugging Face name for tensor '{}'", ours);
  return fmt::format("model.layers.{}.{}{}", ours.substr(first + 1, second - first - 1), it->second,
                     ours.substr(last));
}

bool hf_tensor_ignorable(const std::string& name) {
  return name.ends_with(".rotary_emb.inv_freq");
}

HfShards read_hf_shards(const std::string& dir) {
  HfShards out;
  const fs::path index = fs::path(dir) / "model.safetensors.index.json";
  std::error_code ec;
  if (!fs::exists(index, ec)) {
    const fs::path single = fs::path(dir) / "model.safetensors";
    QZ_CHECK(fs::is_regular_file(single, ec),
             "[model] {}: no model.safetensors and no model.safetensors.index.json in the "
             "checkpoint folder",
             dir);
    out.paths.push_back(single.string());
    return out;
  }
  const std::string where = "[model] " + index.string();
  const json j = read_json_file(index.string());
  QZ_CHECK(j.is_object() && j.contains("weight_map") && j["weight_map"].is_object(),
           "{}: field 'weight_map': expected an object of tensor name → shard file", where);
  std::set<std::string> shards;
  for (const auto& [name, shard] : j["weight_map"].items()) {
    QZ_CHECK(shard.is_string(), "{}: field 'weight_map': tensor '{}': expected a file name", where,
             name);
    const std::string file = shard;
    // Shards live beside the index: a path elsewhere is refused, not followed.
    QZ_CHECK(!file.empty() && file != "." && file != ".." &&
                 file.find_first_of("/\\") == std::string::npos,
             "{}: field 'weight_map': tensor '{}': shard '{}' is not a file name in the folder",
             where, name, file);
    const std::string path = (fs::path(dir) / file).string();
    if (shards.insert(path).second)
      QZ_CHECK(fs::is_regular_file(path, ec), "{}: field 'weight_map': shard '{}' is missing",
               where, file);
    out.shard_of[name] = path;
  }
  QZ_CHECK(!shards.empty(), "{}: field 'weight_map': lists no tensors", where);
  out.paths.assign(shards.begin(), shards.end());
  return out;
}

}  // namespace qz::io
