#include "kernels/sparse/sparse_matmul.h"

#include <vector>

#include "core/thread_pool.h"
#include "kernels/kernel_config.h"

namespace qz::kernels {

void sparse_matmul_f32_on(Isa isa, const float* x, int64_t m, const SparseWeightView& w,
                          const Epilogue& e, float* y) {
  const SparseIsaKernels* fast = kernel_config(isa).f32_x_bitmask;
  parallel_for(w.n, 16, [&](int64_t n0, int64_t n1) {
    if (fast == nullptr || m <= 0) {
      sparse_rows_ref(x, m, w, n0, n1, y);
    } else {
      thread_local std::vector<float> row;
      row.resize(static_cast<size_t>(w.k));
      fast->matmul(x, m, w, n0, n1, y, row.data());
    }
    apply_epilogue(e, y, m, w.n, n0, n1);
  });
}

void sparse_matmul_f32(const float* x, int64_t m, const SparseWeightView& w, const Epilogue& e,
                       float* y) {
  sparse_matmul_f32_on(active_isa(), x, m, w, e, y);
}

}  // namespace qz::kernels
