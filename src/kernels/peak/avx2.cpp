// The FP32 peak loop compiled for avx2 (flags set on this file alone in CMakeLists.txt). AVX2
// has no u8 × s8 dot product that sums exactly, so no int8 loop.
#include <immintrin.h>

#include "kernels/peak/independent_chains.h"
#include "kernels/peak/peak.h"

namespace qz::kernels {

void fp32_fma_loop__avx2(long iterations) {
  const __m256 x = _mm256_set1_ps(1.0f), w = _mm256_set1_ps(0.5f);
  run_independent_chains(iterations, x, [x, w](__m256 a) { return _mm256_fmadd_ps(a, w, x); });
}

}  // namespace qz::kernels
