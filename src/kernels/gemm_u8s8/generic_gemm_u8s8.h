// The u8×s8 GEMM written once over a vector-traits type V (kernels/simd/) and instantiated by
// each ISA's source file; see gemm_u8s8.h for the layout and gemm_u8s8() below for the
// blocking. Internal linkage throughout, for the reason given in matmul/generic_matmul.h.
#pragma once

#include <cstdint>

#include "kernels/gemm_u8s8/gemm_u8s8.h"
#include "kernels/gemm_u8s8/gemm_u8s8_isa.h"
#include "kernels/gemm_u8s8/int8_output.h"

namespace qz::kernels::generic {
namespace {

constexpr int64_t kInt8PanelRows = kInt8ScratchPerRow;

constexpr int64_t smallest(int64_t a, int64_t b) {
  return a < b ? a : b;
}

// acc[i·ld + j] += Σ_{c in [c0, c1)} x[i0+i, c]·w[j0+j, c] for an MR × NR tile.
template <class V, int MR, int NR>
void int8_tile(const U8Activations& x, const S8Weights& w, int64_t i0, int64_t j0, int64_t c0,
               int64_t c1, int32_t* acc_out, int64_t ld) {
  using I = typename V::I;
  const int64_t k = w.k;
  I acc[MR][NR];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) acc[i][j] = V::izero();
  const uint8_t* xr = x.xq + i0 * k;
  const int8_t* wr = w.wq + j0 * k;
  int64_t c = c0;
  for (; c + V::kI8Step <= c1; c += V::kI8Step) {
    I xv[MR];
    for (int i = 0; i < MR; ++i) xv[i] = V::load_u8(xr + i * k + c);
    for (int j = 0; j < NR; ++j) {
      V::prefetch(wr + j * k + c + 1024);
      const I wv = V::load_s8(wr + j * k + c);
      for (int i = 0; i < MR; ++i) acc[i][j] = V::dot(acc[i][j], xv[i], wv);
    }
  }
  if (c < c1) {
    I xv[MR];
    for (int i = 0; i < MR; ++i) xv[i] = V::load_u8_partial(xr + i * k + c, c1 - c);
    for (int j = 0; j < NR; ++j) {
      const I wv = V::load_s8_partial(wr + j * k + c, c1 - c);
      for (int i = 0; i < MR; ++i) acc[i][j] = V::dot(acc[i][j], xv[i], wv);
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) acc_out[i * ld + j] += V::isum(acc[i][j]);
}

template <class V, int MR, int NR = V::kNr>
void int8_tile_n(int64_t nr, const U8Activations& x, const S8Weights& w, int64_t i0, int64_t j0,
                 int64_t c0, int64_t c1, int32_t* acc, int64_t ld) {
  if (nr == NR) return int8_tile<V, MR, NR>(x, w, i0, j0, c0, c1, acc, ld);
  if constexpr (NR > 1) int8_tile_n<V, MR, NR - 1>(nr, x, w, i0, j0, c0, c1, acc, ld);
}

template <class V, int MR = V::kMr>
void int8_tile_mn(int64_t mr, int64_t nr, const U8Activations& x, const S8Weights& w, int64_t i0,
                  int64_t j0, int64_t c0, int64_t c1, int32_t* acc, int64_t ld) {
  if (mr == MR) return int8_tile_n<V, MR>(nr, x, w, i0, j0, c0, c1, acc, ld);
  if constexpr (MR > 1) int8_tile_mn<V, MR - 1>(mr, nr, x, w, i0, j0, c0, c1, acc, ld);
}

// y[:, n0:n1) for every activation row. Each kMr × kNr tile runs the whole of K in one go: its
// vector accumulators are reduced once at the end, and that reduction costs as much as ~300
// dot steps, so blocking K (measured with 1024-column blocks) made the kernel 25% slower. A
// panel of kInt8PanelRows weight rows (48·K bytes) stays in L2 while every activation row
// block passes over it; the panel's int32 sums gather in `acc` (x.m × kInt8PanelRows).
template <class V>
void gemm_u8s8(const U8Activations& x, const S8Weights& w, int64_t n0, int64_t n1, float* y,
               int32_t* acc) {
  for (int64_t nb0 = n0; nb0 < n1; nb0 += kInt8PanelRows) {
    const int64_t nb = smallest(kInt8PanelRows, n1 - nb0);
    for (int64_t i = 0; i < x.m * kInt8PanelRows; ++i) acc[i] = 0;
    for (int64_t i0 = 0; i0 < x.m; i0 += V::kMr)
      for (int64_t j = 0; j < nb; j += V::kNr)
        int8_tile_mn<V>(smallest(V::kMr, x.m - i0), smallest(V::kNr, nb - j), x, w, i0, nb0 + j, 0,
                        w.k, acc + i0 * kInt8PanelRows + j, kInt8PanelRows);
    for (int64_t i = 0; i < x.m; ++i) {
      const int64_t grid = x.per_row ? i : 0;
      for (int64_t j = 0; j < nb; ++j)
        y[i * w.n + nb0 + j] =
            int8_output(acc[i * kInt8PanelRows + j], x.scale[grid],
                        x.zero[grid] - V::kActivationOffset, w.scale[nb0 + j], w.row_sums[nb0 + j]);
    }
  }
}

}  // namespace
}  // namespace qz::kernels::generic
