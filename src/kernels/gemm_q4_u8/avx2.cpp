// The W4A8 GEMM compiled for avx2 (flags set on this file alone in CMakeLists.txt): the AVX-512
// VNNI kernel's blocks and activation order with AVX2's integer dot product.
//
// A kQ4Block block of 128 columns is two 32-byte weight loads: bytes 0–31 hold columns 0–63,
// bytes 32–63 columns 64–127 (even columns in the low nibbles). vpmaddubsw multiplies the
// activations (u8, first operand) by the codes (0..15, valid s8) and adds adjacent pairs into
// s16: at most 2·255·15 = 7650, and the even and odd halves added together 15300, so nothing
// saturates (the trap that makes AVX2 int8 GEMMs on s8 weights inexact does not apply to 4-bit
// codes). vpmaddwd with ones then widens to int32: lane m of a half holds columns 8m..8m+7 of
// that half, so the first half's lanes are the block's columns 0–63 and the second's 64–127.
// Groups of 32 and 64 scale each half per lane; larger groups sum whole blocks in int32 and
// scale once per group. The zero-point terms are as in the VNNI kernel. A last block past K
// reads 64 bytes from the row's own start of block when they lie inside the weights (bytes of
// the next row meet zero-padded activations), and a zero-filled copy of the row's bytes only
// where they would run past the end of the weights.
#include <immintrin.h>

#include <cstring>

#include "kernels/gemm_q4_u8/gemm_q4_u8_isa.h"
#include "kernels/gemm_q4_u8/q4_codes.h"
#include "kernels/gemm_q4_u8/q4_outputs.h"
#include "kernels/simd/avx2.h"

