#include "eval/system_probe.h"

#include "core/thread_pool.h"
#include "kernels/isa.h"
#include "kernels/peak/peak.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "core/blas_runtime.h"
#include "core/cpu_features.h"
#include "core/memory_bandwidth.h"

namespace qz::eval {

double measure_gemm_gflops(int64_t n, int reps) {
  torch::NoGradGuard guard;
  const auto a = torch::randn({n, n}), b = torch::randn({n, n});
  auto c = torch::mm(a, b);  // warm-up: thread pools, page faults
  std::vector<double> rates;
  for (int r = 0; r < reps; ++r) {
    const auto start = std::chrono::steady_clock::now();
    c = torch::mm(a, b);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rates.push_back(2.0 * n * n * n / s / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

SystemReport probe_system(bool measure) {
  const CpuFeatures& cpu = cpu_features();
  SystemReport report;
  auto& j = report.json;
  j["cpu"] = {{"brand", cpu.brand}, {"features", cpu.present()}};
  const char* forced = std::getenv("OPENBLAS_CORETYPE");
  const std::string core = blas_core_name();
  j["blas"] = {{"library", core.empty() ? "unknown (OpenBLAS not loaded)" : "OpenBLAS"},
               {"core", core},
               {"config", blas_config()},
               {"preferred_core", preferred_blas_core()},
               {"OPENBLAS_CORETYPE", forced ? forced : ""}};
  report.blas_full_speed = !cpu.avx2 || blas_core_is_vectorized(core);
  j["blas"]["full_speed"] = report.blas_full_speed;
  std::vector<std::string> levels;
  for (kernels::Isa isa : kernels::supported_isas()) levels.push_back(kernels::isa_name(isa));
  const char* forced_isa = std::getenv("QZ_ISA");
  j["kernels"] = {{"isa", kernels::isa_name(kernels::active_isa())},
                  {"supported", levels},
                  {"QZ_ISA", forced_isa ? forced_isa : ""}};
  const char* wait = std::getenv("OMP_WAIT_POLICY");
  j["threads"] = {{"torch_intra_op", torch::get_num_threads()},
                  {"kernels", compute_pool().threads()},
                  {"OMP_WAIT_POLICY", wait ? wait : ""}};
  if (measure) {
    const kernels::ComputePeak peak = kernels::measure_compute_peak();
    j["measured"] = {{"fp32_gemm_gflops_1024", measure_gemm_gflops()},
                     {"memory_read_gbs_1thread", measure_read_bandwidth_gbs()},
                     {"int8_peak_gops_1thread", peak.int8_gops},
                     {"fp32_peak_gflops_1thread", peak.fp32_gflops}};
  }
  return report;
}

}  // namespace qz::eval
