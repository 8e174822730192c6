// Which layers a method hurts: quantize one layer at a time, measure the accuracy drop and the
// KL divergence from the FP32 model on the validation split; and mixed precision that keeps
// the most sensitive layers at a higher precision until an accuracy budget holds.
#pragma once

#include <string>
#include <vector>

#include "compress/quantize_pass.h"
#include "data/dataset.h"
#include "nn/model.h"

namespace qz::workflow {

struct LayerSensitivity {
  std::string layer;
  double accuracy = 0;     // validation accuracy with only this layer quantized
  double drop_points = 0;  // FP32 accuracy minus that, in points
  double kl = 0;           // KL(FP32 ‖ quantized) on the validation split
  int64_t fp32_bytes = 0, bytes = 0;
};

// Ranked most sensitive first (by accuracy drop, then KL). `model` is left unchanged.
std::vector<LayerSensitivity> layer_sensitivity(nn::Model& model,
                                                const compress::QuantizePlan& plan,
                                                const data::Dataset& data,
                                                const torch::Tensor& calibration);

// The next-higher precision a sensitive layer falls back to under `method`.
std::string fallback_method(const std::string& method);

struct MixedPrecisionResult {
  std::vector<std::string> kept;  // layers given the fallback method, most sensitive first
  double val_drop_points = 0;     // final validation drop
  bool within_budget = false;
};

// Fills `plan.layer_methods` so that the validation accuracy drop is at most `max_drop`
// points, keeping the fewest, most sensitive layers at the fallback precision. `model` is
// left unchanged.
MixedPrecisionResult plan_mixed_precision(nn::Model& model, compress::QuantizePlan& plan,
                                          const data::Dataset& data,
                                          const torch::Tensor& calibration, double max_drop);

}  // namespace qz::workflow
