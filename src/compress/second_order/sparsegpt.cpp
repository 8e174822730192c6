#include "compress/second_order/sparsegpt.h"

#include <cmath>

#include "compress/second_order/column_walk.h"
#include "compress/second_order/hessian.h"
#include "core/error.h"
#include "core/nm_pattern.h"

namespace qz::compress {

SparseGptResult sparsegpt_prune(const torch::Tensor& w, const torch::Tensor& hessian,
                                const SparseGptOptions& options) {
  torch::NoGradGuard no_grad;
  const int64_t n = w.size(0), k = w.size(1);
  QZ_ASSERT(hessian.size(0) == k && hessian.size(1) == k, "sparsegpt shapes");
  const bool nm = options.pattern != "unstructured";
  int64_t keep_n = 0, window = 0;
  if (nm) {
    std::tie(keep_n, window) = parse_nm_pattern(options.pattern, "[sparsegpt]");
    QZ_CHECK(options.block % window == 0,
             "[sparsegpt] block {} must be a multiple of the pattern's M = {}", options.block,
             window);
  } else {
    QZ_CHECK(options.sparsity >= 0 && options.sparsity < 1,
             "[sparsegpt] sparsity must be in [0, 1), got {}", options.sparsity);
  }
  torch::Tensor weight = w.detach().to(torch::kFloat32).contiguous().clone();
  weight.index_put_({torch::indexing::Slice(), hessian.diagonal() == 0}, 0.0f);
  const InverseFactor factor = damped_inverse_factor(hessian, options.damp);
  const auto u_diag = factor.upper.diagonal().contiguous();
  const float* ud = u_diag.data_ptr<float>();

  torch::Tensor keep = torch::ones({n, k}, torch::kBool);
  auto* kp = keep.data_ptr<bool>();
  // Score of W[r, c] at the current values: w²/U_cc².
  auto score = [&](const WalkState& st, int64_t r, int64_t c) {
    const float v = st.block[r * st.block_cols + (c - st.block_begin)];
    return v * v / (ud[c] * ud[c]);
  };
  auto mask_block = [&](const WalkState& st) {
    if (nm) return;
    const int64_t cells = n * st.block_cols;
    const auto prune = static_cast<int64_t>(std::nearbyint(options.sparsity * cells));
    if (prune == 0) return;
    auto scores = torch::empty({cells});
    float* sp = scores.data_ptr<float>();
    for (int64_t r = 0; r < n; ++r)
      for (int64_t i = 0; i < st.block_cols; ++i)
        sp[r * st.block_cols + i] = score(st, r, st.block_begin + i);
    const auto lowest = std::get<1>(scores.topk(prune, 0, /*largest=*/false));
    for (int64_t idx :
         std::vector<int64_t>(lowest.data_ptr<int64_t>(), lowest.data_ptr<int64_t>() + prune))
      kp[(idx / st.block_cols) * k + st.block_begin + idx % st.block_cols] = false;
  };
  auto prune_column = [&](const WalkState& st, int64_t i, float* target) {
    const int64_t col = st.block_begin + i;
    if (nm && col % window == 0) {  // choose this window's survivors on the updated weights
      const int64_t len = std::min(window, k - col);
      std::vector<std::pair<float, int64_t>> ranked(len);
      for (int64_t r = 0; r < n; ++r) {
        for (int64_t j = 0; j < len; ++j) ranked[j] = {score(st, r, col + j), j};
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        for (int64_t j = keep_n; j < len; ++j) kp[r * k + col + ranked[j].second] = false;
      }
    }
    for (int64_t r = 0; r < n; ++r)
      target[r] = kp[r * k + col] ? st.block[r * st.block_cols + i] : 0.0f;
  };
  SparseGptResult result;
  result.damping = factor.damping;
  result.weight = walk_columns(weight, factor.upper, options.block, mask_block, prune_column,
                               result.proxy_loss);
  result.keep = keep;
  return result;
}

}  // namespace qz::compress
