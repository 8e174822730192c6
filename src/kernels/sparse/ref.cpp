// The scalar definition of the bitmask-sparse matmul: walk each row's mask, accumulate the kept
// products in double.
#include "kernels/sparse/sparse_isa.h"
#include "kernels/sparse/sparse_matmul.h"

namespace qz::kernels {

std::vector<int64_t> sparse_row_offsets(const uint8_t* mask, int64_t n, int64_t k) {
  const int64_t row_bytes = (k + 7) / 8;
  std::vector<int64_t> offsets(static_cast<size_t>(n + 1), 0);
  for (int64_t r = 0; r < n; ++r) {
    int64_t count = 0;
    for (int64_t b = 0; b < row_bytes; ++b) {
      uint32_t byte = mask[r * row_bytes + b];
      if (b == row_bytes - 1 && k % 8 != 0) byte &= (1u << (k % 8)) - 1u;  // padding bits
      count += __builtin_popcount(byte);
    }
    offsets[r + 1] = offsets[r] + count;
  }
  return offsets;
}

void sparse_rows_ref(const float* x, int64_t m, const SparseWeightView& w, int64_t n0, int64_t n1,
                     float* y) {
  const int64_t row_bytes = w.mask_row_bytes();
  for (int64_t n = n0; n < n1; ++n) {
    const uint8_t* mask = w.mask + n * row_bytes;
    for (int64_t i = 0; i < m; ++i) {
      const float* v = w.values + w.row_offsets[n];
      double acc = 0;
      for (int64_t c = 0; c < w.k; ++c)
        if ((mask[c / 8] >> (c % 8)) & 1u) acc += static_cast<double>(x[i * w.k + c]) * *v++;
      y[i * w.n + n] = static_cast<float>(acc);
    }
  }
}

void sparse_matmul_f32_ref(const float* x, int64_t m, const SparseWeightView& w, const Epilogue& e,
                           float* y) {
  sparse_rows_ref(x, m, w, 0, w.n, y);
  apply_epilogue(e, y, m, w.n, 0, w.n);
}

}  // namespace qz::kernels
