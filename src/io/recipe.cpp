#include "io/recipe.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "core/error.h"
#include "core/json_fields.h"
#include "core/nm_pattern.h"
#include "io/quantize_methods.h"
#include "io/read_file.h"

namespace qz::io {
namespace {

using nlohmann::json;

constexpr size_t kMaxSteps = 64;
constexpr size_t kMaxRecipeBytes = 1 << 20;

// Each method's options and their defaults (null: unset unless given).
const std::map<std::string, json>& method_defaults() {
  static const std::map<std::string, json> table = [] {
    std::map<std::string, json> t;
    // lr 0: the architecture's training rate (train::default_train_options).
    const json finetune = {{"finetune_epochs", 5}, {"lr", 0.0}};
    auto with_finetune = [&](json j) {
      j.update(finetune);
      return j;
    };
    for (const auto& m : quantize_methods())
      t[m] = {{"group", 0},
              {"symmetric", false},
              {"range", "minmax"},
              {"observer", "histogram"},
              {"exclude", json::array()}};
    t["prune-magnitude"] =
        with_finetune({{"sparsity", 0.5}, {"scope", "layer"}, {"exclude", json::array()}});
    t["prune-nm"] = with_finetune({{"pattern", "2:4"}, {"exclude", json::array()}});
    t["prune-wanda"] =
        with_finetune({{"sparsity", 0.5}, {"pattern", "unstructured"}, {"exclude", json::array()}});
    t["prune-sparsegpt"] = with_finetune({{"sparsity", 0.5},
                                          {"pattern", "unstructured"},
                                          {"damp", 0.01},
                                          {"block", 128},
                                          {"exclude", json::array()}});
    t["prune-structured"] =
        with_finetune({{"ratio", 0.5}, {"norm", 2}, {"global", false}, {"exclude", json::array()}});
    // Low-rank keeps half the parameters unless a rank or an energy is given.
    t["lowrank"] = with_finetune({{"rank", 0},
                                  {"energy", 0.0},
                                  {"ratio", 0.5},
                                  {"activation_aware", false},
                                  {"exclude", json::array()}});
    t["distill"] = {{"student", json::object()},
                    {"temperature", 4.0},
                    {"alpha", 0.5},
                    {"epochs", 0},
                    {"lr", 0.0},
                    {"baseline", true},
                    {"transfer_samples", 0}};
    t["qat"] = {{"quant", "int4"}, {"group", 128}, {"symmetric", false},
                {"epochs", 5},     {"lr", 0.0},    {"exclude", json::array()}};
    t["finetune"] = {{"epochs", 5}, {"lr", 0.0}};
    // BatchNorm folded into the conv before it (also done before every quantizing step).
    t["fuse"] = json::object();
    // GPTQ (REFERENCE.md defaults): W4 group 128 affine, 1% damping, 128-column blocks.
    t["gptq"] = {{"bits", 4},    {"group", 128}, {"symmetric", false},      {"act_order", false},
                 {"damp", 0.01}, {"block", 128}, {"exclude", json::array()}};
    // Round to nearest on GPTQ's grids: the baseline at any bit width.
    t["rtn"] = {{"bits", 4}, {"group", 128}, {"symmetric", false}, {"exclude", json::array()}};
    t["awq"] = {{"bits", 4}, {"group", 128}, {"clip", true}, {"exclude", json::array()}};
    t["smoothquant"] = {{"alpha", 0.5}, {"exclude", json::array()}};
    // HQQ (REFERENCE.md): group 64, p = 0.7, 20 iterations; no calibration data.
    t["hqq"] = {{"bits", 4}, {"group", 64}, {"iterations", 20}, {"exclude", json::array()}};
    return t;
  }();
  return table;
}

void check_number(const json& o, const char* key, const std::string& where, double lo, double hi) {
  if (o.contains(key)) json_number(o, key, where, lo, hi);
}
void check_int(const json& o, const char* key, const std::string& where, int64_t lo, int64_t hi) {
  if (o.contains(key)) json_int(o, key, where, lo, hi);
}
void check_bool(const json& o, const char* key, const std::string& where) {
  QZ_CHECK(!o.contains(key) || o[key].is_boolean(), "{}: field '{}': expected true or false", where,
           key);
}
void check_choice(const json& o, const char* key, const std::string& where,
                  const std::vector<std::string>& choices) {
  if (!o.contains(key)) return;
  QZ_CHECK(o[key].is_string() && std::find(choices.begin(), choices.end(),
                                           o[key].get<std::string>()) != choices.end(),
           "{}: field '{}': expected one of {}", where, key, fmt::join(choices, ", "));
}

void check_values(const json& o, const std::string& where) {
  check_int(o, "group", where, 0, 1 << 20);
  check_bool(o, "symmetric", where);
  check_choice(o, "range", where, {"minmax", "percentile", "mse"});
  check_choice(o, "observer", where, {"minmax", "moving-average", "histogram"});
  if (o.contains("exclude")) {
    QZ_CHECK(o["exclude"].is_array() && o["exclude"].size() <= 4096,
             "{}: field 'exclude': expected a list of layer names", where);
    for (const auto& e : o["exclude"])
      QZ_CHECK(e.is_string(), "{}: field 'exclude': expected layer names (strings)", where);
  }
  check_number(o, "sparsity", where, 0.0, 0.999);
  check_choice(o, "scope", where, {"layer", "global", "row"});
  if (o.contains("pattern")) {
    QZ_CHECK(o["pattern"].is_string(), "{}: field 'pattern': expected a string such as \"2:4\"",
             where);
    const std::string p = o["pattern"];
    if (p != "unstructured") parse_nm_pattern(p, where + ": field 'pattern'");
  }
  check_number(o, "ratio", where, 0.0, 0.999);
  check_bool(o, "global", where);
  check_int(o, "rank", where, 0, 1 << 20);
  check_number(o, "energy", where, 0.0, 1.0);
  check_bool(o, "activation_aware", where);
  if (o.contains("student"))
    QZ_CHECK(o["student"].is_object(),
             "{}: field 'student': expected an object of config overrides", where);
  check_number(o, "temperature", where, 1e-3, 1e3);
  check_number(o, "alpha", where, 0.0, 1.0);
  check_int(o, "epochs", where, 0, 10000);
  check_int(o, "finetune_epochs", where, 0, 10000);
  check_number(o, "lr", where, 0.0, 10.0);
  check_bool(o, "baseline", where);
  check_int(o, "transfer_samples", where, 0, int64_t{1} << 40);
  check_choice(o, "quant", where, {"int8", "int8-dynamic", "int8-static", "int4"});
  check_int(o, "bits", where, 2, 8);
  check_bool(o, "act_order", where);
  check_bool(o, "clip", where);
  check_number(o, "damp", where, 1e-6, 0.5);
  check_int(o, "block", where, 1, 1 << 16);
  check_int(o, "iterations", where, 0, 1000);
}

}  // namespace

const std::vector<std::string>& recipe_methods() {
  static const std::vector<std::string> methods = [] {
    std::vector<std::string> m;
    for (const auto& [name, defaults] : method_defaults()) m.push_back(name);
    return m;
  }();
  return methods;
}

bool recipe_method_has_option(const std::string& method, const std::string& key) {
  const auto it = method_defaults().find(method);
  return it != method_defaults().end() && it->second.contains(key);
}

const json& recipe_method_defaults(const std::string& method) {
  const auto it = method_defaults().find(method);
  QZ_CHECK(it != method_defaults().end(), "[recipe] unknown method '{}' (expected {})", method,
           fmt::join(recipe_methods(), ", "));
  return it->second;
}

json recipe_option_default(const std::string& method, const std::string& key) {
  const auto it = method_defaults().find(method);
  if (it == method_defaults().end() || !it->second.contains(key)) return nullptr;
  return it->second[key];
}

RecipeStep parse_recipe_step(const json& step, const std::string& where) {
  QZ_CHECK(step.is_object(), "{}: expected an object with a 'method'", where);
  const std::string method = json_string(step, "method", where);
  const auto it = method_defaults().find(method);
  QZ_CHECK(it != method_defaults().end(), "{}: field 'method': unknown method '{}' (expected {})",
           where, method, fmt::join(recipe_methods(), ", "));
  const std::string at = fmt::format("{} ({})", where, method);
  std::vector<std::string> allowed = {"method"};
  for (const auto& [key, value] : it->second.items()) allowed.push_back(key);
  json_only_keys(step, allowed, at);
  json options = it->second;
  for (const auto& [key, value] : step.items())
    if (key != "method") options[key] = value;
  check_values(options, at);
  if (options.contains("norm"))
    QZ_CHECK(options["norm"] == 1 || options["norm"] == 2, "{}: field 'norm': expected 1 or 2", at);
  if (method == "lowrank") {
    const int given = step.contains("rank") + step.contains("energy") + step.contains("ratio");
    QZ_CHECK(given <= 1, "{}: set at most one of 'rank', 'energy' and 'ratio'", at);
    if (step.contains("rank") || step.contains("energy")) options["ratio"] = 0.0;
    const int set = (options["rank"].get<int64_t>() > 0) + (options["energy"].get<double>() > 0) +
                    (options["ratio"].get<double>() > 0);
    QZ_CHECK(set == 1, "{}: 'rank', 'energy' or 'ratio' must be positive", at);
  }
  if ((method == "gptq" || method == "rtn") && options["bits"].get<int64_t>() > 4) {
    // 5–8-bit codes are stored as int8 with one scale per row.
    QZ_CHECK(!step.contains("group") || options["group"] == 0,
             "{}: field 'group': {} bits are stored per channel: use group 0 or 2–4 bits", at,
             options["bits"].get<int64_t>());
    options["group"] = 0;
  }
  if (method == "awq" || method == "hqq") {
    QZ_CHECK(options["bits"].get<int64_t>() <= 4,
             "{}: field 'bits': expected 2, 3 or 4 (stored as int4 nibbles), got {}", at,
             options["bits"].get<int64_t>());
    QZ_CHECK(options["group"].get<int64_t>() >= 1, "{}: field 'group': expected a positive size",
             at);
  }
  if (const QuantizeMethod* q = find_quantize_method(method)) {
    const int64_t fixed = kernels::layout(q->format).fixed_group, group = options["group"];
    QZ_CHECK(fixed == 0 || group == 0 || group == fixed,
             "{}: field 'group': {} blocks are {} weights by definition, not {}", at, method, fixed,
             group);
  }
  if (method == "prune-nm")
    QZ_CHECK(options["pattern"] != "unstructured", "{}: field 'pattern': expected N:M", at);
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
