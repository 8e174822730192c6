#include <algorithm>
#include <cmath>

#include "core/int_grid.h"
#include "kernels/gemm_u8s8/gemm_u8s8.h"
#include "kernels/gemm_u8s8/int8_output.h"

namespace qz::kernels {

void quantize_rows_u8_ref(const float* x, int64_t m, int64_t k, uint8_t* xq, float* scale,
                          int32_t* zero) {
  for (int64_t r = 0; r < m; ++r) {
    const float* row = x + r * k;
    float lo = 0, hi = 0;
    for (int64_t c = 0; c < k; ++c) {
      lo = std::fmin(lo, row[c]);
      hi = std::fmax(hi, row[c]);
    }
    const IntGrid g = make_grid(GridKind::Affine, 8, lo, hi);
    scale[r] = g.scale;
    zero[r] = g.zero;
    for (int64_t c = 0; c < k; ++c) xq[r * k + c] = static_cast<uint8_t>(g.quantize(row[c]));
  }
}

void quantize_fixed_u8_ref(const float* x, int64_t count, float scale, int32_t zero, uint8_t* xq) {
  const IntGrid g{scale, zero, 0, 255};
  for (int64_t i = 0; i < count; ++i) xq[i] = static_cast<uint8_t>(g.quantize(x[i]));
}

void weight_row_sums_ref(const int8_t* wq, int64_t n, int64_t k, int32_t* sums) {
  for (int64_t r = 0; r < n; ++r) {
    int32_t s = 0;
    for (int64_t c = 0; c < k; ++c) s += wq[r * k + c];
    sums[r] = s;
  }
}

void gemm_u8s8_f32_ref(const U8Activations& x, const S8Weights& w, const Epilogue& e, float* y) {
  for (int64_t i = 0; i < x.m; ++i) {
    const uint8_t* a = x.xq + i * w.k;
    const int64_t grid = x.per_row ? i : 0;
    for (int64_t j = 0; j < w.n; ++j) {
      const int8_t* b = w.wq + j * w.k;
      int32_t dot = 0;
      for (int64_t c = 0; c < w.k; ++c)
        dot += static_cast<int32_t>(a[c]) * static_cast<int32_t>(b[c]);
      y[i * w.n + j] = int8_output(dot, x.scale[grid], x.zero[grid], w.scale[j], w.row_sums[j]);
    }
  }
  apply_epilogue(e, y, x.m, w.n, 0, w.n);
}

}  // namespace qz::kernels
