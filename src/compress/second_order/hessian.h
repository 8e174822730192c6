// The second-order statistics GPTQ and SparseGPT share: a layer's input Hessian
// H = 2/N·Σ x·xᵀ over the N calibration rows it sees (a conv's rows are im2col columns), and
// the damped inverse's upper Cholesky factor both algorithms walk column by column.
#pragma once

#include <torch/torch.h>

#include "nn/compressible_layer.h"

namespace qz::compress {

// A running average of 2·x·xᵀ (FP64, so millions of rows sum without drift).
class InputHessian {
 public:
  explicit InputHessian(int64_t columns);
  // rows: [n, columns], any float dtype.
  void add(const torch::Tensor& rows);
  // H [columns, columns] FP32.
  torch::Tensor matrix() const;
  int64_t rows_seen() const { return rows_; }

 private:
  torch::Tensor sum_;  // Σ x·xᵀ
  int64_t rows_ = 0;
};

// `x` as the rows `layer` multiplies: [.., in] → [n, in] for a linear, im2col for a conv.
torch::Tensor layer_input_rows(const nn::CompressibleLayer& layer, const torch::Tensor& x);

struct InverseFactor {
  torch::Tensor upper;  // U [K, K] FP32, upper Cholesky factor of (H + λ·I)⁻¹
  torch::Tensor dead;   // bool [K]: columns no input ever reached (H_ii = 0)
  double damping = 0;   // λ
};

// Prepares H for the column walk: dead columns get H_ii = 1 (their weights must be zeroed by
// the caller), λ = damp·mean(diag H) is added to the diagonal, and U = chol((H + λI)⁻¹)ᵀ. If
// the Cholesky fails (H numerically singular), λ is multiplied by 10 and retried, up to 6 times.
InverseFactor damped_inverse_factor(torch::Tensor hessian, double damp);

}  // namespace qz::compress
