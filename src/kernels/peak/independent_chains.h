// The peak loop written once (internal to kernels/peak/): 12 independent accumulators, each
// stepped once per iteration, hide every instruction's latency, so the loop runs at the
// instruction's issue rate. The empty asm keeps the accumulators live and stops the compiler
// from folding the constant operands. Include only from an ISA's own file; the template has
// internal linkage (see matmul/generic_matmul.h).
#pragma once

namespace qz::kernels {
namespace {

constexpr int kChains = 12;

// The asm constraint of a vector register: "v" on x86 (any SIMD register), "w" on AArch64.
#if defined(__aarch64__)
#define QZ_VREG "+w"
#else
#define QZ_VREG "+v"
#endif

// Runs `iterations` × kChains applications of `step` (V → V) on independent chains. Twelve
// named variables, not an array: GCC keeps an array that an asm operand names in memory.
template <class V, class Step>
void run_independent_chains(long iterations, V start, Step step) {
  V a0 = start, a1 = start, a2 = start, a3 = start, a4 = start, a5 = start, a6 = start, a7 = start,
    a8 = start, a9 = start, a10 = start, a11 = start;
  for (long i = 0; i < iterations; ++i) {
    a0 = step(a0), a1 = step(a1), a2 = step(a2), a3 = step(a3), a4 = step(a4), a5 = step(a5);
    a6 = step(a6), a7 = step(a7), a8 = step(a8), a9 = step(a9), a10 = step(a10), a11 = step(a11);
    __asm__ volatile(""
                     : QZ_VREG(a0), QZ_VREG(a1), QZ_VREG(a2), QZ_VREG(a3), QZ_VREG(a4), QZ_VREG(a5),
                       QZ_VREG(a6), QZ_VREG(a7), QZ_VREG(a8), QZ_VREG(a9), QZ_VREG(a10),
                       QZ_VREG(a11));
  }
}

}  // namespace
}  // namespace qz::kernels
