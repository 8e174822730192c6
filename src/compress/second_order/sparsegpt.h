// SparseGPT (Frantar & Alistarh 2023): pruning as the GPTQ column walk where a column's target
// is the column with its pruned weights zeroed. The mask is chosen as the walk goes, by
// w²/U_jj² on the already-updated weights: per 128-column block for unstructured sparsity
// (the lowest share of the block's scores), per row and M-column window for N:M (the M − N
// lowest). The kept weights absorb the pruned ones' error.
#pragma once

#include <torch/torch.h>

#include <string>

namespace qz::compress {

struct SparseGptOptions {
  double sparsity = 0.5;                 // unstructured: share of weights removed
  std::string pattern = "unstructured";  // or "N:M" (N kept of every M)
  int64_t block = 128;                   // a multiple of M for N:M
  double damp = 0.01;
};

struct SparseGptResult {
  torch::Tensor weight;  // [N, K], zero where pruned
  torch::Tensor keep;    // bool [N, K]
  double proxy_loss = 0;
  double damping = 0;
};

SparseGptResult sparsegpt_prune(const torch::Tensor& w, const torch::Tensor& hessian,
                                const SparseGptOptions& options);

}  // namespace qz::compress
