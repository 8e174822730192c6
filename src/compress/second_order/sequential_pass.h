// Runs a Hessian-based algorithm (GPTQ, SparseGPT) over a model's layers in order, each layer's
// Hessian measured on calibration inputs that flow through the layers already processed, so
// every layer corrects the error of those before it. One layer's statistics are held at a
// time (memory stays bounded by the largest K²); layers that receive the very same input
// tensor (a block's q, k and v; gate and up) share one Hessian and one pass.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "nn/model.h"

namespace qz::compress {

// Replaces (or edits) the layer in `slot` given its input Hessian [K, K].
using HessianStep = std::function<void(const nn::LayerSlot& slot, const torch::Tensor& hessian)>;

// Calls `step` for every layer not in `exclude`, in model order. `label` titles the progress.
void for_each_layer_hessian(nn::Model& model, const torch::Tensor& calibration,
                            const std::vector<std::string>& exclude, const std::string& label,
                            const HessianStep& step);

}  // namespace qz::compress
