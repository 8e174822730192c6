#include "core/blas_runtime.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

#include "core/cpu_features.h"

namespace qz {
namespace {

constexpr const char* kReexecMarker = "QZ_BLAS_REEXECUTED";

template <typename Fn>
Fn blas_symbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

}  // namespace

std::string preferred_blas_core() {
  const CpuFeatures& f = cpu_features();
  if (f.avx512f && f.avx512bw && f.avx512vl && f.avx512dq) return "SkylakeX";
  if (f.avx2 && f.fma) return "Haswell";
  return "";
}

void ensure_runtime_environment(char** argv) {
  if (std::getenv(kReexecMarker) != nullptr) return;
  bool changed = false;
  const std::string core = preferred_blas_core();
  if (std::getenv("OPENBLAS_CORETYPE") == nullptr && !core.empty()) {
    setenv("OPENBLAS_CORETYPE", core.c_str(), 1);
    changed = true;
  }
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    changed = true;
  }
  if (!changed) return;
  setenv(kReexecMarker, "1", 1);
  execv("/proc/self/exe", argv);
  // Only reached when exec failed: carry on at the slower settings rather than fail.
  std::fprintf(stderr,
               "warning: could not re-execute with the BLAS/OpenMP settings; FP32 may be slow\n");
}

std::string blas_core_name() {
  using Fn = char* (*)();
  auto fn = blas_symbol<Fn>("openblas_get_corename");
  return fn ? std::string(fn()) : std::string();
}

std::string blas_config() {
  using Fn = char* (*)();
  auto fn = blas_symbol<Fn>("openblas_get_config");
  return fn ? std::string(fn()) : std::string();
}

bool blas_core_is_vectorized(const std::string& core) {
  std::string lower = core;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  constexpr std::array<const char*, 7> kAvx2Cores = {
      "haswell", "skylakex", "cooperlake", "sapphirerapids", "zen", "excavator", "icelake"};
  return std::any_of(kAvx2Cores.begin(), kAvx2Cores.end(),
                     [&](const char* c) { return lower.find(c) != std::string::npos; });
}

void set_blas_threads(int n) {
  using Fn = void (*)(int);
  if (auto fn = blas_symbol<Fn>("openblas_set_num_threads")) fn(n);
}

}  // namespace qz
