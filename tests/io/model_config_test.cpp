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
