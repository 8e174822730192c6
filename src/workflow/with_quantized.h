// Trying a quantization plan without keeping it: the search loops (sensitivity, mixed
// precision, tune) quantize a model, measure it, and need their FP32 layers back.
#pragma once

#include <vector>

#include "compress/quantize_pass.h"
#include "nn/model.h"

namespace qz::workflow {

// Runs body(layer_reports) with the model's layers quantized by `plan`, then restores the
// original layers (also when body throws).
template <typename Body>
auto with_quantized(nn::Model& model, const compress::QuantizePlan& plan,
                    const torch::Tensor& calibration, Body body) {
  std::vector<nn::LayerPtr> originals;
  for (const auto& slot : model.layers()) originals.push_back(slot.get());
  struct Restore {
    nn::Model& model;
    std::vector<nn::LayerPtr>& originals;
    ~Restore() {
      for (size_t i = 0; i < originals.size(); ++i) model.layers()[i].replace(originals[i]);
    }
  } restore{model, originals};
  auto reports = compress::quantize_model(model, plan, calibration);
  return body(reports);
}

}  // namespace qz::workflow
