#include "compress/second_order/column_walk.h"

#include <vector>

#include "core/error.h"

namespace qz::compress {

torch::Tensor walk_columns(torch::Tensor& w, const torch::Tensor& upper, int64_t block,
                           const BlockStart& on_block, const ColumnTarget& target, double& loss) {
  torch::NoGradGuard guard;
  QZ_ASSERT(w.is_contiguous() && w.scalar_type() == torch::kFloat32 && upper.is_contiguous(),
            "walk_columns wants contiguous FP32");
  const int64_t n = w.size(0), k = w.size(1);
  torch::Tensor out = torch::empty({n, k});
  float* op = out.data_ptr<float>();
  const float* u = upper.data_ptr<float>();
  std::vector<float> column(n);
  for (int64_t i1 = 0; i1 < k; i1 += block) {
    const int64_t i2 = std::min(k, i1 + block), count = i2 - i1;
    torch::Tensor values = w.narrow(1, i1, count).contiguous();
    torch::Tensor errors = torch::zeros({n, count});
    WalkState state{
        n, k, i1, count, values.data_ptr<float>(), errors.data_ptr<float>(), w.data_ptr<float>(),
        u};
    float* bp = state.block;
    float* ep = errors.data_ptr<float>();
    if (on_block) on_block(state);
    for (int64_t i = 0; i < count; ++i) {
      const int64_t col = i1 + i;
      target(state, i, column.data());
      const float d = u[col * k + col];
      const float* urow = u + col * k + i1;
      for (int64_t r = 0; r < n; ++r) {
        float* row = bp + r * count;
        const float e = (row[i] - column[r]) / d;
        op[r * k + col] = column[r];
        loss += 0.5 * static_cast<double>(e) * e;
        ep[r * count + i] = e;
        for (int64_t j = i + 1; j < count; ++j) row[j] -= e * urow[j];
      }
    }
    if (i2 < k)
      w.narrow(1, i2, k - i2).sub_(errors.matmul(upper.narrow(0, i1, count).narrow(1, i2, k - i2)));
  }
  return out;
}

}  // namespace qz::compress
