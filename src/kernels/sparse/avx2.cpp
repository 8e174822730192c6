// The bitmask-sparse matmul compiled for avx2 (flags set on this file alone in CMakeLists.txt).
#include "kernels/simd/avx2.h"
#include "kernels/sparse/generic_sparse.h"
#include "kernels/sparse/sparse_isa.h"

namespace qz::kernels {

const SparseIsaKernels* f32_bitmask_f32_matmul__avx2() {
  static constexpr SparseIsaKernels kernels = {&generic::sparse_matmul<simd::Avx2>};
  return &kernels;
}

}  // namespace qz::kernels
