// Integer GEMM for INT8 layers: activations quantized to uint8 (asymmetric: per row for
// dynamic quantization, per tensor for static), weights int8 symmetric per output channel.
//
//   y[m,n] = sx[m]·sw[n]·( Σ_k xq[m,k]·wq[n,k] − zx[m]·Σ_k wq[n,k] ) + bias[n]
//
// u8×s8 products accumulate in int32 (the AVX-512 VNNI vpdpbusd form); the weight row sums
// are precomputed once per layer.
#pragma once

#include <cstdint>

namespace qz::kernels {

// Quantizes each row of x [M, K] to uint8 with its own scale and zero point (min–max, the
// range widened to contain 0). scale[m], zero[m] receive the grids.
void quantize_rows_u8_ref(const float* x, int64_t m, int64_t k, uint8_t* xq, float* scale,
                          int32_t* zero);

// Quantizes x [M, K] to uint8 on one fixed grid (static quantization).
void quantize_fixed_u8_ref(const float* x, int64_t count, float scale, int32_t zero, uint8_t* xq);

// Σ_k wq[n,k] for each row of wq [N, K].
void weight_row_sums_ref(const int8_t* wq, int64_t n, int64_t k, int32_t* sums);

// y [M, N] as above; sx/zx per row of x (stride 1) or one value for all rows (x_per_row=false);
// bias may be null.
void gemm_u8s8_f32_ref(const uint8_t* xq, const float* sx, const int32_t* zx, bool x_per_row,
                       const int8_t* wq, const float* sw, const int32_t* w_row_sums,
                       const float* bias, int64_t m, int64_t n, int64_t k, float* y);

}  // namespace qz::kernels
