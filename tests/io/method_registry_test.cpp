// The method registry: typed configs both ways, one flag per option key, every range enforced
// by the parser, and flag help that states each method's text, range and default.
#include "io/method_registry.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "io/method_configs.h"
#include "io/quantize_methods.h"
#include "io/recipe.h"

namespace qz::io {
namespace {

using nlohmann::json;

std::string parse_error(const json& step, const OptionNames& names = {}) {
  try {
    parse_recipe_step(step, "test", names);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(MethodRegistry, ListsEveryPostTrainingRowFirstAndNamesEachMethodOnce) {
  const auto& names = method_names();
  const auto& ptq = quantize_methods();
  ASSERT_GT(names.size(), ptq.size());
  for (size_t i = 0; i < ptq.size(); ++i) {
    EXPECT_EQ(names[i], ptq[i]);
    EXPECT_TRUE(find_method_spec(ptq[i])->traits.post_training);
  }
  for (size_t i = 0; i < names.size(); ++i)
    for (size_t j = i + 1; j < names.size(); ++j) EXPECT_NE(names[i], names[j]);
  for (const MethodSpec& m : method_specs()) EXPECT_FALSE(m.help.empty()) << m.name;
}

TEST(MethodRegistry, OneKeyHasOneKindAndOneFlagInEveryMethod) {
  for (const MethodSpec& m : method_specs())
    for (const OptionSpec& o : m.options) {
      const OptionSpec& first = first_option_spec(o.key);
      EXPECT_EQ(o.kind, first.kind) << m.name << " " << o.key;
      EXPECT_EQ(option_flag(o), option_flag(o.key)) << m.name << " " << o.key;
      EXPECT_FALSE(o.help.empty()) << m.name << " " << o.key;
    }
}

TEST(MethodRegistry, TypedConfigsGoBothWays) {
  const RecipeStep step = parse_recipe_step(
      {{"method", "gptq"}, {"bits", 3}, {"act_order", true}, {"exclude", {"fc1"}}}, "test");
  const auto c = config_from_json<GptqConfig>(step.options);
  EXPECT_EQ(c.bits, 3);
  EXPECT_TRUE(c.act_order);
  EXPECT_EQ(c.group, 128);  // the struct's default
  EXPECT_EQ(c.exclude, std::vector<std::string>{"fc1"});
  EXPECT_EQ(config_to_json(c), step.options);

  const auto l = config_from_json<LowRankConfig>(
      parse_recipe_step({{"method", "lowrank"}, {"rank", 8}}, "test").options);
  EXPECT_EQ(l.rank, 8);
  EXPECT_EQ(l.ratio, 0.0);  // a rank given turns the default ratio off
  EXPECT_EQ(l.finetune_epochs, 5);

  const auto d = config_from_json<DistillConfig>(
      parse_recipe_step({{"method", "distill"}, {"student", {{"hidden", {8}}}}}, "test").options);
  EXPECT_EQ(d.student["hidden"], json::array({8}));
  EXPECT_TRUE(d.baseline);
}

TEST(MethodRegistry, TheParserEnforcesEveryRegisteredRange) {
  for (const MethodSpec& m : method_specs())
    for (const OptionSpec& o : m.options) {
      std::vector<json> bad;
      switch (o.kind) {
        case OptionKind::Int:
          bad = {static_cast<int64_t>(o.min) - 1, static_cast<int64_t>(o.max) + 1, 1.5, "2"};
          break;
        case OptionKind::Number:
          bad = {o.min - 1e-3, o.max + 1e-3, "0.5", true};
          break;
        case OptionKind::Bool:
          bad = {1, "true"};
          break;
        case OptionKind::Choice:
          bad = {"not-a-choice", 3};
          break;
        case OptionKind::Pattern:
          bad = {"4:2", "dense", 2};
          break;
        case OptionKind::Names:
          bad = {"fc1", json::array({1})};
          break;
        case OptionKind::Object:
          bad = {json::array(), "{}"};
          break;
      }
      for (const json& value : bad) {
        const std::string message = parse_error({{"method", m.name}, {o.key, value}});
        EXPECT_NE(message.find("field '" + o.key + "'"), std::string::npos)
            << m.name << " " << o.key << "=" << value.dump() << ": " << message;
        const std::string flagged =
            parse_error({{"method", m.name}, {o.key, value}}, OptionNames{.as_flags = true});
        EXPECT_NE(flagged.find(option_flag(o.key)), std::string::npos) << flagged;
      }
    }
}

TEST(MethodRegistry, EveryDefaultIsInsideItsRange) {
  for (const MethodSpec& m : method_specs())
    for (const OptionSpec& o : m.options)
      EXPECT_NO_THROW(check_option_value(o, o.default_value, "test", o.key))
          << m.name << " " << o.key;
}

TEST(MethodRegistry, FlagHelpStatesEachMethodsTextRangeAndDefault) {
  for (const std::string& key : option_keys()) {
    const std::string help = option_help(key);
    for (const MethodSpec& m : method_specs()) {
      const OptionSpec* o = m.find_option(key);
      if (o == nullptr) continue;
      const std::string named = m.traits.post_training ? "post-training methods" : m.name;
      EXPECT_NE(help.find(named), std::string::npos) << key << ": " << help;
      EXPECT_NE(help.find(o->help), std::string::npos) << key << ": " << help;
      EXPECT_NE(help.find(o->range_text()), std::string::npos) << key << ": " << help;
      if (o->kind == OptionKind::Int || o->kind == OptionKind::Number ||
          o->kind == OptionKind::Choice) {
        EXPECT_NE(help.find("default " + o->default_text()), std::string::npos)
            << key << ": " << help;
      }
    }
  }
}

TEST(MethodRegistry, UnknownOptionsAreNamedAsTheCallerSpellsThem) {
  const json step = {{"method", "int4"}, {"sparsity", 0.5}};
  EXPECT_NE(parse_error(step).find("unknown field 'sparsity'"), std::string::npos);
  const std::string flagged = parse_error(step, OptionNames{.as_flags = true});
  EXPECT_NE(flagged.find("unknown --sparsity"), std::string::npos) << flagged;
  EXPECT_NE(flagged.find("--group"), std::string::npos) << flagged;  // what int4 takes
}

}  // namespace
}  // namespace qz::io
