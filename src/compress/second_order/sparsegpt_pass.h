// SparseGPT over a whole model: every FP32 layer (but the excluded) pruned in sequence on
// Hessians from calibration inputs through the already-pruned layers; the dense weights are
// updated in place and the kept-weight masks returned for fine-tuning and packing.
#pragma once

#include "compress/prune/prune_masks.h"
#include "compress/second_order/sparsegpt.h"

namespace qz::compress {

struct SparseGptLayerReport {
  std::string layer;
  double sparsity = 0;
  double output_mse = 0;            // from the Hessian, SparseGPT's weights
  double magnitude_output_mse = 0;  // the same mask count by magnitude, no update
  double seconds = 0;
};

LayerMasks sparsegpt_model(nn::Model& model, const SparseGptOptions& options,
                           const torch::Tensor& calibration,
                           const std::vector<std::string>& exclude,
                           std::vector<SparseGptLayerReport>* reports = nullptr);

}  // namespace qz::compress
