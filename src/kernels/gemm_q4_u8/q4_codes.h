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

}  // namespace
}  // namespace qz::kernels
