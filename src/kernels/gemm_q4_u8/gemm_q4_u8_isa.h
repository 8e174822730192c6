// The entries the AVX-512 VNNI, AVX2 and NEON source files provide (internal to
// kernels/gemm_q4_u8/).
#pragma once

#include "kernels/gemm_q4_u8/gemm_q4_u8.h"

namespace qz::kernels {

// Columns per 64-byte weight load: low nibbles are the even ones, high nibbles the odd ones.
constexpr int64_t kQ4Block = 128;

// The activations as the kernel reads them, prepared once per call (gemm_q4_u8.cpp):
// xperm [M, stride], stride = K rounded up to kQ4Block: each block as (even columns, odd
// columns), the last one zero-padded, so a K that is not a multiple of kQ4Block runs through the
// same vector blocks (padding columns meet zero activations whatever weight bytes they meet);
// xsums [M, groups]: Σ of each row's codes over each weight group.
struct Q4Activations {
  const U8Activations* x = nullptr;
  const uint8_t* xperm = nullptr;
  const int32_t* xsums = nullptr;
  int64_t stride = 0;
};

// Blocks per row, the last one partial when K is not a multiple of kQ4Block.
inline int64_t q4_blocks(int64_t k) {
  return (k + kQ4Block - 1) / kQ4Block;
}

// y[:, n0:n1) without the epilogue. Call only on a CPU with the ISA and for a group the kernels
// take (q4u8_fast_group).
using GemmQ4U8Range = void (*)(const Q4Activations& x, const Q4Weights& w, int64_t n0, int64_t n1,
                               float* y);

GemmQ4U8Range q4_u8_f32_gemm__avx512vnni();
GemmQ4U8Range q4_u8_f32_gemm__avx2();
GemmQ4U8Range q4_u8_f32_gemm__neon();

// Whether the fast kernel handles this group size: 32, 64 or a multiple of kQ4Block.
inline bool q4u8_fast_group(int64_t group) {
  return group == 32 || group == 64 || (group > 0 && group % kQ4Block == 0);
}

}  // namespace qz::kernels
