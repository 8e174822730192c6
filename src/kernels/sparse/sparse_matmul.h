// y = act(x·Wᵀ + b) for FP32 activations x [M, K] and a pruned weight matrix W [N, K] stored
// compactly: a bitmask (uint8 [N, ceil(K/8)], bit c % 8 of byte c / 8 set when column c is
// kept) and the kept values in row-major order (float [nnz]). row_offsets[n] is the index of
// row n's first value (N + 1 entries, derived from the mask by sparse_row_offsets). The same
// layout holds unstructured and N:M sparsity: for 2:4 the mask costs 4 bits per 4 weights, as
// two 2-bit indices would.
//
// The fast kernels expand each vector's worth of kept values into their lanes (AVX-512
// vexpandps, AVX2 a permutation table) and multiply densely: the weight traffic is
// 4·density + 1/8 bytes per weight instead of 4, which is what batch-1 inference pays for.
// M = 1 fuses the expansion into the dot product; M ≥ 2 expands a row once into scratch and
// reuses it for every activation row. Tolerance against the reference (double sums): 1e-5·Σ|x·w|.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/epilogue.h"
#include "kernels/isa.h"

namespace qz::kernels {

struct SparseWeightView {
  int64_t n = 0, k = 0;
  const uint8_t* mask = nullptr;
  const float* values = nullptr;
  const int64_t* row_offsets = nullptr;

  int64_t mask_row_bytes() const { return (k + 7) / 8; }
};

// Index of each row's first value (N + 1 entries; the last is nnz).
std::vector<int64_t> sparse_row_offsets(const uint8_t* mask, int64_t n, int64_t k);

// The reference: walk the mask, accumulate in double, apply the epilogue.
void sparse_matmul_f32_ref(const float* x, int64_t m, const SparseWeightView& w, const Epilogue& e,
                           float* y);

// The fast kernel of `isa` (which the CPU must support), split across output rows.
void sparse_matmul_f32_on(Isa isa, const float* x, int64_t m, const SparseWeightView& w,
                          const Epilogue& e, float* y);

// The fast kernel of the active ISA.
void sparse_matmul_f32(const float* x, int64_t m, const SparseWeightView& w, const Epilogue& e,
                       float* y);

}  // namespace qz::kernels
