// The weight-only matmul compiled for avx2 (flags set on this file alone in CMakeLists.txt).
#include "kernels/simd/avx2.h"
#include "kernels/matmul/generic_matmul.h"
#include "kernels/matmul/matmul_isa.h"

namespace qz::kernels {

const MatmulIsaKernels* f32_wq_f32_matmul__avx2() {
  static constexpr MatmulIsaKernels kernels = {&generic::gemv_any<simd::Avx2>,
                                               &generic::gemm_any<simd::Avx2>, nullptr};
  return &kernels;
}

}  // namespace qz::kernels
