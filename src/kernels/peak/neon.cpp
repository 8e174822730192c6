// The peak loops compiled for neon (cmake/kernel_sources.cmake). The int8 step is the plain
// NEON product the int8 GEMM uses without the dot-product extension: vmlal_s16, 4 multiply-adds
// of widened bytes.
#include <arm_neon.h>

#include "kernels/peak/independent_chains.h"
#include "kernels/peak/peak.h"

namespace qz::kernels {

void int8_dot_loop__neon(long iterations) {
  const int16x4_t w = vdup_n_s16(1);
  run_independent_chains(iterations, vdupq_n_s32(1), [w](int32x4_t a) {
    return vmlal_s16(a, vget_low_s16(vreinterpretq_s16_s32(a)), w);
  });
}

void fp32_fma_loop__neon(long iterations) {
  const float32x4_t x = vdupq_n_f32(1.0f), w = vdupq_n_f32(0.5f);
  run_independent_chains(iterations, x, [x, w](float32x4_t a) { return vfmaq_f32(x, a, w); });
}

}  // namespace qz::kernels
