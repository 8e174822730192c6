// The FP32 peak loop compiled for avx2 (flags set on this file alone in CMakeLists.txt); see
// avx512.cpp. AVX2 has no u8 × s8 dot product that sums exactly, so no int8 loop.
#include <immintrin.h>

#include "kernels/peak/peak.h"

namespace qz::kernels {

double fp32_fma_loop__avx2(long iterations) {
  const __m256 x = _mm256_set1_ps(1.0f), w = _mm256_set1_ps(0.5f);
  __m256 a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x,
         a11 = x;
  for (long i = 0; i < iterations; ++i) {
    a0 = _mm256_fmadd_ps(a0, w, x);
    a1 = _mm256_fmadd_ps(a1, w, x);
    a2 = _mm256_fmadd_ps(a2, w, x);
    a3 = _mm256_fmadd_ps(a3, w, x);
    a4 = _mm256_fmadd_ps(a4, w, x);
    a5 = _mm256_fmadd_ps(a5, w, x);
    a6 = _mm256_fmadd_ps(a6, w, x);
    a7 = _mm256_fmadd_ps(a7, w, x);
    a8 = _mm256_fmadd_ps(a8, w, x);
    a9 = _mm256_fmadd_ps(a9, w, x);
    a10 = _mm256_fmadd_ps(a10, w, x);
    a11 = _mm256_fmadd_ps(a11, w, x);
    __asm__ volatile(""
                     : "+x"(a0), "+x"(a1), "+x"(a2), "+x"(a3), "+x"(a4), "+x"(a5), "+x"(a6),
                       "+x"(a7), "+x"(a8), "+x"(a9), "+x"(a10), "+x"(a11));
  }
  const __m256 s =
      _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                    _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)),
                                  _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11))));
  return static_cast<double>(_mm_cvtss_f32(_mm256_castps256_ps128(s)));
}

}  // namespace qz::kernels
