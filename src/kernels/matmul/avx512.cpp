// The weight-only matmul compiled for avx512 (flags set on this file alone in CMakeLists.txt).
#include "kernels/simd/avx512.h"
#include "kernels/matmul/generic_matmul.h"
#include "kernels/matmul/matmul_isa.h"

namespace qz::kernels {

const MatmulIsaKernels* f32_wq_f32_matmul__avx512() {
  static constexpr MatmulIsaKernels kernels = {&generic::gemv_any<simd::Avx512>,
                                               &generic::gemm_any<simd::Avx512>,
                                               &generic::gemm_outer_any<simd::Avx512>};
  return &kernels;
}

}  // namespace qz::kernels
