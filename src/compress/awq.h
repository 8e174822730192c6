// AWQ (Lin et al. 2024): activation-aware weight quantization. The weights that meet large
// activations matter most, so each scalable group's input channels are scaled up in the
// weights (and down in the source) before round-to-nearest group quantization:
//   s = s_x^α / √(max s_x^α · min s_x^α), s_x = mean |x_j| over the calibration rows,
// with α from {0, 0.05, …, 0.95} chosen by the output error of the group's consumers,
// ‖X·W'ᵀ − X·Wᵀ‖² with W' = Q(W·diag(s))·diag(s)⁻¹ (the original measures the enclosing
// block's output; the consumers' outputs are the part of it the scale changes). Then each
// layer's groups are clipped: the range max|w| shrinks by (1 − i/20), i = 0…9, keeping the
// shrink with the least output error of that group's partial product; q and k are not clipped
// (their error passes through softmax). Affine grids, int4 group 128 by default.
#pragma once

#include "compress/quantize_pass.h"

namespace qz::compress {

struct AwqOptions {
  int bits = 4;  // 2–4
  int64_t group = 128;
  int grid = 20;  // α candidates
  bool clip = true;
  int64_t sample_rows = 4096;  // calibration rows each search measures on
};

struct AwqReport {
  std::vector<std::pair<std::string, double>> alphas;  // group source → chosen α
  std::vector<LayerReport> layers;                     // output_mse on the sample rows
};

AwqReport awq_model(nn::Model& model, const AwqOptions& options, const torch::Tensor& calibration,
                    const std::vector<std::string>& exclude);

// w [N, K] round-tripped through affine `bits`-bit grids per (row, group of columns), each
// group's values first clamped to ±clip [N, G] (undefined: no clamp). The search's fast path
// (the stored codes come from core/group_quant).
torch::Tensor affine_round_trip(const torch::Tensor& w, int bits, int64_t group,
                                const torch::Tensor& clip);

}  // namespace qz::compress
