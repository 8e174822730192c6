// The arithmetic ceiling of one core, measured: int8 multiply-adds (vpdpbusd) and FP32 FMAs
// retired per second with every dependency hidden (12 independent accumulators, no memory
// traffic). A kernel's GOP/s over these is its share of the machine, and a speed target that
// would need more than the peak cannot be met by any code on this CPU (bench/ratios.py says
// so where it applies).
#pragma once

#include "kernels/isa.h"

namespace qz::kernels {

// Operations per second counting a multiply-add as 2; 0 where `isa` has no such instruction.
struct ComputePeak {
  double int8_gops = 0;    // u8 × s8 → int32 (AVX-512 VNNI vpdpbusd; AVX2 vpmaddubsw + vpmaddwd;
                           // NEON vmlal_s16)
  double fp32_gflops = 0;  // FP32 FMA (the widest vector the ISA has)
};

// One thread, median of three runs of about 30 ms each.
ComputePeak measure_compute_peak(Isa isa);
ComputePeak measure_compute_peak();

// The ISA files' loops: `iterations` × kChains (12) instructions (independent_chains.h).
void int8_dot_loop__avx512vnni(long iterations);
void int8_dot_loop__avx2(long iterations);
void fp32_fma_loop__avx512(long iterations);
void fp32_fma_loop__avx2(long iterations);
void int8_dot_loop__neon(long iterations);
void fp32_fma_loop__neon(long iterations);

}  // namespace qz::kernels
