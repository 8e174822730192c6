#include "io/recipe.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.h"
#include "core/json_fields.h"
#include "io/read_file.h"

namespace qz::io {
namespace {

using nlohmann::json;

constexpr size_t kMaxSteps = 64;
constexpr size_t kMaxRecipeBytes = 1 << 20;

const MethodSpec& method_spec(const std::string& method, const std::string& where) {
  const MethodSpec* spec = find_method_spec(method);
  QZ_CHECK(spec != nullptr, "{}: unknown method '{}' (expected {})", where, method,
           fmt::join(method_names(), ", "));
  return *spec;
}

}  // namespace

const std::vector<std::string>& recipe_methods() {
  return method_names();
}

bool recipe_method_has_option(const std::string& method, const std::string& key) {
  const MethodSpec* spec = find_method_spec(method);
  return spec != nullptr && spec->find_option(key) != nullptr;
}

json recipe_method_defaults(const std::string& method) {
  return method_spec(method, "[recipe]").defaults();
}

RecipeStep parse_recipe_step(const json& step, const std::string& where, const OptionNames& names) {
  QZ_CHECK(step.is_object(), "{}: expected an object with a 'method'", where);
  const std::string method = json_string(step, "method", where);
  const MethodSpec& spec = method_spec(method, fmt::format("{}: field 'method'", where));
  const std::string at = fmt::format("{} ({})", where, method);
  json given = step;
  given.erase("method");
  for (const auto& [key, value] : given.items()) {
    if (spec.find_option(key) != nullptr) continue;
    std::vector<std::string> known;
    for (const OptionSpec& o : spec.options) known.push_back(names.listed(o.key));
    QZ_CHECK(false, "{}: unknown {} ({} takes {})", at, names(key), method,
             known.empty() ? std::string("no options") : fmt::format("{}", fmt::join(known, ", ")));
  }
  json options = spec.defaults();
  for (const auto& [key, value] : given.items()) {
    check_option_value(*spec.find_option(key), value, at, names(key));
    options[key] = value;
  }
  if (spec.check) spec.check(given, options, at, names);
  return {method, options};
}

std::vector<RecipeStep> parse_recipe(const std::string& text, const std::string& where) {
  const json recipe = parse_json(text, where);
  json_only_keys(recipe, {"steps", "description"}, where);
  QZ_CHECK(recipe.contains("steps") && recipe["steps"].is_array() && !recipe["steps"].empty(),
           "{}: field 'steps': expected a non-empty list of steps", where);
  QZ_CHECK(recipe["steps"].size() <= kMaxSteps, "{}: field 'steps': {} steps, more than {}", where,
           recipe["steps"].size(), kMaxSteps);
  std::vector<RecipeStep> steps;
  for (size_t i = 0; i < recipe["steps"].size(); ++i)
    steps.push_back(
        parse_recipe_step(recipe["steps"][i], fmt::format("{}: step {}", where, i + 1)));
  return steps;
}

std::vector<RecipeStep> read_recipe(const std::string& path) {
  const std::string where = "[recipe] " + path;
  return parse_recipe(read_file(path, kMaxRecipeBytes), where);
}

json recipe_json(const std::vector<RecipeStep>& steps) {
  json out = json::array();
  for (const auto& s : steps) {
    json j = s.options;
    j["method"] = s.method;
    out.push_back(j);
  }
  return out;
}

}  // namespace qz::io
