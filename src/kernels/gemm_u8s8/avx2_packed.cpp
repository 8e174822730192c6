// The u8×s8 GEMM on VNNI-packed weights (vnni_packed_weights.h) with AVX2 (flags set on this
// file alone in cmake/kernel_sources.cmake): the outer product of avx512vnni_packed.cpp, with
// vpdpbusd spelled in AVX2.
//
// vpmaddubsw multiplies u8 × s8 byte pairs but saturates their int16 sum, and u8 activations
// (≤ 255) × int8 weights (±127) overflow it. So each activation byte is shifted to s8 (x − 128,
// a sign-bit flip) and multiplied as |x − 128| (≤ 128, unsigned) × sign(x − 128)·w: a pair sums
// to at most 2·128·127 = 32512, which int16 holds exactly. vpmaddwd against ones adds the pairs
// of a quad into the int32 lane, and 128·Σw comes back through the zero point (as NEON's sdot
// kernel does; simd/neon_dotprod.h). The integers are exact and the float formula is
// int8_output's in the same order, so the result equals the reference bit for bit.
//
// One stream of weights front to back instead of four row-major rows: with weights in L3 the
// row-major kernel waited on memory (12 GB/s at 4096 × 4096, M = 1, against 30 GB/s from L2).
#include <immintrin.h>

#include <cstring>

#include "kernels/gemm_u8s8/gemm_u8s8_isa.h"

namespace qz::kernels {
namespace {

constexpr int kRows = 2;  // activation rows per tile: 8 accumulators + 4 weight vectors
constexpr int32_t kOffset = 128;

// 4 activation bytes shifted to s8, in every lane; `bytes` < 4 zero-fills the rest (a partial
// last quad), whose weights are zero in the packed layout, so whatever it holds adds nothing.
inline __m256i broadcast_quad(const uint8_t* p, int64_t bytes = 4) {
  uint32_t v = 0;
  std::memcpy(&v, p, static_cast<size_t>(bytes));
  return _mm256_set1_epi32(static_cast<int32_t>(v ^ 0x80808080u));
}

// acc += Σ_t a_t · w_t per int32 lane (4 byte pairs), a the s8-shifted activations.
inline __m256i dot_quad(__m256i acc, __m256i abs_a, __m256i a, __m256i w) {
  const __m256i pairs = _mm256_maddubs_epi16(abs_a, _mm256_sign_epi8(w, a));
  return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
}

// y[i0 .. i0+R, panel p] for R activation rows.
template <int R>
void packed_tile(const U8Activations& x, const S8Weights& w, int64_t i0, int64_t p, float* y) {
  const VnniPackedWeights& pw = *w.packed;
  const int64_t k = w.k, full = k / 4, tail = k % 4;
  const int8_t* panel = pw.panel(p);
  const uint8_t* xr = x.xq + i0 * k;
  __m256i acc[R][4];
  for (int i = 0; i < R; ++i)
    for (int v = 0; v < 4; ++v) acc[i][v] = _mm256_setzero_si256();
  auto quad = [&](int64_t q, int64_t bytes) {
    const int8_t* wq = panel + q * 128;
    _mm_prefetch(reinterpret_cast<const char*>(wq) + 4096, _MM_HINT_T0);
    __m256i wv[4];
    for (int v = 0; v < 4; ++v)
      wv[v] = _mm256_load_si256(reinterpret_cast<const __m256i*>(wq + 32 * v));
    for (int i = 0; i < R; ++i) {
      const __m256i a = broadcast_quad(xr + i * k + q * 4, bytes);
      const __m256i abs_a = _mm256_abs_epi8(a);
      for (int v = 0; v < 4; ++v) acc[i][v] = dot_quad(acc[i][v], abs_a, a, wv[v]);
    }
  };
  for (int64_t q = 0; q < full; ++q) quad(q, 4);
  if (tail != 0) quad(full, tail);
  // y = scale_x · scale_w · (dot − zero_x · row_sum), as int8_output computes it.
  const int64_t n0 = p * kVnniPanel;
  for (int v = 0; v < 4; ++v) {
    const int64_t first = n0 + v * 8;
    if (first >= w.n) break;
    const int64_t lanes = w.n - first < 8 ? w.n - first : 8;
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(lanes)),
                                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const __m256 sw = _mm256_maskload_ps(w.scale + first, mask);
    const __m256i sums = _mm256_maskload_epi32(w.row_sums + first, mask);
    for (int i = 0; i < R; ++i) {
      const int64_t grid = x.per_row ? i0 + i : 0;
      const __m256i centred = _mm256_sub_epi32(
          acc[i][v], _mm256_mullo_epi32(_mm256_set1_epi32(x.zero[grid] - kOffset), sums));
      const __m256 scale = _mm256_mul_ps(_mm256_set1_ps(x.scale[grid]), sw);
      _mm256_maskstore_ps(y + (i0 + i) * w.n + first, mask,
                          _mm256_mul_ps(scale, _mm256_cvtepi32_ps(centred)));
    }
  }
}

// Weights holding −128 (not the int8 format's, but a file may) go to the row-major kernel,
// exact for every code, over the same outputs in blocks of kBlockRows activation rows.
constexpr int64_t kBlockRows = 64;

void row_major_fallback(const U8Activations& x, const S8Weights& w, int64_t n0, int64_t n1,
                        float* y) {
  int32_t acc[kBlockRows * kInt8ScratchPerRow];
  const GemmU8S8Range row_major = u8_s8_f32_gemm__avx2();
  for (int64_t r0 = 0; r0 < x.m; r0 += kBlockRows) {
    const int64_t rows = x.m - r0 < kBlockRows ? x.m - r0 : kBlockRows;
    const int64_t grid0 = x.per_row ? r0 : 0;
    const U8Activations block{x.xq + r0 * w.k, x.scale + grid0, x.zero + grid0, x.per_row, rows};
    row_major(block, w, n0, n1, y + r0 * w.n, acc);
  }
}

void gemm_u8s8_packed(const U8Activations& x, const S8Weights& w, int64_t p0, int64_t p1,
                      float* y) {
  if (w.packed->has_code_minus_128()) {
    const int64_t n1 = p1 * kVnniPanel < w.n ? p1 * kVnniPanel : w.n;
    row_major_fallback(x, w, p0 * kVnniPanel, n1, y);
    return;
  }
  for (int64_t p = p0; p < p1; ++p)
    for (int64_t i0 = 0; i0 < x.m; i0 += kRows) {
      if (x.m - i0 >= kRows)
        packed_tile<kRows>(x, w, i0, p, y);
      else
        packed_tile<1>(x, w, i0, p, y);
    }
}

}  // namespace

GemmU8S8PackedRange u8_s8_f32_packed_gemm__avx2() {
  return &gemm_u8s8_packed;
}

}  // namespace qz::kernels
