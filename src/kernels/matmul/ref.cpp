// The scalar definition of the FP32-activation matmul: decode each weight with the format's
// reference decoder (kernels/dequant), accumulate in double.
#include <vector>

#include "kernels/dequant/dequantize.h"
#include "kernels/matmul/matmul.h"
#include "kernels/matmul/matmul_isa.h"

namespace qz::kernels {

void matmul_rows_ref(const float* x, int64_t m, const PackedWeightView& w, int64_t n0, int64_t n1,
                     float* y) {
  std::vector<float> row(static_cast<size_t>(w.k));
  for (int64_t n = n0; n < n1; ++n) {
    dequantize_rows_ref(w, n, n + 1, row.data());
    for (int64_t i = 0; i < m; ++i) {
      double acc = 0;
      for (int64_t c = 0; c < w.k; ++c) acc += static_cast<double>(x[i * w.k + c]) * row[c];
      y[i * w.n + n] = static_cast<float>(acc);
    }
  }
}

void matmul_f32_ref(const float* x, int64_t m, const PackedWeightView& w, const Epilogue& e,
                    float* y) {
  matmul_rows_ref(x, m, w, 0, w.n, y);
  apply_epilogue(e, y, m, w.n, 0, w.n);
}

}  // namespace qz::kernels
