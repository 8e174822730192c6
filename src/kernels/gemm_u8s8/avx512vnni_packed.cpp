// The u8×s8 GEMM on VNNI-packed weights (vnni_packed_weights.h), AVX-512 VNNI only (flags set
// on this file alone in CMakeLists.txt).
//
// An outer product: a tile of kRows activation rows × one 32-feature panel keeps kRows × 2
// int32 vectors whose lanes are outputs, so nothing is reduced across lanes. Each column quad
// loads the panel's two weight vectors once and broadcasts 4 activation bytes per row, then
// runs kRows × 2 vpdpbusd: 16 multiply-adds for 10 loads at kRows = 8, against the
// dot-product kernel's horizontal sums of every accumulator. The panel (quads × 128 bytes,
// 128 KiB at K = 4096) stays in L2 while every row tile passes over it. The integer sums are
// exact and the float formula is int8_output's, evaluated in the same order per lane, so the
// result equals the reference bit for bit.
#include <immintrin.h>

#include <cstring>

#include "kernels/gemm_u8s8/gemm_u8s8_isa.h"

namespace qz::kernels {
namespace {

constexpr int kRows = 8;  // activation rows per tile: 16 accumulators of 32

inline __m512i broadcast_quad(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

// The last, partial quad of a row (k % 4 bytes), zero-filled: reads nothing past the row.
inline __m512i broadcast_partial_quad(const uint8_t* p, int64_t bytes) {
  int32_t v = 0;
  std::memcpy(&v, p, static_cast<size_t>(bytes));
  return _mm512_set1_epi32(v);
}

// y[i0 .. i0+R, panel p] for R activation rows.
template <int R>
void packed_tile(const U8Activations& x, const S8Weights& w, int64_t i0, int64_t p, float* y) {
  const VnniPackedWeights& pw = *w.packed;
  const int64_t k = w.k, full = k / 4, tail = k % 4;
  const int8_t* panel = pw.panel(p);
  const uint8_t* xr = x.xq + i0 * k;
  __m512i acc[R][2];
#pragma GCC unroll 8
  for (int i = 0; i < R; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_si512();
  for (int64_t q = 0; q < full; ++q) {
    const __m512i w0 = _mm512_load_si512(panel + q * 128);
    const __m512i w1 = _mm512_load_si512(panel + q * 128 + 64);
    _mm_prefetch(reinterpret_cast<const char*>(panel + q * 128) + 8192, _MM_HINT_T0);
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i) {
      const __m512i a = broadcast_quad(xr + i * k + q * 4);
      acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], a, w0);
      acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], a, w1);
    }
  }
  if (tail != 0) {
    const __m512i w0 = _mm512_load_si512(panel + full * 128);
    const __m512i w1 = _mm512_load_si512(panel + full * 128 + 64);
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i) {
      const __m512i a = broadcast_partial_quad(xr + i * k + full * 4, tail);
      acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], a, w0);
      acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], a, w1);
    }
  }
  // y = scale_x · scale_w · (dot − zero_x · row_sum), as int8_output computes it.
  const int64_t n0 = p * kVnniPanel;
  for (int v = 0; v < 2; ++v) {
    const int64_t first = n0 + v * 16;
    if (first >= w.n) break;
    const int64_t lanes = w.n - first < 16 ? w.n - first : 16;
    const __mmask16 mask = static_cast<__mmask16>((1u << lanes) - 1u);
    const __m512 sw = _mm512_maskz_loadu_ps(mask, w.scale + first);
    const __m512i sums = _mm512_maskz_loadu_epi32(mask, w.row_sums + first);
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i) {
      const int64_t grid = x.per_row ? i0 + i : 0;
      const __m512i centred =
          _mm512_sub_epi32(acc[i][v], _mm512_mullo_epi32(_mm512_set1_epi32(x.zero[grid]), sums));
      const __m512 scale = _mm512_mul_ps(_mm512_set1_ps(x.scale[grid]), sw);
      _mm512_mask_storeu_ps(y + (i0 + i) * w.n + first, mask,
                            _mm512_mul_ps(scale, _mm512_cvtepi32_ps(centred)));
    }
  }
}

template <int R = kRows>
void packed_tile_rows(int64_t rows, const U8Activations& x, const S8Weights& w, int64_t i0,
                      int64_t p, float* y) {
  if (rows == R) return packed_tile<R>(x, w, i0, p, y);
  if constexpr (R > 1) packed_tile_rows<R - 1>(rows, x, w, i0, p, y);
}

void gemm_u8s8_packed(const U8Activations& x, const S8Weights& w, int64_t p0, int64_t p1,
                      float* y) {
  for (int64_t p = p0; p < p1; ++p)
    for (int64_t i0 = 0; i0 < x.m; i0 += kRows)
      packed_tile_rows(x.m - i0 < kRows ? x.m - i0 : kRows, x, w, i0, p, y);
}

}  // namespace

GemmU8S8PackedRange u8_s8_f32_packed_gemm__avx512vnni() {
  return &gemm_u8s8_packed;
}

}  // namespace qz::kernels
