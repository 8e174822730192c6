// Which weights an unstructured or N:M pruning method keeps. A method scores every weight
// (higher = more important), then a mask keeps the best: by one threshold over the layers
// (global), per layer, per output row (Wanda compares within each row), or the N best of every
// M consecutive columns of a row (N:M). Counts follow PyTorch's pruning: k = round(amount·n).
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>

#include "nn/model.h"

namespace qz::compress {

enum class MaskScope { Global, PerLayer, PerRow };

struct MaskOptions {
  double sparsity = 0.5;                  // fraction removed (unstructured)
  MaskScope scope = MaskScope::PerLayer;  // unstructured only
  std::string pattern = "unstructured";   // or "N:M" (2:4, 4:8, …)
};

using LayerScores = std::map<std::string, torch::Tensor>;  // layer → [out, K] scores
using LayerMasks = std::map<std::string, torch::Tensor>;   // layer → bool [out, K], true = kept

// |W| for each layer not in `exclude` ([out, K], K = in·k·k for a conv).
LayerScores magnitude_scores(nn::Model& model, const std::vector<std::string>& exclude);

// Wanda: |W_ij|·‖X_j‖₂ over the calibration inputs each layer sees (for a conv, the columns of
// its im2col input).
LayerScores wanda_scores(nn::Model& model, const torch::Tensor& calibration,
                         const std::vector<std::string>& exclude);

// The kept-weight masks for `scores`.
LayerMasks select_masks(const LayerScores& scores, const MaskOptions& options);

// Zeroes every masked-out weight of the model's (dense) layers.
void apply_masks(nn::Model& model, const LayerMasks& masks);

}  // namespace qz::compress
