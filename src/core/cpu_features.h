// CPU feature bits read once from CPUID (and XGETBV for OS support of the vector state).
// Dispatch decisions use these bits only, never CPU model names.
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
  std::string brand;  // for display only

  // Names of the features that are present, in a fixed order.
  std::vector<std::string> present() const;
};

// The host's features, probed on first call.
const CpuFeatures& cpu_features();

}  // namespace qz
