// The table each ISA's matmul source file fills (internal to kernels/matmul/). Names follow
// <activations>_<weights>_<output>_<op>__<isa> (docs/architecture.md).
#pragma once

#include <cstdint>

#include "kernels/weight_format.h"

namespace qz::kernels {

// The M ≥ 2 panel every ISA decodes into (48 × 512 floats, 96 KiB: L2-resident); the caller
// provides kPanelRows · kPanelCols floats of scratch per thread and splits N in kPanelRows.
constexpr int64_t kPanelRows = 48;
constexpr int64_t kPanelCols = 512;

// Activation rows from which the outer-product GEMM (where an ISA has one) takes over from the
// dot-product tile (bench/qz_matmul_bench, 4096×4096 on one thread: at M = 8 fp16 6.3 against
// 7.6 ms, int8 weight-only 5.7 against 6.5 ms; smaller M not measured).
constexpr int64_t kOuterMinRows = 8;

struct MatmulIsaKernels {
  // y[n] = Σ_k xp[k]·W[n, k] for n in [n0, n1): one activation row, no epilogue.
  void (*gemv)(const float* xp, const PackedWeightView& w, int64_t n0, int64_t n1, const float* lut,
               float* y);
  // y[i, n] (ld N) for m rows and n in [n0, n1); panel: kPanelRows × kPanelCols floats.
  void (*gemm)(const float* xp, int64_t m, const PackedWeightView& w, int64_t n0, int64_t n1,
               const float* lut, float* y, float* panel);
  // The same through a K-major panel and an outer-product tile; null where the ISA has none.
  void (*gemm_outer)(const float* xp, int64_t m, const PackedWeightView& w, int64_t n0, int64_t n1,
                     const float* lut, float* y, float* panel);
};

// The reference's outputs [n0, n1) of every row (ld N), no epilogue: what a level without a
// kernel for `w` runs, split across the compute pool like the kernels (ref.cpp).
void matmul_rows_ref(const float* x, int64_t m, const PackedWeightView& w, int64_t n0, int64_t n1,
                     float* y);

// Call only when isa_supported() says the CPU has the instructions.
const MatmulIsaKernels* f32_wq_f32_matmul__avx2();
const MatmulIsaKernels* f32_wq_f32_matmul__avx512();
const MatmulIsaKernels* f32_wq_f32_matmul__neon();

}  // namespace qz::kernels
