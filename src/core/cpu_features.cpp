#include "core/cpu_features.h"

#if defined(__x86_64__)
#include <cpuid.h>
#elif defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

#include <cstdint>
#include <cstring>

namespace qz {
namespace {

#if defined(__x86_64__)

uint64_t read_xcr0() {
  uint32_t eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}

CpuFeatures probe() {
  CpuFeatures f;
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool osxsave = c & (1u << 27);
  f.sse42 = c & (1u << 20);
  const bool cpu_avx = c & (1u << 28);
  const bool cpu_fma = c & (1u << 12);
  const bool cpu_f16c = c & (1u << 29);

  // The OS must save the YMM (bits 1,2) and ZMM/opmask (bits 5,6,7) state for us to use them.
  const uint64_t xcr0 = osxsave ? read_xcr0() : 0;
  const bool ymm_ok = (xcr0 & 0x6) == 0x6;
  const bool zmm_ok = ymm_ok && (xcr0 & 0xE0) == 0xE0;

  f.avx = cpu_avx && ymm_ok;
  f.fma = cpu_fma && f.avx;
  f.f16c = cpu_f16c && f.avx;

  unsigned max_leaf = __get_cpuid_max(0, nullptr);
  if (max_leaf >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    f.avx2 = f.avx && (b & (1u << 5));
    f.avx512f = zmm_ok && (b & (1u << 16));
    f.avx512dq = f.avx512f && (b & (1u << 17));
    f.avx512bw = f.avx512f && (b & (1u << 30));
    f.avx512vl = f.avx512f && (b & (1u << 31));
    f.avx512_vnni = f.avx512f && (c & (1u << 11));
    f.avx512_fp16 = f.avx512f && (d & (1u << 23));
    unsigned a1 = 0, b1 = 0, c1 = 0, d1 = 0;
    __cpuid_count(7, 1, a1, b1, c1, d1);
    f.avx_vnni = f.avx2 && (a1 & (1u << 4));
    f.avx512_bf16 = f.avx512f && (a1 & (1u << 5));
  }

  if (static_cast<unsigned>(__get_cpuid_max(0x80000000, nullptr)) >= 0x80000004u) {
    char brand[49] = {};
    for (unsigned i = 0; i < 3; ++i) {
      unsigned r[4];
      __get_cpuid(0x80000002 + i, &r[0], &r[1], &r[2], &r[3]);
      std::memcpy(brand + 16 * i, r, 16);
    }
    f.brand = brand;
    while (!f.brand.empty() && f.brand.front() == ' ') f.brand.erase(f.brand.begin());
  }
  return f;
}

#elif defined(__aarch64__)

CpuFeatures probe() {
  CpuFeatures f;
  const unsigned long caps = getauxval(AT_HWCAP);
  f.neon = caps & HWCAP_ASIMD;
  f.neon_dotprod = f.neon && (caps & HWCAP_ASIMDDP);
  f.neon_fp16 = f.neon && (caps & HWCAP_ASIMDHP);
  f.brand = "AArch64";
  return f;
}

#else

CpuFeatures probe() {
  return {};
}

#endif

}  // namespace

std::vector<std::string> CpuFeatures::present() const {
  std::vector<std::string> out;
  const std::pair<bool, const char*> all[] = {{sse42, "sse4.2"},
                                              {avx, "avx"},
                                              {avx2, "avx2"},
                                              {fma, "fma"},
                                              {f16c, "f16c"},
                                              {avx512f, "avx512f"},
                                              {avx512bw, "avx512bw"},
                                              {avx512vl, "avx512vl"},
                                              {avx512dq, "avx512dq"},
                                              {avx512_vnni, "avx512_vnni"},
                                              {avx512_bf16, "avx512_bf16"},
                                              {avx512_fp16, "avx512_fp16"},
                                              {avx_vnni, "avx_vnni"},
                                              {neon, "neon"},
                                              {neon_dotprod, "neon_dotprod"},
                                              {neon_fp16, "neon_fp16"}};
  for (const auto& [on, name] : all)
    if (on) out.emplace_back(name);
  return out;
}

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = probe();
  return features;
}

}  // namespace qz
