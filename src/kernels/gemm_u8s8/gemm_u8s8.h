// Integer GEMM for INT8 layers: activations quantized to uint8 (asymmetric: per row for
// dynamic quantization, per tensor for static), weights int8 symmetric per output channel.
//
//   y[m,n] = act( sx[m]·sw[n]·( Σ_k xq[m,k]·wq[n,k] − zx[m]·Σ_k wq[n,k] ) + bias[n] )
//
// u8×s8 products accumulate exactly in int32 — vpdpbusd on AVX-512 VNNI, int16 vpmaddwd on AVX2.
// Two kernels: a kMr × kNr tile of dot products on the stored row-major weights (no repacking;
// one vector accumulator per output, reduced at the end), and on AVX-512 VNNI an outer-product
// kernel on weights the layer has packed once for it (vnni_packed_weights.h), which wins at
// every batch size measured, one row included. The integer sums are exact and the float formula
// is shared (int8_output.h), so every kernel and ISA matches the reference bit for bit. The
// weight row sums are precomputed once per layer.
#pragma once

#include <cstdint>

#include "kernels/epilogue.h"
#include "kernels/gemm_u8s8/vnni_packed_weights.h"
#include "kernels/isa.h"

namespace qz::kernels {

// Quantizes each row of x [M, K] to uint8 with its own scale and zero point (min–max, the
// range widened to contain 0). scale[m], zero[m] receive the grids.
void quantize_rows_u8_ref(const float* x, int64_t m, int64_t k, uint8_t* xq, float* scale,
                          int32_t* zero);

// Quantizes x [M, K] to uint8 on one fixed grid (static quantization).
void quantize_fixed_u8_ref(const float* x, int64_t count, float scale, int32_t zero, uint8_t* xq);

// The same two on `isa` (the reference when it has none) and on the active ISA, split across
// the compute threads; the codes, scales and zero points equal the reference's exactly.
void quantize_rows_u8_on(Isa isa, const float* x, int64_t m, int64_t k, uint8_t* xq, float* scale,
                         int32_t* zero);
void quantize_rows_u8(const float* x, int64_t m, int64_t k, uint8_t* xq, float* scale,
                      int32_t* zero);
void quantize_fixed_u8_on(Isa isa, const float* x, int64_t count, float scale, int32_t zero,
                          uint8_t* xq);
void quantize_fixed_u8(const float* x, int64_t count, float scale, int32_t zero, uint8_t* xq);

// Σ_k wq[n,k] for each row of wq [N, K].
void weight_row_sums_ref(const int8_t* wq, int64_t n, int64_t k, int32_t* sums);

// The quantized activations and their grids: sx/zx per row of xq (x_per_row) or one value.
struct U8Activations {
  const uint8_t* xq = nullptr;
  const float* scale = nullptr;
  const int32_t* zero = nullptr;
  bool per_row = true;
  int64_t m = 0;
};

// The int8 weights with their per-channel scales (f32) and row sums; `packed`, when given, the
// same codes in the VNNI layout (used on AVX-512).
struct S8Weights {
  const int8_t* wq = nullptr;
  const float* scale = nullptr;
  const int32_t* row_sums = nullptr;
  int64_t n = 0, k = 0;
  const VnniPackedWeights* packed = nullptr;
};

// Whether gemm_u8s8_f32_on(isa, …) uses packed weights, so a layer packs its weights only where
// they will be used. The outer-product kernel beats the dot-product one from a single row up
// (bench/qz_matmul_bench, int8-dynamic 4096×4096, M = 1: 0.246 against 0.323 ms on one thread
// with the weights in cache, 0.852 against 1.02 ms streamed from memory).
bool wants_packed_s8(Isa isa);

// y [M, N] as above, scalar.
void gemm_u8s8_f32_ref(const U8Activations& x, const S8Weights& w, const Epilogue& e, float* y);

// The fast kernel of `isa` (which the CPU must support), threaded over N.
void gemm_u8s8_f32_on(Isa isa, const U8Activations& x, const S8Weights& w, const Epilogue& e,
                      float* y);

// The fast kernel of the active ISA.
void gemm_u8s8_f32(const U8Activations& x, const S8Weights& w, const Epilogue& e, float* y);

}  // namespace qz::kernels
