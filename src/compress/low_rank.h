// Low-rank factorization: each linear W [out, in] becomes B·A through a truncated SVD
// (W = U·Σ·Vᵀ, B = U_r·√Σ_r, A = √Σ_r·V_rᵀ). The rank comes from one of
//   rank    a fixed r (capped at min(in, out)),
//   energy  the smallest r keeping that share of Σσ² (the singular values' energy),
//   ratio   a kept-parameter budget ρ: r = ⌊ρ·in·out / (in + out)⌋.
// A layer where r·(in + out) ≥ in·out would not shrink and is left alone. The activation-aware
// variant (ASVD) scales W's columns by s^0.5 (s = mean |x_j| over calibration inputs) before
// the SVD and unscales A after, so the truncation spends its error where inputs are small.
#pragma once

#include <string>
#include <vector>

#include "nn/model.h"

namespace qz::compress {

struct LowRankOptions {
  int64_t rank = 0;   // one of rank, energy, ratio is set
  double energy = 0;  // (0, 1]
  double ratio = 0;   // (0, 1)
  bool activation_aware = false;
  std::vector<std::string> exclude;
};

struct LowRankReport {
  std::string layer;
  int64_t in = 0, out = 0, rank = 0;
  bool factored = false;      // false: r·(in + out) ≥ in·out, left dense
  double relative_error = 0;  // ‖W − B·A‖_F / ‖W‖_F
  int64_t params_before = 0, params_after = 0;
};

// Factors every FP32 linear layer not excluded; `calibration` is needed when activation_aware.
std::vector<LowRankReport> factorize_model(nn::Model& model, const LowRankOptions& options,
                                           const torch::Tensor& calibration);

}  // namespace qz::compress
