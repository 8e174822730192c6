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

struct MatmulIsaKernels {
  // y[n] = Σ_k xp[k]·W[n, k] for n in [n0, n1): one activation row, no epilogue.
  void (*gemv)(const float* xp, const PackedWeightView& w, int64_t n0, int64_t n1, const float* lut,
               float* y);
  // y[i, n] (ld N) for m rows and n in [n0, n1); panel: kPanelRows × kPanelCols floats.
  void (*gemm)(const float* xp, int64_t m, const PackedWeightView& w, int64_t n0, int64_t n1,
               const float* lut, float* y, float* panel);
};

// Call only when isa_supported() says the CPU has the instructions.
const MatmulIsaKernels* f32_wq_f32_matmul__avx2();
const MatmulIsaKernels* f32_wq_f32_matmul__avx512();

}  // namespace qz::kernels
