// Activation quantization to uint8 for the u8×s8 GEMM, over any ISA's vector traits. The
// arithmetic is the scalar reference's (IntGrid::quantize: divide, round to nearest even, add
// the zero point, clamp), lane for lane, so every ISA gives the reference's codes exactly; the
// tails run the scalar formula itself.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/int_grid.h"

namespace qz::kernels::generic {
namespace {

template <class V>
void quantize_span_u8(const float* x, int64_t n, const IntGrid& g, uint8_t* out) {
  const typename V::F scale = V::set1(g.scale);
  const typename V::F zero = V::set1(static_cast<float>(g.zero));
  const typename V::F lo = V::set1(static_cast<float>(g.qmin));
  const typename V::F hi = V::set1(static_cast<float>(g.qmax));
  int64_t c = 0;
  for (; c + V::W <= n; c += V::W) {
    const typename V::F q = V::add(V::round(V::div(V::load(x + c), scale)), zero);
    V::store_codes_u8(out + c, V::min(V::max(q, lo), hi));  // NaN → qmin, as the reference
  }
  for (; c < n; ++c) out[c] = static_cast<uint8_t>(g.quantize(x[c]));
}

// The min–max grid of one row, widened to contain 0 (NaN values are ignored).
template <class V>
IntGrid row_grid(const float* row, int64_t k) {
  typename V::F lo = V::zero(), hi = V::zero();
  int64_t c = 0;
  for (; c + V::W <= k; c += V::W) {
    const typename V::F v = V::load(row + c);
    lo = V::min(v, lo);
    hi = V::max(v, hi);
  }
  float l = V::hmin(lo), h = V::hmax(hi);
  for (; c < k; ++c) {
    l = std::fmin(l, row[c]);
    h = std::fmax(h, row[c]);
  }
  return make_grid(GridKind::Affine, 8, l, h);
}

template <class V>
void quantize_rows_u8(const float* x, int64_t m, int64_t k, uint8_t* xq, float* scale,
                      int32_t* zero) {
  for (int64_t r = 0; r < m; ++r) {
    const IntGrid g = row_grid<V>(x + r * k, k);
    scale[r] = g.scale;
    zero[r] = g.zero;
    quantize_span_u8<V>(x + r * k, k, g, xq + r * k);
  }
}

template <class V>
void quantize_fixed_u8(const float* x, int64_t count, float scale, int32_t zero, uint8_t* xq) {
  const IntGrid g{scale, zero, 0, 255};
  quantize_span_u8<V>(x, count, g, xq);
}

}  // namespace
}  // namespace qz::kernels::generic
