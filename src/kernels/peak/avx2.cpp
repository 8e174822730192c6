// The peak loops compiled for avx2 (flags set on this file alone in CMakeLists.txt). AVX2's
// int8 dot product is the vpmaddubsw (u8 × s8 pairs to saturating s16) + vpmaddwd (pairs of s16
// to s32) sequence onednn and fbgemm use: 32 multiply-adds per pair of instructions, each step
// feeding the next so nothing is hoisted out of the loop.
#include <immintrin.h>

#include "kernels/peak/independent_chains.h"
#include "kernels/peak/peak.h"

namespace qz::kernels {

void int8_dot_loop__avx2(long iterations) {
  const __m256i w = _mm256_set1_epi8(1), ones = _mm256_set1_epi16(1);
  run_independent_chains(iterations, _mm256_set1_epi8(1), [w, ones](__m256i a) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(a, w), ones);
  });
}

void fp32_fma_loop__avx2(long iterations) {
  const __m256 x = _mm256_set1_ps(1.0f), w = _mm256_set1_ps(0.5f);
  run_independent_chains(iterations, x, [x, w](__m256 a) { return _mm256_fmadd_ps(a, w, x); });
}

}  // namespace qz::kernels
