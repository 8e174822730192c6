// The peak loops compiled for avx512 with VNNI (flags set on this file alone in CMakeLists.txt):
// 12 independent accumulators hide each instruction's latency, so the loop runs at the
// issue rate; the empty asm keeps the compiler from folding the constant operands.
#include <immintrin.h>

#include "kernels/peak/peak.h"

namespace qz::kernels {

double int8_dot_loop__avx512vnni(long iterations) {
  const __m512i x = _mm512_set1_epi32(0x01010101), w = _mm512_set1_epi32(0x01010101);
  __m512i a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x,
          a11 = x;
  for (long i = 0; i < iterations; ++i) {
    a0 = _mm512_dpbusd_epi32(a0, x, w);
    a1 = _mm512_dpbusd_epi32(a1, x, w);
    a2 = _mm512_dpbusd_epi32(a2, x, w);
    a3 = _mm512_dpbusd_epi32(a3, x, w);
    a4 = _mm512_dpbusd_epi32(a4, x, w);
    a5 = _mm512_dpbusd_epi32(a5, x, w);
    a6 = _mm512_dpbusd_epi32(a6, x, w);
    a7 = _mm512_dpbusd_epi32(a7, x, w);
    a8 = _mm512_dpbusd_epi32(a8, x, w);
    a9 = _mm512_dpbusd_epi32(a9, x, w);
    a10 = _mm512_dpbusd_epi32(a10, x, w);
    a11 = _mm512_dpbusd_epi32(a11, x, w);
    __asm__ volatile(""
                     : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6),
                       "+v"(a7), "+v"(a8), "+v"(a9), "+v"(a10), "+v"(a11));
  }
  const __m512i s = _mm512_add_epi32(
      _mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)),
      _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a4, a5), _mm512_add_epi32(a6, a7)),
                       _mm512_add_epi32(_mm512_add_epi32(a8, a9), _mm512_add_epi32(a10, a11))));
  return static_cast<double>(_mm_cvtsi128_si32(_mm512_castsi512_si128(s)));
}

double fp32_fma_loop__avx512(long iterations) {
  const __m512 x = _mm512_set1_ps(1.0f), w = _mm512_set1_ps(0.5f);
  __m512 a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x,
         a11 = x;
  for (long i = 0; i < iterations; ++i) {
    a0 = _mm512_fmadd_ps(a0, w, x);
    a1 = _mm512_fmadd_ps(a1, w, x);
    a2 = _mm512_fmadd_ps(a2, w, x);
    a3 = _mm512_fmadd_ps(a3, w, x);
    a4 = _mm512_fmadd_ps(a4, w, x);
    a5 = _mm512_fmadd_ps(a5, w, x);
    a6 = _mm512_fmadd_ps(a6, w, x);
    a7 = _mm512_fmadd_ps(a7, w, x);
    a8 = _mm512_fmadd_ps(a8, w, x);
    a9 = _mm512_fmadd_ps(a9, w, x);
    a10 = _mm512_fmadd_ps(a10, w, x);
    a11 = _mm512_fmadd_ps(a11, w, x);
    __asm__ volatile(""
                     : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6),
                       "+v"(a7), "+v"(a8), "+v"(a9), "+v"(a10), "+v"(a11));
  }
  const __m512 s =
      _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                    _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)),
                                  _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11))));
  return static_cast<double>(_mm_cvtss_f32(_mm512_castps512_ps128(s)));
}

}  // namespace qz::kernels
