// The entry each ISA's u8×s8 GEMM source file provides (internal to kernels/gemm_u8s8/).
#pragma once

#include "kernels/gemm_u8s8/gemm_u8s8.h"

namespace qz::kernels {

// The int32 scratch a range needs: x.m × this many.
constexpr int64_t kInt8ScratchPerRow = 48;

// y[:, n0:n1) without the epilogue; acc: x.m × kInt8ScratchPerRow int32 of scratch. Call only
// when isa_supported() says the CPU can.
using GemmU8S8Range = void (*)(const U8Activations& x, const S8Weights& w, int64_t n0, int64_t n1,
                               float* y, int32_t* acc);

GemmU8S8Range u8_s8_f32_gemm__avx2();
GemmU8S8Range u8_s8_f32_gemm__avx512vnni();
GemmU8S8Range u8_s8_f32_gemm__neon();
GemmU8S8Range u8_s8_f32_gemm__neon_dotprod();

// y[:, panels [p0, p1) of w.packed) without the epilogue, for every activation row.
using GemmU8S8PackedRange = void (*)(const U8Activations& x, const S8Weights& w, int64_t p0,
                                     int64_t p1, float* y);

GemmU8S8PackedRange u8_s8_f32_packed_gemm__avx512vnni();
GemmU8S8PackedRange u8_s8_f32_packed_gemm__avx2();

// The activation quantizers of one ISA, with the reference's signatures and results.
struct U8Quantizers {
  void (*rows)(const float* x, int64_t m, int64_t k, uint8_t* xq, float* scale, int32_t* zero);
  void (*fixed)(const float* x, int64_t count, float scale, int32_t zero, uint8_t* xq);
};

U8Quantizers u8_quantizers__avx2();
U8Quantizers u8_quantizers__avx512();
U8Quantizers u8_quantizers__neon();

}  // namespace qz::kernels
