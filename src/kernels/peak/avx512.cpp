// The peak loops compiled for avx512 with VNNI (flags set on this file alone in CMakeLists.txt).
#include <immintrin.h>

#include "kernels/peak/independent_chains.h"
#include "kernels/peak/peak.h"

namespace qz::kernels {

void int8_dot_loop__avx512vnni(long iterations) {
  const __m512i x = _mm512_set1_epi32(0x01010101);
  run_independent_chains(iterations, x, [x](__m512i a) { return _mm512_dpbusd_epi32(a, x, x); });
}

void fp32_fma_loop__avx512(long iterations) {
  const __m512 x = _mm512_set1_ps(1.0f), w = _mm512_set1_ps(0.5f);
  run_independent_chains(iterations, x, [x, w](__m512 a) { return _mm512_fmadd_ps(a, w, x); });
}

}  // namespace qz::kernels
