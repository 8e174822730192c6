// The bitmask-sparse matmul compiled for neon (cmake/kernel_sources.cmake).
#include "kernels/simd/neon.h"
#include "kernels/sparse/generic_sparse.h"
#include "kernels/sparse/sparse_isa.h"

namespace qz::kernels {

const SparseIsaKernels* f32_bitmask_f32_matmul__neon() {
  static constexpr SparseIsaKernels kernels = {&generic::sparse_matmul<simd::Neon>};
  return &kernels;
}

}  // namespace qz::kernels
