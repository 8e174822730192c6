// How the x86 W4A8 kernels end a row block (internal to kernels/gemm_q4_u8/).
#pragma once

#include <immintrin.h>

namespace qz::kernels {
namespace {

// out[r] = scale·(Σ acc[r] + neg_zero·offsets[r]) for r < R ≤ 4, with V's traits. All R
// outputs share one reduction (V::sum4), and fewer than four go through the same tree (zero
// vectors fill the rest), so an output's bits do not depend on where a thread's chunk ends.
template <class V, int R>
void store_q4_outputs(const typename V::F acc[R], float neg_zero, float scale, const float* offsets,
                      float* out) {
  typename V::F padded[4] = {V::zero(), V::zero(), V::zero(), V::zero()};
  for (int r = 0; r < R; ++r) padded[r] = acc[r];
  alignas(16) float sums[4];
  _mm_store_ps(sums, V::sum4(padded));
  for (int r = 0; r < R; ++r) out[r] = scale * (sums[r] + neg_zero * offsets[r]);
}

}  // namespace
}  // namespace qz::kernels
