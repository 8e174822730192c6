#include "compress/second_order/gptq.h"

#include <algorithm>

#include "compress/second_order/column_walk.h"
#include "compress/second_order/hessian.h"
#include "core/error.h"

namespace qz::compress {
namespace {

int64_t effective_group(const GptqOptions& o, int64_t k) {
  return o.group <= 0 || o.group >= k ? k : o.group;
}

void check_options(const GptqOptions& o, int64_t k) {
  QZ_CHECK(o.bits >= 2 && o.bits <= 8, "[gptq] bits must be 2 to 8, got {}", o.bits);
  QZ_CHECK(o.bits <= 4 || effective_group(o, k) == k,
           "[gptq] {} bits are stored as int8 codes with one scale per row: use group 0 (per "
           "channel) or 2–4 bits for groups",
           o.bits);
  QZ_CHECK(o.block >= 1, "[gptq] block must be positive, got {}", o.block);
  QZ_CHECK(o.damp > 0 && o.damp < 1, "[gptq] damp must be in (0, 1), got {}", o.damp);
}

// One grid per (row, group), row-major [N, G].
struct Grids {
  int64_t groups = 0;
  std::vector<IntGrid> grid;
};

// The grid of every row for the group of columns [c0, c1), values read through `at(row, col)`.
template <class At>
void fit_group(Grids& grids, int64_t g, int64_t rows, int64_t c0, int64_t c1, GridKind kind,
               int bits, const At& at) {
  for (int64_t r = 0; r < rows; ++r) {
    float lo = 0, hi = 0;
    for (int64_t c = c0; c < c1; ++c) {
      const float v = at(r, c);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    grids.grid[r * grids.groups + g] = make_grid(kind, bits, lo, hi, round_to_fp16);
  }
}

}  // namespace

GridKind gptq_grid_kind(const GptqOptions& options) {
  if (options.bits > 4) return GridKind::SymmetricSigned;
  return options.symmetric ? GridKind::SymmetricOffset : GridKind::Affine;
}

GroupCodes rtn_quantize(const torch::Tensor& w, const GptqOptions& options) {
  const auto w32 = w.detach().to(torch::kFloat32).contiguous();
  const int64_t n = w32.size(0), k = w32.size(1);
  check_options(options, k);
  return quantize_groups({w32.data_ptr<float>(), static_cast<size_t>(n * k)}, n, k,
                         effective_group(options, k), gptq_grid_kind(options), options.bits, {},
                         round_to_fp16);
}

GptqResult gptq_quantize(const torch::Tensor& w, const torch::Tensor& hessian,
                         const GptqOptions& options) {
  torch::NoGradGuard no_grad;
  QZ_ASSERT(w.dim() == 2 && hessian.dim() == 2 && hessian.size(0) == w.size(1) &&
                hessian.size(1) == w.size(1),
            "gptq shapes");
  const int64_t n = w.size(0), k = w.size(1);
  check_options(options, k);
  const int64_t group = effective_group(options, k);
  const GridKind kind = gptq_grid_kind(options);

  torch::Tensor weight = w.detach().to(torch::kFloat32).clone();
  // Columns no input reached carry no information: zero them (their H_ii becomes 1 below).
  weight.index_put_({torch::indexing::Slice(), hessian.diagonal() == 0}, 0.0f);

  // Column order of the walk: by decreasing H_ii with act-order (dead columns, H_ii = 0, last).
  torch::Tensor perm = torch::arange(k, torch::kLong);
  if (options.act_order) perm = std::get<1>(hessian.diagonal().sort(/*stable=*/true, 0, true));
  const auto* order = perm.data_ptr<int64_t>();

  Grids grids{(k + group - 1) / group, {}};
  grids.grid.resize(n * grids.groups);
  if (options.act_order) {  // static groups: from the original weights, before any update
    const float* wp = weight.data_ptr<float>();
    for (int64_t g = 0; g < grids.groups; ++g)
      fit_group(grids, g, n, g * group, std::min(k, (g + 1) * group), kind, options.bits,
                [&](int64_t r, int64_t c) { return wp[r * k + c]; });
  }

  // Walk in permuted coordinates: column i of W and of H is original column order[i].
  torch::Tensor walk = options.act_order ? weight.index_select(1, perm).contiguous() : weight;
  const InverseFactor factor = damped_inverse_factor(
      options.act_order ? hessian.index_select(0, perm).index_select(1, perm) : hessian,
      options.damp);

  GptqResult result;
  result.codes.rows = n;
  result.codes.cols = k;
  result.codes.group = group;
  result.codes.codes.assign(n * k, 0);
  result.damping = factor.damping;
  auto quantize_column = [&](const WalkState& st, int64_t i, float* target) {
    const int64_t col = st.block_begin + i, orig = order[col];
    if (!options.act_order && col % group == 0)  // lazy groups: the up-to-date values
      fit_group(grids, col / group, n, col, std::min(k, col + group), kind, options.bits,
                [&](int64_t r, int64_t c) { return st.value(r, c, i); });
    const int64_t g = orig / group;
    for (int64_t r = 0; r < n; ++r) {
      const IntGrid& grid = grids.grid[r * grids.groups + g];
      const int32_t code = grid.quantize(st.block[r * st.block_cols + i]);
      result.codes.codes[r * k + orig] = static_cast<uint8_t>(code);
      target[r] = grid.dequantize(code);
    }
  };
  const torch::Tensor walked =
      walk_columns(walk, factor.upper, options.block, nullptr, quantize_column, result.proxy_loss);
  result.weight =
      options.act_order ? torch::empty_like(walked).index_copy_(1, perm, walked) : walked;
  result.codes.scales.resize(n * grids.groups);
  result.codes.zeros.resize(n * grids.groups);
  for (size_t i = 0; i < grids.grid.size(); ++i) {
    result.codes.scales[i] = grids.grid[i].scale;
    result.codes.zeros[i] = grids.grid[i].zero;
  }
  return result;
}

}  // namespace qz::compress
