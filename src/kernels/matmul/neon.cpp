// The weight-only matmul compiled for neon (cmake/kernel_sources.cmake): the generic template on
// 4-float vectors; no outer-product GEMM (its K-major panel transposes 16 × 16 blocks, an
// AVX-512 shape).
#include "kernels/simd/neon.h"
#include "kernels/matmul/generic_matmul.h"
#include "kernels/matmul/matmul_isa.h"

namespace qz::kernels {

const MatmulIsaKernels* f32_wq_f32_matmul__neon() {
  static constexpr MatmulIsaKernels kernels = {&generic::gemv_any<simd::Neon>,
                                               &generic::gemm_any<simd::Neon>, nullptr};
  return &kernels;
}

}  // namespace qz::kernels
