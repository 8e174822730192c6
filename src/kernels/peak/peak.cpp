#include "kernels/peak/peak.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace qz::kernels {

namespace {

constexpr long kIterations = 8'000'000;  // × 12 instructions: ~30 ms at 3 GHz

// Median rate of three runs of `loop`, in operations per second / 1e9.
double median_rate(void (*loop)(long), double ops_per_iteration) {
  std::vector<double> rates;
  for (int run = 0; run < 3; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    loop(kIterations);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rates.push_back(ops_per_iteration * kIterations / s / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  return rates[1];
}

}  // namespace

ComputePeak measure_compute_peak(Isa isa) {
  ComputePeak peak;
  // 12 instructions per iteration; a multiply-add counts 2 operations.
#if defined(__x86_64__)
  if (isa == Isa::Avx512) {
    peak.int8_gops = median_rate(&int8_dot_loop__avx512vnni, 12.0 * 64 * 2);
    peak.fp32_gflops = median_rate(&fp32_fma_loop__avx512, 12.0 * 16 * 2);
  } else if (isa == Isa::Avx2) {
    peak.int8_gops = median_rate(&int8_dot_loop__avx2, 12.0 * 32 * 2);
    peak.fp32_gflops = median_rate(&fp32_fma_loop__avx2, 12.0 * 8 * 2);
  }
#elif defined(__aarch64__)
  if (isa == Isa::Neon) {
    peak.int8_gops = median_rate(&int8_dot_loop__neon, 12.0 * 4 * 2);
    peak.fp32_gflops = median_rate(&fp32_fma_loop__neon, 12.0 * 4 * 2);
  }
#endif
  return peak;
}

ComputePeak measure_compute_peak() {
  return measure_compute_peak(active_isa());
}

}  // namespace qz::kernels
