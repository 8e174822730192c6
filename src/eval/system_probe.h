// What `quantize doctor` reports: the CPU features dispatch sees, the BLAS and the kernel it
// runs, threads, and measured FP32 GEMM and memory read rates.
#pragma once

#include <nlohmann/json.hpp>

namespace qz::eval {

struct SystemReport {
  nlohmann::json json;  // every figure, for --json
  bool blas_full_speed = false;
};

// Probes the machine; `measure` runs the GEMM and bandwidth measurements (a few seconds).
SystemReport probe_system(bool measure);

// Median GFLOP/s of an n×n×n FP32 matrix product through LibTorch (which calls the BLAS).
double measure_gemm_gflops(int64_t n = 1024, int reps = 7);

}  // namespace qz::eval
