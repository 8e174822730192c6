// NEON traits with the ARMv8.2 dot-product extension: sdot multiplies 4 signed byte pairs and
// adds them into each int32 lane. It has no u8 × s8 form (that needs the later i8mm extension),
// so activations load with their sign bit flipped — x − 128, a valid s8 — and the GEMM adds
// 128·Σw back through the zero point (kActivationOffset; generic_gemm_u8s8.h). The integers
// equal plain NEON's exactly. Include only from neon_dot*.cpp files, compiled with
// -march=armv8.2-a+dotprod (cmake/kernel_sources.cmake).
#pragma once

#include <arm_neon.h>

#include "kernels/simd/neon.h"

namespace qz::kernels::simd {
namespace {

struct NeonDotprod : Neon {
  static constexpr int32_t kActivationOffset = 128;

  static I load_u8(const uint8_t* p) {
    return vreinterpretq_s32_u8(veorq_u8(vld1q_u8(p), vdupq_n_u8(0x80)));
  }
  static I load_u8_partial(const uint8_t* p, int64_t n) {
    uint8_t buf[16] = {};
    for (int64_t i = 0; i < n && i < 16; ++i) buf[i] = p[i];
    return load_u8(buf);  // the padding meets zero weights, so its value does not matter
  }
  static I dot(I acc, I x, I w) {
    return vdotq_s32(acc, vreinterpretq_s8_s32(x), vreinterpretq_s8_s32(w));
  }
};

}  // namespace
}  // namespace qz::kernels::simd
