// Integer GEMM for int4 layers with int8 activations (W4A8, `int4-dynamic`): activations
// quantized per row to uint8 at run time (kernels/gemm_u8s8's quantize_rows_u8), weights the
// int4 group codes of the file (two per byte, low nibble first; zero point 8 when symmetric,
// one uint8 per group otherwise; one FP16 scale per group).
//
//   y[m,n] = act( sx[m] · Σ_g s[n,g] · Σ_{c in g} (q[n,c] − z[n,g])·(xq[m,c] − zx[m]) + b[n] )
//
// Expanded, Σ_g s·Σ(q − z)(xq − zx) = Σ_g s·Σ q·xq − zx·Σ_g s·(Σ_g q − z·len_g) − Σ_g s·z·Σ_g xq:
// the first by u8 × s8 dot products (vpdpbusd on AVX-512 VNNI; codes 0..15 are valid s8), the
// second from a per-row offset computed once per layer (Q4Weights::row_offsets), the third
// from the activations' per-group sums, once per call. The AVX-512 kernel adds the
// scaled group sums in another order than the reference, so results agree to float rounding
// (tolerance 1e-5 · Σ_g |s·sx|·Σ|(q − z)(xq − zx)|), not bit for bit. It reads 64 weight bytes
// (128 columns) per load, low nibbles meeting the even columns and high nibbles the odd ones of
// activations permuted to match once per call; groups must be 32, 64 or a multiple of 128 (any
// other group runs the reference). AVX2 runs the same blocks through vpmaddubsw + vpmaddwd,
// exact for 4-bit codes (avx2.cpp says why).
#pragma once

#include <cstdint>

#include "kernels/epilogue.h"
#include "kernels/gemm_u8s8/gemm_u8s8.h"
#include "kernels/isa.h"

namespace qz::kernels {

// The int4 weights: packed [n, ceil(k/2)], scales FP16 bits [n, groups], zeros u8 [n, groups]
// (null: symmetric, zero point 8), row_offsets [n] = Σ_g s·(Σ_g q − z·len_g) (q4_row_offsets;
// the fast kernel's, the reference does not read it).
struct Q4Weights {
  const uint8_t* packed = nullptr;
  const uint16_t* scales = nullptr;
  const uint8_t* zeros = nullptr;
  const float* row_offsets = nullptr;
  int64_t n = 0, k = 0, group = 0;
  int64_t groups() const { return (k + group - 1) / group; }
};

// Q4Weights::row_offsets of w (all fields but row_offsets set) into offsets [n].
void q4_row_offsets(const Q4Weights& w, float* offsets);

// y [M, N] as above, scalar: the definition. x.per_row must be true.
void gemm_q4u8_f32_ref(const U8Activations& x, const Q4Weights& w, const Epilogue& e, float* y);

// Whether `isa` has a fast kernel for groups of `group` (else gemm_q4u8_f32_on runs the
// reference).
bool gemm_q4u8_has_fast_kernel(Isa isa, int64_t group);

// The fast kernel of `isa` (the reference where it has none), threaded over N.
void gemm_q4u8_f32_on(Isa isa, const U8Activations& x, const Q4Weights& w, const Epilogue& e,
                      float* y);

// The fast kernel of the active ISA.
void gemm_q4u8_f32(const U8Activations& x, const Q4Weights& w, const Epilogue& e, float* y);

}  // namespace qz::kernels
