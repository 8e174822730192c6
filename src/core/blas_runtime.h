// OpenBLAS at its proper kernel, and OpenMP threads that do not fight it. Debian's OpenBLAS
// (DYNAMIC_ARCH) detects these VMs as "Prescott" and runs a generic kernel ~10x slower;
// OPENBLAS_CORETYPE fixes it. LibTorch's OpenMP workers spin-wait by default and, next to
// OpenBLAS's own pthreads, halve training speed on 2 cores; OMP_WAIT_POLICY=PASSIVE fixes that
// (measured: transformer training step 0.28 s → 0.12 s). Both variables are read when the
// libraries load, before main(), so the process re-executes itself once with them set. A value
// the user set is kept. The BLAS core is chosen from CPUID feature bits.
#pragma once

#include <string>

namespace qz {

// The OPENBLAS_CORETYPE this CPU should run ("SkylakeX", "Haswell"), or "" when none helps.
std::string preferred_blas_core();

// Call first thing in main(): sets OPENBLAS_CORETYPE (when a better core exists) and
// OMP_WAIT_POLICY=PASSIVE where unset, and re-executes /proc/self/exe once with the same
// arguments. Returns normally when nothing needed setting or after the re-execution.
void ensure_runtime_environment(char** argv);

// The core OpenBLAS is running (openblas_get_corename), or "" when OpenBLAS is not loaded.
std::string blas_core_name();

// OpenBLAS's build description (openblas_get_config), or "".
std::string blas_config();

// True when the named OpenBLAS core has AVX2-class (or wider) kernels.
bool blas_core_is_vectorized(const std::string& core);

// Sets OpenBLAS's thread count when it is loaded.
void set_blas_threads(int n);

}  // namespace qz
