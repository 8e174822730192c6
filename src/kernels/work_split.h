// How a GEMM shares its work among the compute threads: by output features normally, by
// activation rows when the outputs are too few to keep every thread busy (a conv's im2col
// product has thousands of rows and a few dozen outputs).
#pragma once

#include <cstdint>

#include "core/thread_pool.h"

namespace qz::kernels {

// Activation rows per chunk when the rows are split.
constexpr int64_t kRowGrain = 16;

// Multiply-adds per parallel chunk of the integer GEMMs, at the least (about a microsecond of
// vpdpbusd): a small layer at batch 1 runs faster on one thread than it takes to hand half of
// it to another (the MLP's int8-dynamic at batch 1: 0.028 ms split, 0.010 ms not).
constexpr int64_t kMinChunkMacs = int64_t{1} << 18;

// True when the n outputs, in chunks of n_grain, leave a thread idle while the m rows would not.
inline bool split_rows(int64_t m, int64_t n, int64_t n_grain) {
  const int64_t threads = compute_pool().threads();
  const int64_t output_chunks = (n + n_grain - 1) / n_grain;
  return output_chunks < threads && m >= threads * kRowGrain;
}

}  // namespace qz::kernels
