// Instruction-set levels of the kernels and the one place that chooses among them.
//
//   ref     scalar C++, the definition of every result
//   avx2    AVX2 + FMA + F16C
//   avx512  AVX-512 F/BW/VL/DQ, with VNNI (vpdpbusd) for the integer GEMM
//   neon    AArch64 Advanced SIMD; the integer GEMM uses sdot where the CPU has the ARMv8.2
//           dot-product extension
//
// The level is chosen once, from the CPU's feature bits, on first use; QZ_ISA=ref|avx2|avx512
// (x86-64) or ref|neon (AArch64) lowers it (a level the CPU lacks is refused with a clear
// error). Each ISA's code lives in its own source files compiled with that ISA's flags only
// (cmake/kernel_sources.cmake), so the binary runs on any CPU of its architecture.
#pragma once

#include <string>
#include <vector>

namespace qz::kernels {

enum class Isa { Ref = 0, Avx2 = 1, Avx512 = 2, Neon = 3 };

// The levels this build's architecture has, weakest first (the order supported_isas() keeps).
#if defined(__x86_64__)
inline constexpr Isa kArchIsas[] = {Isa::Ref, Isa::Avx2, Isa::Avx512};
#elif defined(__aarch64__)
inline constexpr Isa kArchIsas[] = {Isa::Ref, Isa::Neon};
#else
inline constexpr Isa kArchIsas[] = {Isa::Ref};
#endif

std::string isa_name(Isa isa);

// Whether this CPU can run `isa`'s kernels.
bool isa_supported(Isa isa);

// Every level this CPU supports, from ref upwards.
std::vector<Isa> supported_isas();

// The level the dispatched kernels use: the best supported one, or QZ_ISA's.
Isa active_isa();

}  // namespace qz::kernels
