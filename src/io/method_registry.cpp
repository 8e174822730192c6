#include "io/method_registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/error.h"
#include "io/method_configs.h"
#include "io/quantize_methods.h"

namespace qz::io {
namespace {

using nlohmann::json;
using Check = decltype(MethodSpec::check);

template <class C>
MethodSpec method(std::string name, std::string help, MethodTraits traits, Check check = {}) {
  return {std::move(name), std::move(help), traits, option_specs<C>(), std::move(check)};
}

// A format that defines its block (MXFP4's 32) takes no other group.
Check fixed_group_check(const QuantizeMethod& q) {
  return [&q](const json&, json& options, const std::string& where, const OptionNames& names) {
    const int64_t fixed = kernels::layout(q.format).fixed_group, group = options["group"];
    QZ_CHECK(fixed == 0 || group == 0 || group == fixed,
             "{}: {}: {} blocks are {} weights by definition, not {}", where, names("group"),
             q.name, fixed, group);
  };
}

// 5–8-bit GPTQ/RTN codes are stored as int8 with one scale per row.
void per_channel_above_4_bits(const json& given, json& options, const std::string& where,
                              const OptionNames& names) {
  const int64_t bits = options["bits"];
  if (bits <= 4) return;
  QZ_CHECK(!given.contains("group") || options["group"] == 0,
           "{}: {}: {} bits are stored per channel: use group 0 or 2–4 bits", where, names("group"),
           bits);
  options["group"] = 0;
}

// Low-rank sets its size one way: a rank, an energy, or a parameter ratio (the default).
void one_rank_rule(const json& given, json& options, const std::string& where,
                   const OptionNames& names) {
  const int count = given.contains("rank") + given.contains("energy") + given.contains("ratio");
  QZ_CHECK(count <= 1, "{}: set at most one of {}, {} and {}", where, names.listed("rank"),
           names.listed("energy"), names.listed("ratio"));
  if (given.contains("rank") || given.contains("energy")) options["ratio"] = 0.0;
  const int set = (options["rank"].get<int64_t>() > 0) + (options["energy"].get<double>() > 0) +
                  (options["ratio"].get<double>() > 0);
  QZ_CHECK(set == 1, "{}: {}, {} or {} must be positive", where, names.listed("rank"),
           names.listed("energy"), names.listed("ratio"));
}

void nm_pattern_only(const json&, json& options, const std::string& where,
                     const OptionNames& names) {
  QZ_CHECK(options["pattern"] != "unstructured", "{}: {}: expected N:M", where, names("pattern"));
}

std::vector<MethodSpec> build_registry() {
  std::vector<MethodSpec> specs;
  for (const QuantizeMethod& q : quantize_method_rows())
    specs.push_back(method<QuantizeConfig>(q.name, q.help,
                                           {.needs_calibration = q.activations == "int8-static",
                                            .folds_norms_first = true,
                                            .post_training = true},
                                           fixed_group_check(q)));
  const MethodTraits prune{.fine_tunes = true};
  const MethodTraits prune_calibrated{.needs_calibration = true, .fine_tunes = true};
  const MethodTraits weight_pass{.folds_norms_first = true};
  const MethodTraits calibrated_pass{.needs_calibration = true, .folds_norms_first = true};
  std::vector<MethodSpec> rest = {
      method<AwqConfig>("awq", "activation-aware int4 weights (AWQ scales and clipping)",
                        calibrated_pass),
      method<DistillConfig>("distill", "train a smaller student on the model's soft targets",
                            {.fine_tunes = true}),
      method<FinetuneConfig>("finetune", "train the model further, distilling from the input",
                             {.fine_tunes = true}),
      method<FuseConfig>("fuse", "fold BatchNorm into the conv before it", {}),
      method<GptqConfig>("gptq", "GPTQ: error-compensating column-by-column quantization",
                         calibrated_pass, per_channel_above_4_bits),
      method<HqqConfig>("hqq", "HQQ: half-quadratic zero points, no calibration data", weight_pass),
      method<LowRankConfig>("lowrank", "SVD factorization into two thinner layers", prune,
                            one_rank_rule),
      method<MagnitudePruneConfig>("prune-magnitude", "remove the smallest weights", prune),
      method<NmPruneConfig>("prune-nm", "N:M semi-structured sparsity by magnitude", prune,
                            nm_pattern_only),
      method<SparseGptConfig>("prune-sparsegpt", "SparseGPT: pruning with error compensation",
                              prune_calibrated),
      method<StructuredPruneConfig>("prune-structured",
                                    "remove whole units (neurons, channels, heads)", prune),
      method<WandaConfig>("prune-wanda", "Wanda: weight × activation-norm pruning",
                          prune_calibrated),
      method<QatConfig>("qat", "quantization-aware training, then conversion",
                        {.folds_norms_first = true, .fine_tunes = true}),
      method<RtnConfig>("rtn", "round to nearest on GPTQ's grids (the baseline)", weight_pass,
                        per_channel_above_4_bits),
      method<SmoothQuantConfig>("smoothquant",
                                "SmoothQuant: outliers moved into the weights, then int8 W8A8",
                                calibrated_pass),
  };
  for (auto& m : rest) specs.push_back(std::move(m));
  return specs;
}

std::string dashed(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  return key;
}

std::string flag_of(const OptionSpec& spec) {
  if (!spec.flag.empty()) return spec.flag;
  if (spec.kind == OptionKind::Bool && spec.default_value == true)
    return "--no-" + dashed(spec.key);
  return "--" + dashed(spec.key);
}

// "fraction of weights removed, in [0, 0.999] (default 0.5)".
std::string described(const OptionSpec& spec) {
  std::string text = spec.help;
  if (const std::string range = spec.range_text(); !range.empty()) text += ", " + range;
  switch (spec.kind) {
    case OptionKind::Bool:
      return text + (spec.default_value == true ? " (default on)" : " (default off)");
    case OptionKind::Names:
    case OptionKind::Object:
      return text;
    default:
      return text + fmt::format(" (default {})", spec.default_text());
  }
}

}  // namespace

std::string OptionNames::operator()(const std::string& key) const {
  return as_flags ? option_flag(key) : fmt::format("field '{}'", key);
}

std::string OptionNames::listed(const std::string& key) const {
  return as_flags ? option_flag(key) : fmt::format("'{}'", key);
}

const OptionSpec* MethodSpec::find_option(std::string_view key) const {
  for (const OptionSpec& o : options)
    if (o.key == key) return &o;
  return nullptr;
}

json MethodSpec::defaults() const {
  json j = json::object();
  for (const OptionSpec& o : options) j[o.key] = o.default_value;
  return j;
}

const std::vector<MethodSpec>& method_specs() {
  static const std::vector<MethodSpec> specs = build_registry();
  return specs;
}

const MethodSpec* find_method_spec(std::string_view name) {
  for (const MethodSpec& m : method_specs())
    if (m.name == name) return &m;
  return nullptr;
}

const std::vector<std::string>& method_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const MethodSpec& m : method_specs()) n.push_back(m.name);
    return n;
  }();
  return names;
}

