#include "core/memory_bandwidth.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace qz {

double measure_read_bandwidth_gbs(size_t bytes, int passes) {
  const size_t n = bytes / sizeof(uint64_t);
  std::unique_ptr<uint64_t[]> buffer(new uint64_t[n]);
  for (size_t i = 0; i < n; ++i) buffer[i] = i;  // fault every page in before timing
  std::vector<double> rates;
  volatile uint64_t sink = 0;
  for (int p = 0; p < passes; ++p) {
    const auto start = std::chrono::steady_clock::now();
    // Four independent accumulators so the loop is bound by loads, not by an add chain.
    uint64_t a = 0, b = 0, c = 0, d = 0;
    for (size_t i = 0; i + 4 <= n; i += 4) {
      a += buffer[i];
      b += buffer[i + 1];
      c += buffer[i + 2];
      d += buffer[i + 3];
    }
    sink = sink + a + b + c + d;
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rates.push_back(static_cast<double>(n * sizeof(uint64_t)) / s / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

}  // namespace qz
