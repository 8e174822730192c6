// The bitmask-sparse matmul written once over a vector-traits type V (kernels/simd/), which
// supplies expand(values, bits): the next popcount(bits) values placed in the set lanes. Like
// matmul/generic_matmul.h it lives in an anonymous namespace and calls no standard-library
// templates, so each ISA's file keeps its own copy.
#pragma once

#include <cstdint>

#include "kernels/sparse/sparse_isa.h"

namespace qz::kernels::generic {
namespace {

// The mask bits of columns [c, c + W) (c % W == 0).
template <int W>
uint32_t lane_bits(const uint8_t* mask, int64_t c) {
  if constexpr (W == 4) return (mask[c / 8] >> (c % 8)) & 0xFu;
  if constexpr (W == 8) return mask[c / 8];
  return static_cast<uint32_t>(mask[c / 8]) | (static_cast<uint32_t>(mask[c / 8 + 1]) << 8);
}

bool kept(const uint8_t* mask, int64_t c) {
  return (mask[c / 8] >> (c % 8)) & 1u;
}

// Row n as dense floats (zeros where pruned) into `row` [K].
template <class V>
void expand_row(const SparseWeightView& w, int64_t n, float* row) {
  const uint8_t* mask = w.mask + n * w.mask_row_bytes();
  const float* v = w.values + w.row_offsets[n];
  int64_t c = 0;
  for (; c + V::W <= w.k; c += V::W) {
    const uint32_t bits = lane_bits<V::W>(mask, c);
    V::store(row + c, V::expand(v, bits));
    v += __builtin_popcount(bits);
  }
  for (; c < w.k; ++c) row[c] = kept(mask, c) ? *v++ : 0.0f;
}

// One activation row against rows [n0, n1): expansion fused into the dot product.
template <class V>
void sparse_gemv(const float* x, const SparseWeightView& w, int64_t n0, int64_t n1, float* y) {
  using F = typename V::F;
  for (int64_t n = n0; n < n1; ++n) {
    const uint8_t* mask = w.mask + n * w.mask_row_bytes();
    const float* v = w.values + w.row_offsets[n];
    F acc0 = V::zero(), acc1 = V::zero();
    int64_t c = 0;
    for (; c + 2 * V::W <= w.k; c += 2 * V::W) {
      const uint32_t b0 = lane_bits<V::W>(mask, c);
      const uint32_t b1 = lane_bits<V::W>(mask, c + V::W);
      const F w0 = V::expand(v, b0);
      v += __builtin_popcount(b0);
      const F w1 = V::expand(v, b1);
      v += __builtin_popcount(b1);
      acc0 = V::fma(w0, V::load(x + c), acc0);
      acc1 = V::fma(w1, V::load(x + c + V::W), acc1);
    }
    for (; c + V::W <= w.k; c += V::W) {
      const uint32_t b = lane_bits<V::W>(mask, c);
      acc0 = V::fma(V::expand(v, b), V::load(x + c), acc0);
      v += __builtin_popcount(b);
    }
    float s = V::sum(V::add(acc0, acc1));
    for (; c < w.k; ++c)
      if (kept(mask, c)) s += x[c] * *v++;
    y[n] = s;
  }
}

// Dot products of one dense row [K] with activation rows i0..i0+R.
template <class V, int R>
void dot_rows(const float* x, int64_t k, const float* row, float* out) {
  using F = typename V::F;
  F acc[R];
  for (int r = 0; r < R; ++r) acc[r] = V::zero();
  int64_t c = 0;
  for (; c + V::W <= k; c += V::W) {
    const F wv = V::load(row + c);
    for (int r = 0; r < R; ++r) acc[r] = V::fma(V::load(x + r * k + c), wv, acc[r]);
  }
  if (c < k) {
    const F wv = V::load_partial(row + c, k - c);
    for (int r = 0; r < R; ++r) acc[r] = V::fma(V::load_partial(x + r * k + c, k - c), wv, acc[r]);
  }
  for (int r = 0; r < R; ++r) out[r] = V::sum(acc[r]);
}

template <class V>
void sparse_matmul(const float* x, int64_t m, const SparseWeightView& w, int64_t n0, int64_t n1,
                   float* y, float* row) {
  if (m == 1) {
    sparse_gemv<V>(x, w, n0, n1, y);
    return;
  }
  for (int64_t n = n0; n < n1; ++n) {
    expand_row<V>(w, n, row);
    float out[4];
    int64_t i = 0;
    for (; i + 4 <= m; i += 4) {
      dot_rows<V, 4>(x + i * w.k, w.k, row, out);
      for (int r = 0; r < 4; ++r) y[(i + r) * w.n + n] = out[r];
    }
    for (; i < m; ++i) {
      dot_rows<V, 1>(x + i * w.k, w.k, row, out);
      y[i * w.n + n] = out[0];
    }
  }
}

}  // namespace
}  // namespace qz::kernels::generic
