// `quantize compare`: one model compressed by several methods at several bit widths, each
// variant saved and evaluated on the same test split against the same FP32 evaluation, so the
// methods meet in one table (perplexity or accuracy, exact match per slice, size, time per
// layer), with, for a transformer, the FP32 model's cost of an int8 KV cache. Each variant is a
// one-step recipe (workflow/run_recipe) on a freshly loaded model.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "eval/evaluate.h"
#include "io/recipe.h"
#include "nn/model_file.h"
#include "workflow/model_data.h"

namespace qz::workflow {

struct CompareRequest {
  std::string in_path;
  std::string out_dir;               // variants are saved here as STEM-METHOD[-wBITS].safetensors
  std::vector<std::string> methods;  // recipe methods
  std::vector<int> bits;             // for methods with a bit width; others run once
  int64_t group = 128;               // for methods with a group size (0: each method's default)
  DataChoice data;
  int64_t calib_samples = 512;
  uint64_t seed = 0;
};

struct CompareVariant {
  std::string name;  // "gptq-w3", "smoothquant"
  io::RecipeStep step;
  std::string path;
  eval::EvalResult result;
  int64_t weight_bytes = 0;
  uint64_t file_bytes = 0;
  double seconds = 0;  // the compression step, calibration included
  int64_t layers = 0;  // layers the step reported on
};

struct CompareResult {
  eval::EvalResult base;
  // Transformers: the FP32 model computing through an int8 KV cache (that cache's cost).
  std::optional<eval::EvalResult> kv_int8;
  int64_t base_weight_bytes = 0;
  uint64_t base_bytes = 0;
  std::vector<CompareVariant> variants;
};

// The variants `request` asks for, validated (InputError naming the method and field) before
// any model is loaded.
std::vector<CompareVariant> plan_variants(const CompareRequest& request);

// `input` is request.in_path, already loaded: it gives the FP32 evaluation and is left as it
// was; each variant starts from a fresh load.
CompareResult compare_methods(const CompareRequest& request, nn::ModelFile& input,
                              const data::Dataset& data);

// The JSON of `compare --json`: the FP32 row and every variant (timings included).
nlohmann::json compare_json(const CompareResult& result, const std::string& model,
                            const std::string& data_spec);

}  // namespace qz::workflow
