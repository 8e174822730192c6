// Hugging Face config.json mapping, tensor names, shard index and RoPE frequencies (torch-free).
#include "io/hf_config.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include "core/error.h"
#include "io/rope_scaling.h"

namespace qz::io {
namespace {

using nlohmann::json;

json llama_config() {
  return json::parse(R"({
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 128256,
    "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16,
    "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64,
    "max_position_embeddings": 131072, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
    "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                     "original_max_position_embeddings": 8192, "rope_type": "llama3"},
    "tie_word_embeddings": true, "hidden_act": "silu", "attention_bias": false,
    "mlp_bias": false, "torch_dtype": "bfloat16", "bos_token_id": 128000,
    "eos_token_id": 128001, "pretraining_tp": 1, "transformers_version": "4.45.0.dev0"})");
}

std::string mapping_error(const json& hf) {
  try {
    map_hf_config(hf, "ckpt/config.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(HfConfig, MapsLlama32ToOurTransformer) {
  const HfConfig m = map_hf_config(llama_config(), "config.json");
  EXPECT_EQ(m.architecture, "LlamaForCausalLM");
  EXPECT_TRUE(m.tied_embeddings);
  EXPECT_EQ(m.torch_dtype, "bfloat16");
  const json& c = m.config;
  EXPECT_EQ(c["arch"], "transformer");
  EXPECT_EQ(c["vocab"], 128256);
  EXPECT_EQ(c["d_model"], 2048);
  EXPECT_EQ(c["n_layers"], 16);
  EXPECT_EQ(c["n_heads"], 32);
  EXPECT_EQ(c["n_kv_heads"], 8);
  EXPECT_EQ(c["head_dim"], 64);
  EXPECT_EQ(c["d_ff"], 8192);
  EXPECT_EQ(c["max_seq"], 131072);
  EXPECT_DOUBLE_EQ(c["norm_eps"].get<double>(), 1e-5);
  EXPECT_DOUBLE_EQ(c["rope_base"].get<double>(), 500000.0);
  EXPECT_EQ(c["rope_scaling"]["type"], "llama3");
  EXPECT_EQ(c["rope_scaling"]["original_max_position_embeddings"], 8192);
  EXPECT_FALSE(c.contains("qkv_bias"));
  EXPECT_EQ(c["eos_ids"], json::array({128001}));
}

TEST(HfConfig, ArchitectureOptionsAndDefaults) {
  json q2 = llama_config();
  q2["architectures"] = {"Qwen2ForCausalLM"};
  q2.erase("rms_norm_eps");
  q2.erase("rope_theta");
  q2.erase("rope_scaling");
  q2["use_sliding_window"] = false;
  q2["sliding_window"] = 4096;  // ignored while use_sliding_window is false
  const json c2 = map_hf_config(q2, "q2").config;
  EXPECT_TRUE(c2["qkv_bias"].get<bool>());
  EXPECT_DOUBLE_EQ(c2["norm_eps"].get<double>(), 1e-6);  // Hugging Face's default
  EXPECT_DOUBLE_EQ(c2["rope_base"].get<double>(), 10000.0);
  EXPECT_EQ(c2["max_seq"], 131072);
  json q3 = q2;
  q3["architectures"] = {"Qwen3ForCausalLM"};
  EXPECT_TRUE(map_hf_config(q3, "q3").config["qk_norm"].get<bool>());
  json mistral = llama_config();
  mistral["architectures"] = {"MistralForCausalLM"};
  mistral["sliding_window"] = 4096;
  mistral["head_dim"] = nullptr;
  mistral["rope_scaling"] = nullptr;
  const json cm = map_hf_config(mistral, "m").config;
  EXPECT_EQ(cm["max_seq"], 4096);  // the window caps the context
  EXPECT_FALSE(cm.contains("head_dim"));
  EXPECT_FALSE(cm.contains("rope_scaling"));
}

TEST(HfConfig, RefusalsNameTheFileAndKey) {
  auto with = [](const char* key, json value) {
    json c = llama_config();
    c[key] = std::move(value);
    return c;
  };
  EXPECT_NE(mapping_error(with("architectures", {"GPT2LMHeadModel"}))
                .find("ckpt/config.json: field 'architectures': 'GPT2LMHeadModel' is not "
                      "supported"),
            std::string::npos);
  EXPECT_NE(mapping_error(with("architectures", json::array())).find("'architectures'"),
            std::string::npos);
  EXPECT_NE(mapping_error(with("hidden_act", "gelu")).find("'hidden_act': 'gelu'"),
            std::string::npos);
  EXPECT_NE(mapping_error(with("attention_bias", true)).find("'attention_bias'"),
            std::string::npos);
  EXPECT_NE(mapping_error(with("mlp_bias", true)).find("'mlp_bias'"), std::string::npos);
  EXPECT_NE(mapping_error(with("num_key_value_heads", 5)).find("'n_kv_heads'"), std::string::npos);
  EXPECT_NE(mapping_error(with("hidden_size", "wide")).find("'hidden_size'"), std::string::npos);
  EXPECT_NE(mapping_error(with("rope_scaling", {{"rope_type", "yarn"}, {"factor", 4.0}}))
                .find("rope type 'yarn' is not supported"),
            std::string::npos);
  EXPECT_NE(mapping_error(with("eos_token_id", "end")).find("'eos_token_id'"), std::string::npos);
  EXPECT_NE(mapping_error(with("eos_token_id", {1, 200000})).find("'eos_ids'"),
            std::string::npos);  // past the vocabulary
  json missing = llama_config();
  missing.erase("vocab_size");
  EXPECT_NE(mapping_error(missing).find("'vocab_size'"), std::string::npos);
  json odd = llama_config();
  odd["head_dim"] = 63;
  EXPECT_NE(mapping_error(odd).find("'head_dim'"), std::string::npos);
  EXPECT_NE(mapping_error(json::array()).find("expected a JSON object"), std::string::npos);
}

TEST(HfConfig, TensorNames) {
  EXPECT_EQ(hf_tensor_name("embed.weight"), "model.embed_tokens.weight");
  EXPECT_EQ(hf_tensor_name("final_norm.weight"), "model.norm.weight");
  EXPECT_EQ(hf_tensor_name("head.weight"), "lm_head.weight");
  EXPECT_EQ(hf_tensor_name("blocks.0.q.weight"), "model.layers.0.self_attn.q_proj.weight");
  EXPECT_EQ(hf_tensor_name("blocks.12.k.bias"), "model.layers.12.self_attn.k_proj.bias");
  EXPECT_EQ(hf_tensor_name("blocks.3.attn_norm.weight"), "model.layers.3.input_layernorm.weight");
  EXPECT_EQ(hf_tensor_name("blocks.3.mlp_norm.weight"),
            "model.layers.3.post_attention_layernorm.weight");
  EXPECT_EQ(hf_tensor_name("blocks.1.q_norm.weight"), "model.layers.1.self_attn.q_norm.weight");
  EXPECT_EQ(hf_tensor_name("blocks.1.down.weight"), "model.layers.1.mlp.down_proj.weight");
  EXPECT_THROW(hf_tensor_name("blocks.1.mystery.weight"), InternalError);
  EXPECT_TRUE(hf_tensor_ignorable("model.layers.0.self_attn.rotary_emb.inv_freq"));
  EXPECT_FALSE(hf_tensor_ignorable("model.layers.0.self_attn.q_proj.weight"));
}

class HfShardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("qz_hf_shards_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::string error() {
    try {
      read_hf_shards(dir_.string());
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
  std::filesystem::path dir_;
};

TEST_F(HfShardsTest, IndexListsShardsBesideIt) {
  EXPECT_NE(error().find("no model.safetensors"), std::string::npos);
  write("model.safetensors", "x");
  EXPECT_EQ(read_hf_shards(dir_.string()).paths.size(), 1u);
  write("model.safetensors.index.json",
        R"({"weight_map": {"a": "s1.safetensors", "b": "s2.safetensors"}})");
  EXPECT_NE(error().find("shard 's1.safetensors' is missing"), std::string::npos);
  write("s1.safetensors", "x");
  write("s2.safetensors", "x");
  const HfShards shards = read_hf_shards(dir_.string());
  EXPECT_EQ(shards.paths.size(), 2u);
  EXPECT_EQ(shards.shard_of.at("b"), (dir_ / "s2.safetensors").string());
  write("model.safetensors.index.json", R"({"weight_map": {"a": "../etc/passwd"}})");
  EXPECT_NE(error().find("is not a file name in the folder"), std::string::npos);
  write("model.safetensors.index.json", R"({"weights": {}})");
  EXPECT_NE(error().find("'weight_map'"), std::string::npos);
}

TEST_F(HfShardsTest, GenerationConfigEosIdsWin) {
  write("config.json", llama_config().dump());
  EXPECT_EQ(read_hf_config(dir_.string()).config["eos_ids"], json::array({128001}));
  write("generation_config.json", R"({"bos_token_id": 128000, "eos_token_id": [128001, 128009]})");
  EXPECT_EQ(read_hf_config(dir_.string()).config["eos_ids"], json::array({128001, 128009}));
  write("generation_config.json", R"({"eos_token_id": 128256})");
  try {
    read_hf_config(dir_.string());
    ADD_FAILURE() << "an eos id past the vocabulary was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("generation_config.json"), std::string::npos);
  }
}

TEST(RopeScaling, PlainFrequencies) {
  const auto inv = rope_inverse_frequencies(10000.0, 8, nullptr);
  ASSERT_EQ(inv.size(), 4u);
  for (size_t i = 0; i < inv.size(); ++i)
    EXPECT_NEAR(inv[i], std::pow(10000.0, -2.0 * static_cast<double>(i) / 8), 1e-6 * inv[i]);
}

TEST(RopeScaling, Llama3BandsAndLinear) {
  // base 500000, head_dim 16, original context 64: wavelengths 6.3 (high band, kept),
  // 32.3 (between 64/4 and 64/1: blended) and longer (divided by the factor).
  const json s = {{"type", "llama3"},
                  {"factor", 8.0},
                  {"low_freq_factor", 1.0},
                  {"high_freq_factor", 4.0},
                  {"original_max_position_embeddings", 64}};
  validate_rope_scaling(s, "cfg");
  const auto plain = rope_inverse_frequencies(500000.0, 16, nullptr);
  const auto scaled = rope_inverse_frequencies(500000.0, 16, s);
  EXPECT_FLOAT_EQ(scaled[0], plain[0]);
  const double wavelen = 2 * std::numbers::pi / plain[1];
  const double smooth = (64.0 / wavelen - 1.0) / (4.0 - 1.0);
  EXPECT_NEAR(scaled[1], (1 - smooth) * plain[1] / 8 + smooth * plain[1], 1e-6 * plain[1]);
  for (size_t i = 2; i < plain.size(); ++i) EXPECT_FLOAT_EQ(scaled[i], plain[i] / 8);
  const auto linear = rope_inverse_frequencies(10000.0, 8, {{"type", "linear"}, {"factor", 4.0}});
  EXPECT_FLOAT_EQ(linear[1], rope_inverse_frequencies(10000.0, 8, nullptr)[1] / 4);
  EXPECT_THROW(validate_rope_scaling({{"type", "yarn"}, {"factor", 2.0}}, "cfg"), InputError);
  EXPECT_THROW(validate_rope_scaling({{"type", "llama3"},
                                      {"factor", 8.0},
                                      {"low_freq_factor", 4.0},
                                      {"high_freq_factor", 1.0},
                                      {"original_max_position_embeddings", 64}},
                                     "cfg"),
               InputError);
}

}  // namespace
}  // namespace qz::io
