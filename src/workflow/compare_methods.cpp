#include "workflow/compare_methods.h"

#include <filesystem>

#include "core/error.h"
#include "core/progress.h"
#include "nn/model_file.h"
#include "nn/transformer.h"
#include "workflow/run_recipe.h"

namespace qz::workflow {
namespace {

using json = nlohmann::json;

json eval_json(const eval::EvalResult& r) {
  json j = r.to_json();
  j.erase("seconds");
  return j;
}

}  // namespace

std::vector<CompareVariant> plan_variants(const CompareRequest& request) {
  QZ_CHECK(!request.methods.empty(), "[compare] --methods: expected at least one method");
  const std::string stem = std::filesystem::path(request.in_path).stem().string();
  std::vector<CompareVariant> variants;
  for (const auto& method : request.methods) {
    const bool has_bits = io::recipe_method_has_option(method, "bits");
    const std::vector<int> widths = has_bits ? request.bits : std::vector<int>{0};
    QZ_CHECK(!widths.empty(), "[compare] --bits: expected at least one bit width");
    for (int bits : widths) {
      json step = {{"method", method}};
      if (has_bits) step["bits"] = bits;
      // 5–8-bit GPTQ/RTN codes are per channel: their group is not set.
      if (io::recipe_method_has_option(method, "group") && request.group > 0 &&
          (!has_bits || bits <= 4))
        step["group"] = request.group;
      CompareVariant v;
      v.name = has_bits ? fmt::format("{}-w{}", method, bits) : method;
      v.step = io::parse_recipe_step(step, fmt::format("[compare] {}", v.name),
                                     io::OptionNames{.as_flags = true});
      v.path = (std::filesystem::path(request.out_dir) / (stem + "-" + v.name + ".safetensors"))
                   .string();
      for (const auto& other : variants)
        QZ_CHECK(other.name != v.name, "[compare] {} is asked for twice", v.name);
      variants.push_back(std::move(v));
    }
  }
  return variants;
}

CompareResult compare_methods(const CompareRequest& request, nn::ModelFile& input,
                              const data::Dataset& data) {
  std::vector<CompareVariant> variants = plan_variants(request);
  CompareResult out;
  out.base_bytes = input.file_bytes;
  out.base_weight_bytes = model_weight_bytes(*input.model);
  out.base = eval::evaluate(*input.model, data, "test");
  if (auto* t = dynamic_cast<nn::Transformer*>(input.model.get())) {
    t->set_kv_simulation(nn::KvCacheFormat::Int8);
    out.kv_int8 = eval::evaluate(*input.model, data, "test");
    t->set_kv_simulation(nn::KvCacheFormat::F32);
  }
  for (size_t i = 0; i < variants.size(); ++i) {
    CompareVariant& v = variants[i];
    if (!progress_quiet())
      fmt::print(stderr, "compare {}/{}: {}\n", i + 1, variants.size(), v.name);
    nn::ModelFile file = nn::load_model(request.in_path);
    RecipeRequest r;
    r.in_path = request.in_path;
    r.out_path = v.path;
    r.steps = {v.step};
    r.data = request.data;
    r.calib_samples = request.calib_samples;
    r.seed = request.seed;
    r.base = out.base;
    const RecipeResult res = run_recipe(file, r, data);
    v.result = res.compressed;
    v.weight_bytes = res.steps.back().weight_bytes;
    v.file_bytes = res.out_bytes;
    v.seconds = res.steps.back().seconds;
    v.layers = res.steps.back().report.layer_count();
  }
  out.variants = std::move(variants);
  return out;
}

json compare_json(const CompareResult& result, const std::string& model,
                  const std::string& data_spec) {
  json variants = json::array();
  for (const auto& v : result.variants) {
    json step = v.step.options;
    step["method"] = v.step.method;
    variants.push_back({{"name", v.name},
                        {"step", step},
                        {"file", v.path},
                        {"test", eval_json(v.result)},
                        {"weight_bytes", v.weight_bytes},
                        {"file_bytes", v.file_bytes},
                        {"seconds", v.seconds},
                        {"layers", v.layers},
                        {"seconds_per_layer", v.layers > 0 ? v.seconds / v.layers : 0.0}});
  }
  json out = {{"model", model},
              {"data", data_spec},
              {"fp32",
               {{"test", eval_json(result.base)},
                {"weight_bytes", result.base_weight_bytes},
                {"file_bytes", result.base_bytes}}},
              {"variants", variants}};
  if (result.kv_int8) out["fp32"]["test_kv_int8"] = eval_json(*result.kv_int8);
  return out;
}

}  // namespace qz::workflow
