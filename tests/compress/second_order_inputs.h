// Calibration inputs for the Hessian-based tests (GPTQ, SparseGPT): correlated channels with a
// few large ones, as real activations have, and their input Hessian.
#pragma once

#include <torch/torch.h>

#include <cmath>

#include "compress/second_order/hessian.h"

namespace qz::compress::testing {

inline torch::Tensor correlated_inputs(int64_t rows, int64_t k, uint64_t seed, int64_t outliers = 4,
                                       double outlier_scale = 8.0) {
  torch::manual_seed(seed);
  const auto mix = torch::randn({k, k}) / std::sqrt(static_cast<double>(k));
  auto x = torch::randn({rows, k}).matmul(mix + torch::eye(k));
  x.narrow(1, 0, outliers).mul_(outlier_scale);
  return x;
}

inline torch::Tensor hessian_of(const torch::Tensor& x) {
  InputHessian h(x.size(1));
  h.add(x);
  return h.matrix();
}

}  // namespace qz::compress::testing