std::string option_flag(const std::string& key) {
  for (const MethodSpec& m : method_specs())
    if (const OptionSpec* o = m.find_option(key)) return flag_of(*o);
  return "--" + dashed(key);
}

std::string option_flag(const OptionSpec& spec) {
  return flag_of(spec);
}

const OptionSpec& first_option_spec(const std::string& key) {
  for (const MethodSpec& m : method_specs())
    if (const OptionSpec* o = m.find_option(key)) return *o;
  throw InternalError(fmt::format("no method takes option '{}'", key));
}

std::vector<std::string> option_keys() {
  std::vector<std::string> keys;
  for (const MethodSpec& m : method_specs())
    for (const OptionSpec& o : m.options)
      if (std::find(keys.begin(), keys.end(), o.key) == keys.end()) keys.push_back(o.key);
  return keys;
}

std::string option_help(const std::string& key) {
  // Methods grouped by the text they give the option, in registry order.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const MethodSpec& m : method_specs()) {
    const OptionSpec* o = m.find_option(key);
    if (o == nullptr) continue;
    const std::string text = described(*o);
    auto it =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == text; });
    if (it == groups.end()) {
      groups.emplace_back(text, std::vector<std::string>{});
      it = groups.end() - 1;
    }
    it->second.push_back(m.name);
  }
  std::vector<std::string> parts;
  for (auto& group : groups) {
    // A named variable, not a structured binding: clang 14 (clang-tidy) cannot capture one.
    std::vector<std::string>& names = group.second;
    const auto& ptq = quantize_methods();
    const bool every_ptq = std::all_of(ptq.begin(), ptq.end(), [&](const std::string& q) {
      return std::find(names.begin(), names.end(), q) != names.end();
    });
    if (every_ptq) {
      std::erase_if(names,
                    [&](const std::string& n) { return find_quantize_method(n) != nullptr; });
      names.insert(names.begin(), "post-training methods");
    }
    parts.push_back(fmt::format("{}: {}", fmt::join(names, ", "), group.first));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace qz::io
