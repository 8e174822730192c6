// Instruction-set levels of the kernels and the one place that chooses among them.
//
//   ref     scalar C++, the definition of every result
//   avx2    AVX2 + FMA + F16C
//   avx512  AVX-512 F/BW/VL/DQ, with VNNI (vpdpbusd) for the integer GEMM
//
// The level is chosen once, from CPUID feature bits, on first use; QZ_ISA=ref|avx2|avx512
// lowers it (a level the CPU lacks is refused with a clear error). Each ISA's code lives in its
// own source files compiled with that ISA's flags only, so the binary runs on any x86-64 CPU.
#pragma once

#include <string>
#include <vector>

namespace qz::kernels {

enum class Isa { Ref = 0, Avx2 = 1, Avx512 = 2 };

std::string isa_name(Isa isa);

// Whether this CPU can run `isa`'s kernels.
bool isa_supported(Isa isa);

// Every level this CPU supports, from ref upwards.
std::vector<Isa> supported_isas();

// The level the dispatched kernels use: the best supported one, or QZ_ISA's.
Isa active_isa();

}  // namespace qz::kernels
