// Runs a recipe (workflow/recipe.h) on a loaded model: each step in order on the same model in
// memory, fine-tuning where a step asks for it, then packs pruned layers into their compact
// form, evaluates against the original on the test split and saves the result with the recipe
// in its provenance and every step's measurements in its metrics.
//
// Steps compose as their formats allow: pruning masks stay fixed through every later
// fine-tune, QAT and quantization (a quantized layer keeps its zeros, stored densely);
// structured pruning, low-rank factorization and distillation need FP32 layers without masks,
// so they come first in a chain (distill → prune → quantize).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compress/step_report.h"
#include "eval/evaluate.h"
#include "io/recipe.h"
#include "nn/model_file.h"
#include "workflow/model_data.h"

namespace qz::workflow {

struct RecipeRequest {
  std::string in_path, out_path;
  std::vector<io::RecipeStep> steps;
  DataChoice data;
  int64_t calib_samples = 512;
  uint64_t seed = 0;  // fine-tuning and student initialisation
  // The input model's test evaluation when the caller already has it (compare runs many
  // recipes on one model); evaluated here otherwise.
  std::optional<eval::EvalResult> base;
};

struct StepOutcome {
  std::string method;
  compress::StepReport report;  // the step's own figures (layers, groups, students, …)
  double val_accuracy = 0;
  int64_t parameters = 0;    // dense-equivalent parameter count after the step
  int64_t weight_bytes = 0;  // stored bytes of every compressible layer's weights
  double seconds = 0;        // printed, never stored (files stay byte-identical)
};

struct RecipeResult {
  std::vector<StepOutcome> steps;
  eval::EvalResult base, compressed;
  uint64_t base_bytes = 0, out_bytes = 0;
  int64_t base_weight_bytes = 0;
};

// Runs `request.steps` on `file.model` (replaced by a student after a distill step) with
// `data` for fine-tuning, calibration and evaluation, and saves to request.out_path.
RecipeResult run_recipe(nn::ModelFile& file, const RecipeRequest& request,
                        const data::Dataset& data);

// Whether a step of `method` has a runner (every method of io/method_registry.h must).
bool runs_method(const std::string& method);

// Sum of the compressible layers' stored weight bytes.
int64_t model_weight_bytes(const nn::Model& model);

// The distillation student when none is given: the teacher's config with its layer widths
// scaled so that it has about a quarter of the teacher's parameters.
nlohmann::json default_student(const nlohmann::json& teacher_config, int64_t teacher_parameters);

}  // namespace qz::workflow
