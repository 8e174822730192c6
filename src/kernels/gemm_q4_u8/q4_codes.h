// Reading one int4 code and a group's zero point (internal to kernels/gemm_q4_u8/).
#pragma once

#include <cstdint>

#include "kernels/gemm_q4_u8/gemm_q4_u8.h"

namespace qz::kernels {
namespace {

// Code of column c in a packed row: low nibble for even columns, high for odd.
inline int32_t q4_code(const uint8_t* row, int64_t c) {
  return (row[c / 2] >> (4 * (c % 2))) & 0x0F;
}

inline int32_t q4_zero(const Q4Weights& w, int64_t n, int64_t g) {
  return w.zeros == nullptr ? 8 : w.zeros[n * w.groups() + g];
}

// The ISA kernels' driver: output rows [n0, n1) in blocks of R that share each activation load,
// then one at a time, for each of the m activation rows; rows.template operator()<B>(i, n)
// computes y[i, n .. n+B).
template <int R, class Rows>
void for_row_blocks(int64_t m, int64_t n0, int64_t n1, Rows&& rows) {
  int64_t n = n0;
  for (; n + R <= n1; n += R)
    for (int64_t i = 0; i < m; ++i) rows.template operator()<R>(i, n);
  for (; n < n1; ++n)
    for (int64_t i = 0; i < m; ++i) rows.template operator()<1>(i, n);
}

// Σ q·xq over group g's columns from `tail` on (the K % kQ4Block tail past the last full
// block, which the NEON kernel leaves to scalar code; the x86 kernels run it as a zero-padded
// block); `codes` is the row's packed codes.
inline int32_t q4_tail_dot(const Q4Weights& w, const uint8_t* codes, const uint8_t* xq, int64_t g,
                           int64_t tail) {
  const int64_t g0 = g * w.group > tail ? g * w.group : tail;
  const int64_t g1 = (g + 1) * w.group < w.k ? (g + 1) * w.group : w.k;
  int32_t dot = 0;
  for (int64_t c = g0; c < g1; ++c) dot += q4_code(codes, c) * static_cast<int32_t>(xq[c]);
  return dot;
}

}  // namespace
}  // namespace qz::kernels