namespace qz::kernels {
namespace {

constexpr int kRows = 4;  // output rows sharing each activation load

// Σ x·q over one 64-column half as 8 int32 lanes (columns 8m..8m+7 in lane m).
inline __m256i half_dot(__m256i xe, __m256i xo, __m256i codes, __m256i nibble, __m256i ones) {
  const __m256i lo = _mm256_and_si256(codes, nibble);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(codes, 4), nibble);
  const __m256i pairs =
      _mm256_add_epi16(_mm256_maddubs_epi16(xe, lo), _mm256_maddubs_epi16(xo, hi));
  return _mm256_madd_epi16(pairs, ones);
}

inline float half_to_float(uint16_t h) {
  return _cvtsh_ss(h);
}

// The scales of one half's lanes: groups of 64 give the half one scale, groups of 32 two
// (lanes 0–3 and 4–7); 0 for lanes past the row's `groups` (a partial last block).
inline __m256 half_scales(const uint16_t* row_scales, int64_t first_column, int64_t group,
                          int64_t groups) {
  const int64_t g = first_column / group;
  auto scale = [&](int64_t gi) { return gi < groups ? half_to_float(row_scales[gi]) : 0.0f; };
  if (group == 64) return _mm256_set1_ps(scale(g));
  const __m128 a = _mm_set1_ps(scale(g));
  const __m128 b = _mm_set1_ps(scale(g + 1));
  return _mm256_insertf128_ps(_mm256_castps128_ps256(a), b, 1);
}

// y[i, n .. n+R) for activation row i.
template <int R>
void q4_rows(const Q4Activations& xa, const Q4Weights& w, int64_t i, int64_t n, float* y) {
  const U8Activations& x = *xa.x;
  const int64_t k = w.k, group = w.group, groups = w.groups(), row_bytes = (k + 1) / 2;
  const int64_t blocks = q4_blocks(k);
  const int64_t weight_bytes = w.n * row_bytes;
  const bool small_groups = group < kQ4Block;  // 32 or 64
  const int64_t blocks_per_group = small_groups ? 0 : group / kQ4Block;
  const uint8_t* xr = xa.xperm + i * xa.stride;
  const __m256i nibble = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1);
  __m256 acc[R];
  __m256i pending[R];  // int32 sums of the current group (groups of kQ4Block and more)
  for (int r = 0; r < R; ++r) {
    acc[r] = _mm256_setzero_ps();
    pending[r] = _mm256_setzero_si256();
  }
  int64_t g = 0, blocks_left = blocks_per_group;  // the current large group
  for (int64_t b = 0; b < blocks; ++b) {
    const uint8_t* xb = xr + b * kQ4Block;
    const __m256i xe0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb));
    const __m256i xe1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb + 32));
    const __m256i xo0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb + 64));
    const __m256i xo1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb + 96));
    const bool group_ends = !small_groups && (blocks_left == 1 || b + 1 == blocks);
    for (int r = 0; r < R; ++r) {
      const int64_t offset = (n + r) * row_bytes + b * (kQ4Block / 2);
      const uint8_t* codes = w.packed + offset;
      // Batch 1 streams the weights: fetch the same bytes two row blocks (2R rows) ahead.
      _mm_prefetch(reinterpret_cast<const char*>(codes + 2 * R * row_bytes), _MM_HINT_T0);
      alignas(32) uint8_t last[kQ4Block / 2];
      if (offset + kQ4Block / 2 > weight_bytes) {  // the weights' last row, in a partial block
        std::memset(last, 0, sizeof last);
        std::memcpy(last, codes, static_cast<size_t>(weight_bytes - offset));
        codes = last;
      }
      const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(codes));
      const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(codes + 32));
      const __m256i d0 = half_dot(xe0, xo0, w0, nibble, ones);
      const __m256i d1 = half_dot(xe1, xo1, w1, nibble, ones);
      if (small_groups) {
        const uint16_t* row_scales = w.scales + (n + r) * groups;
        const int64_t c0 = b * kQ4Block;
        acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(d0), half_scales(row_scales, c0, group, groups),
                                 acc[r]);
        acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(d1),
                                 half_scales(row_scales, c0 + 64, group, groups), acc[r]);
        continue;
      }
      pending[r] = _mm256_add_epi32(pending[r], _mm256_add_epi32(d0, d1));
      if (group_ends) {
        const float s = half_to_float(w.scales[(n + r) * groups + g]);
        acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(pending[r]), _mm256_set1_ps(s), acc[r]);
        pending[r] = _mm256_setzero_si256();
      }
    }
    if (!small_groups && --blocks_left == 0) {
      blocks_left = blocks_per_group;
      ++g;
    }
  }
  // The zero-point terms: −zx·row_offset − Σ_g s·z·xsum_g, 8 groups at a time, then the rest.
  const int32_t* xsums = xa.xsums + i * groups;
  for (int r = 0; r < R; ++r) {
    const int64_t row = (n + r) * groups;
    __m256 zterms = _mm256_setzero_ps();
    int64_t gi = 0;
    for (; gi + 8 <= groups; gi += 8) {
      const __m256 s =
          _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w.scales + row + gi)));
      const __m256 z =
          w.zeros == nullptr
              ? _mm256_set1_ps(8.0f)
              : _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(simd::Avx2::load8(w.zeros + row + gi)));
      const __m256 xs =
          _mm256_cvtepi32_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(xsums + gi)));
      zterms = _mm256_fmadd_ps(_mm256_mul_ps(s, z), xs, zterms);
    }
    float rest = 0.0f;
    for (; gi < groups; ++gi)
      rest += half_to_float(w.scales[row + gi]) * static_cast<float>(q4_zero(w, n + r, gi)) *
              static_cast<float>(xsums[gi]);
    // The rest goes into lane 0: Σ lanes (acc − zterms) − rest.
    acc[r] =
        _mm256_sub_ps(_mm256_sub_ps(acc[r], zterms), _mm256_setr_ps(rest, 0, 0, 0, 0, 0, 0, 0));
  }
  store_q4_outputs<simd::Avx2, R>(acc, -static_cast<float>(x.zero[i]), x.scale[i],
                                  w.row_offsets + n, y + i * w.n + n);
}

void gemm_q4u8(const Q4Activations& xa, const Q4Weights& w, int64_t n0, int64_t n1, float* y) {
  for_row_blocks<kRows>(xa.x->m, n0, n1,
                        [&]<int R>(int64_t i, int64_t n) { q4_rows<R>(xa, w, i, n, y); });
}

}  // namespace

GemmQ4U8Range q4_u8_f32_gemm__avx2() {
  return &gemm_q4u8;
}

}  // namespace qz::kernels
