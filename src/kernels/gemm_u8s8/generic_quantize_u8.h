// Activation quantization to uint8 for the u8×s8 GEMM, over any ISA's vector traits. The
// arithmetic is the scalar reference's (IntGrid::quantize: divide, round to nearest even, add
// the zero point, clamp), lane for lane, so every ISA gives the reference's codes exactly. Row
// tails run as one partial vector (zero lanes cannot move a range that always contains 0), not
// element by element: a conv's im2col rows can be 9 values long, and the scalar formula's
// libm calls cost ~10 ns per element there.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/int_grid.h"

namespace qz::kernels::generic {
namespace {

template <class V>
void quantize_span_u8(const float* x, int64_t n, const IntGrid& g, uint8_t* out) {
  const typename V::F scale = V::set1(g.scale);
  const typename V::F zero = V::set1(static_cast<float>(g.zero));
  const typename V::F lo = V::set1(static_cast<float>(g.qmin));
  const typename V::F hi = V::set1(static_cast<float>(g.qmax));
  auto codes = [&](typename V::F v) {  // NaN → qmin, as the reference
    return V::min(V::max(V::add(V::round(V::div(v, scale)), zero), lo), hi);
  };
  int64_t c = 0;
  for (; c + V::W <= n; c += V::W) V::store_codes_u8(out + c, codes(V::load(x + c)));
  if (c < n) {
    uint8_t tail[V::W];
    V::store_codes_u8(tail, codes(V::load_partial(x + c, n - c)));
    std::memcpy(out + c, tail, static_cast<size_t>(n - c));
  }
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
  if (c < k) {
    const typename V::F v = V::load_partial(row + c, k - c);
    lo = V::min(v, lo);
    hi = V::max(v, hi);
  }
  return make_grid(GridKind::Affine, 8, V::hmin(lo), V::hmax(hi));
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
