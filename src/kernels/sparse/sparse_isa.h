// The table each ISA's sparse-matmul source file fills (internal to kernels/sparse/).
#pragma once

#include <cstdint>

#include "kernels/sparse/sparse_matmul.h"

namespace qz::kernels {

struct SparseIsaKernels {
  // y[i·N + n] = Σ_k x[i·K + k]·W[n, k] for m rows and n in [n0, n1); `row` is K floats of
  // scratch (m ≥ 2 only). No epilogue.
  void (*matmul)(const float* x, int64_t m, const SparseWeightView& w, int64_t n0, int64_t n1,
                 float* y, float* row);
};

// The reference's outputs [n0, n1) of every row (ld N), no epilogue (ref.cpp).
void sparse_rows_ref(const float* x, int64_t m, const SparseWeightView& w, int64_t n0, int64_t n1,
                     float* y);

const SparseIsaKernels* f32_bitmask_f32_matmul__avx2();
const SparseIsaKernels* f32_bitmask_f32_matmul__avx512();
const SparseIsaKernels* f32_bitmask_f32_matmul__neon();

}  // namespace qz::kernels
