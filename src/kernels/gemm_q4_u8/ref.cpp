#include <algorithm>

#include "core/minifloat.h"
#include "kernels/gemm_q4_u8/gemm_q4_u8.h"
#include "kernels/gemm_q4_u8/q4_codes.h"

namespace qz::kernels {

void q4_row_offsets(const Q4Weights& w, float* offsets) {
  const int64_t groups = w.groups(), row_bytes = (w.k + 1) / 2;
  for (int64_t r = 0; r < w.n; ++r) {
    double total = 0;
    for (int64_t g = 0; g < groups; ++g) {
      const int64_t c0 = g * w.group, c1 = std::min(w.k, c0 + w.group);
      int64_t codes = 0;
      for (int64_t c = c0; c < c1; ++c) codes += q4_code(w.packed + r * row_bytes, c);
      total += static_cast<double>(fp16_to_float(w.scales[r * groups + g])) *
               static_cast<double>(codes - q4_zero(w, r, g) * (c1 - c0));
    }
    offsets[r] = static_cast<float>(total);
  }
}

void gemm_q4u8_f32_ref(const U8Activations& x, const Q4Weights& w, const Epilogue& e, float* y) {
  const int64_t groups = w.groups(), row_bytes = (w.k + 1) / 2;
  for (int64_t i = 0; i < x.m; ++i) {
    const uint8_t* a = x.xq + i * w.k;
    for (int64_t n = 0; n < w.n; ++n) {
      const uint8_t* codes = w.packed + n * row_bytes;
      float acc = 0.0f;
      for (int64_t g = 0; g < groups; ++g) {
        const int32_t z = q4_zero(w, n, g);
        int32_t dot = 0;
        for (int64_t c = g * w.group; c < std::min(w.k, (g + 1) * w.group); ++c)
          dot += (q4_code(codes, c) - z) * (static_cast<int32_t>(a[c]) - x.zero[i]);
        acc += fp16_to_float(w.scales[n * groups + g]) * static_cast<float>(dot);
      }
      y[i * w.n + n] = x.scale[i] * acc;
    }
  }
  apply_epilogue(e, y, x.m, w.n, 0, w.n);
}

}  // namespace qz::kernels
