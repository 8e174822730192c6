// CPU feature bits read once: on x86-64 from CPUID (and XGETBV for OS support of the vector
// state), on AArch64 from the kernel's hardware capabilities (getauxval(AT_HWCAP)). Dispatch
// decisions use these bits only, never CPU model names.
#pragma once

#include <string>
#include <vector>

namespace qz {

struct CpuFeatures {
  bool sse42 = false;
  bool avx = false;
  bool avx2 = false;
  bool fma = false;
  bool f16c = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool avx512dq = false;
  bool avx512_vnni = false;
  bool avx512_bf16 = false;
  bool avx512_fp16 = false;
  bool avx_vnni = false;
  bool neon = false;          // AArch64 Advanced SIMD (asimd)
  bool neon_dotprod = false;  // ARMv8.2 sdot/udot (asimddp)
  bool neon_fp16 = false;     // half-precision arithmetic (asimdhp)
  std::string brand;          // for display only

  // Names of the features that are present, in a fixed order.
  std::vector<std::string> present() const;
};

// The host's features, probed on first call.
const CpuFeatures& cpu_features();

}  // namespace qz
