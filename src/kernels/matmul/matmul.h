// y = act(x·Wᵀ + b) for FP32 activations x [M, K] and a stored weight matrix W [N, K] in any
// format of kernels/weight_format.h — the weight-only compressed layers' compute.
//
// matmul_f32 runs the active ISA's kernel (kernels/isa.h) split across output features on the
// compute pool (core/thread_pool.h); matmul_f32_ref is the scalar definition of the result.
// Tolerance of the fast kernels against the reference, per output: |y − y_ref| ≤ 1e-5·Σ_k
// |x_k·w_k| + 1e-6 (only the order of the FP32 sums differs; every format decodes exactly), with
// one documented exception: the E4M3 NaN codes 0x7F/0xFF decode as ±480 in the fast kernels.
// Grouped formats take the fast path when group % 32 == 0; other groups run the reference.
#pragma once

#include <cstdint>

#include "kernels/epilogue.h"
#include "kernels/isa.h"
#include "kernels/weight_format.h"

namespace qz::kernels {

// Whether the ISA kernels take `w` (grouped formats need group % 32 == 0: no 32-column block
// straddles two groups); otherwise every ISA runs the reference.
bool has_fast_matmul(const PackedWeightView& w);

// The reference: decode each weight, accumulate in double, apply the epilogue.
void matmul_f32_ref(const float* x, int64_t m, const PackedWeightView& w, const Epilogue& e,
                    float* y);

// The fast kernel of `isa` (which the CPU must support), threaded.
void matmul_f32_on(Isa isa, const float* x, int64_t m, const PackedWeightView& w, const Epilogue& e,
                   float* y);

// The fast kernel of the active ISA.
void matmul_f32(const float* x, int64_t m, const PackedWeightView& w, const Epilogue& e, float* y);

}  // namespace qz::kernels
