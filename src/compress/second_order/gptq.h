// GPTQ (Frantar et al. 2022): quantizes a weight matrix column by column, pushing each
// column's rounding error onto the columns not yet quantized through the inverse input
// Hessian, so the layer's output on the calibration inputs moves as little as possible.
//
// Per column i of a 128-column block: q = Q(w_i), e = (w_i − q)/U_ii, the rest of the block
// −= e·U[i, i+1:]; after the block, the remaining columns −= E·U[block, rest] (lazy batch
// update: one matrix product per block). Grids are per (row, group): computed from the
// already-updated weights when a group starts, or, with activation order (columns walked by
// decreasing H_ii), all up front from the original weights ("static groups"), so the stored
// codes keep the original column order and inference needs no permutation.
#pragma once

#include <torch/torch.h>

#include "core/group_quant.h"

namespace qz::compress {

struct GptqOptions {
  int bits = 4;            // 2–8
  int64_t group = 128;     // columns per grid; ≥ K (or 0) for one grid per row
  bool symmetric = false;  // SymmetricOffset grid (zero 2^(b-1)); affine otherwise
  bool act_order = false;  // columns by decreasing H_ii, static groups
  int64_t block = 128;     // lazy-update block width
  double damp = 0.01;      // λ = damp·mean(diag H)
};

// The integer grid GPTQ uses for `options` (bits ≥ 5 per row only: symmetric signed).
GridKind gptq_grid_kind(const GptqOptions& options);

struct GptqResult {
  GroupCodes codes;       // original column order; scales FP16-rounded
  torch::Tensor weight;   // the dequantized weights [N, K]
  double proxy_loss = 0;  // Σ (w − q)²/U_ii² / 2: GPTQ's own estimate of the output error
  double damping = 0;
};

// Quantizes w [N, K] given its input Hessian [K, K]; InputError for unsupported settings.
GptqResult gptq_quantize(const torch::Tensor& w, const torch::Tensor& hessian,
                         const GptqOptions& options);

// Round to nearest on the same grids (the baseline GPTQ is compared with).
GroupCodes rtn_quantize(const torch::Tensor& w, const GptqOptions& options);

}  // namespace qz::compress
