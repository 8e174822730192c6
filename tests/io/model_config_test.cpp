// Model config validation: every mistake is named with its field.
#include "io/model_config.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace qz::io {
namespace {

TEST(ModelConfig, ValidationNamesTheField) {
  auto error = [](const nlohmann::json& c) {
    try {
      validate_config(c, "cfg.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error({{"arch", "rnn"}}).find("unknown architecture 'rnn'"), std::string::npos);
  auto c = default_config("mlp", {1, 16, 16}, 12, 0);
  c["hidden"] = {256, -1};
  EXPECT_NE(error(c).find("'hidden'"), std::string::npos);
  auto t = default_config("transformer", {}, 256, 16);
  t["n_heads"] = 3;
  EXPECT_NE(error(t).find("'n_heads'"), std::string::npos);
  t = default_config("transformer", {}, 256, 16);
  t["bogus"] = 1;
  EXPECT_NE(error(t).find("unknown field 'bogus'"), std::string::npos);
}

TEST(ModelConfig, LlamaFamilyOptions) {
  auto t = default_config("transformer", {}, 256, 16);
  t.update({{"n_kv_heads", 2}, {"head_dim", 48}, {"qkv_bias", true}, {"qk_norm", true}});
  const auto valid = validate_config(t, "cfg");
  EXPECT_DOUBLE_EQ(valid["norm_eps"].get<double>(), 1e-5);  // filled
  auto error = [](nlohmann::json c) {
    try {
      validate_config(c, "cfg");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  auto with = [&](const char* key, nlohmann::json value) {
    auto c = t;
    c[key] = std::move(value);
    return error(c);
  };
  EXPECT_NE(with("n_kv_heads", 3).find("do not divide"), std::string::npos);
  EXPECT_NE(with("n_kv_heads", 8).find("'n_kv_heads'"), std::string::npos);
  EXPECT_NE(with("head_dim", 47).find("even head size"), std::string::npos);
  EXPECT_NE(with("qk_norm", 1).find("'qk_norm': expected true or false"), std::string::npos);
  EXPECT_NE(with("block_heads", {4, 4, 4}).find("without grouped-query attention"),
            std::string::npos);
  EXPECT_NE(with("rope_scaling", {{"type", "dynamic"}}).find("'rope_scaling'"), std::string::npos);
  EXPECT_NE(with("norm_eps", -1.0).find("'norm_eps'"), std::string::npos);
  EXPECT_NE(with("eos_ids", {2, 256}).find("'eos_ids'"), std::string::npos);  // vocab 256
  EXPECT_NE(with("eos_ids", nlohmann::json::array()).find("'eos_ids'"), std::string::npos);
  EXPECT_EQ(validate_config(
                [&] {
                  auto c = t;
                  c["eos_ids"] = {2, 255};
                  return c;
                }(),
                "cfg")["eos_ids"],
            nlohmann::json({2, 255}));
}

TEST(ModelConfig, DefaultsValidateAndFillRopeBase) {
  for (const std::string& arch : known_archs()) {
    auto c = default_config(arch, {1, 16, 16}, 12, 32);
    const auto valid = validate_config(c, "test");
    EXPECT_EQ(valid["arch"], arch);
  }
  auto t = default_config("transformer", {}, 256, 16);
  t.erase("rope_base");
  EXPECT_DOUBLE_EQ(validate_config(t, "test")["rope_base"].get<double>(), 10000.0);
  EXPECT_EQ(flat_input_size(default_config("mlp", {3, 4, 5}, 2, 0)), 60);
}

}  // namespace
}  // namespace qz::io
