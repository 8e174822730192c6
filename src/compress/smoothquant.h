// SmoothQuant W8A8 (Xiao et al. 2023): activation outliers make per-token int8 activations
// coarse, so part of each input channel's range moves into the weights before quantizing:
// s_j = max|X_j|^α / max|W_·j|^(1−α) (at least 1e-5), X ← X/s folded into the preceding norm
// or layer, W ← W·diag(s). Then every layer becomes int8 weights per channel with int8
// activations per token, computed by the integer GEMM (int8-dynamic).
#pragma once

#include "compress/quantize_pass.h"

namespace qz::compress {

struct SmoothingReport {
  std::string source;
  double max_scale = 0, min_scale = 0;
  double act_range_before = 0, act_range_after = 0;  // max over channels of max|X_j|
};

// Smooths every scalable group (compress/channel_scaling.h) with migration strength `alpha`.
std::vector<SmoothingReport> smooth_model(nn::Model& model, double alpha,
                                          const torch::Tensor& calibration,
                                          const std::vector<std::string>& exclude);

}  // namespace qz::compress
