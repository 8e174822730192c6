// Recipe parsing: defaults filled in, and every kind of mistake named with its step and field.
#include "io/recipe.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "io/quantize_methods.h"

namespace qz::io {
namespace {

namespace fs = std::filesystem;

std::string message_of(const std::string& text) {
  const auto path = fs::temp_directory_path() / "qz_recipe_test.json";
  std::ofstream(path) << text;
  try {
    read_recipe(path.string());
  } catch (const InputError& e) {
    fs::remove(path);
    return e.what();
  }
  fs::remove(path);
  return "";
}

TEST(Recipe, DefaultsAreFilledIn) {
  const RecipeStep s = parse_recipe_step({{"method", "prune-structured"}}, "test");
  EXPECT_EQ(s.options["ratio"], 0.5);
  EXPECT_EQ(s.options["norm"], 2);
  EXPECT_EQ(s.options["finetune_epochs"], 5);
  const RecipeStep d = parse_recipe_step({{"method", "distill"}, {"alpha", 0.7}}, "test");
  EXPECT_EQ(d.options["temperature"], 4.0);
  EXPECT_EQ(d.options["alpha"], 0.7);
  EXPECT_EQ(d.options["transfer_samples"], 0);  // every training sample
}

TEST(Recipe, EveryRegisteredMethodParsesWithItsDefaults) {
  for (const std::string& method : quantize_methods()) {
    const auto& all = recipe_methods();
    EXPECT_NE(std::find(all.begin(), all.end(), method), all.end()) << method;
  }
  for (const std::string& method : recipe_methods()) {
    const RecipeStep s = parse_recipe_step({{"method", method}}, "test");
    EXPECT_EQ(s.options, recipe_method_defaults(method)) << method;
  }
}

TEST(Recipe, LowRankWithNoRankOptionKeepsHalfTheParameters) {
  const auto steps = parse_recipe(R"({"steps": [{"method": "lowrank"}]})", "test");
  EXPECT_EQ(steps[0].options["ratio"], 0.5);
  const auto ranked = parse_recipe(R"({"steps": [{"method": "lowrank", "rank": 8}]})", "test");
  EXPECT_EQ(ranked[0].options["ratio"], 0.0);
  EXPECT_EQ(ranked[0].options["rank"], 8);
}

TEST(Recipe, MistakesNameTheStepAndTheField) {
  EXPECT_NE(message_of(R"({"steps": [{"method": "prune-structured", "ratoi": 0.5}]})")
                .find("step 1 (prune-structured): unknown field 'ratoi'"),
            std::string::npos)
      << message_of(R"({"steps": [{"method": "prune-structured", "ratoi": 0.5}]})");
  EXPECT_NE(message_of(R"({"steps": [{"method": "int4"}, {"method": "shrink"}]})")
                .find("step 2: field 'method': unknown method 'shrink'"),
            std::string::npos);
  EXPECT_NE(message_of(R"({"steps": [{"method": "prune-magnitude", "sparsity": 1.5}]})")
                .find("field 'sparsity'"),
            std::string::npos);
  EXPECT_NE(message_of(R"({"steps": [{"method": "lowrank", "rank": 8, "ratio": 0.3}]})")
                .find("at most one of 'rank', 'energy' and 'ratio'"),
            std::string::npos);
  EXPECT_NE(message_of(R"({"steps": [{"method": "prune-nm", "pattern": "4:2"}]})")
                .find("field 'pattern'"),
            std::string::npos);
  EXPECT_NE(message_of(R"({"steps": []})").find("non-empty list"), std::string::npos);
  EXPECT_NE(message_of(R"({"steps": [{"method": "int4"}], "extra": 1})").find("'extra'"),
            std::string::npos);
  EXPECT_NE(message_of("{\"steps\": [").find("invalid JSON"), std::string::npos);
}

}  // namespace
}  // namespace qz::io
