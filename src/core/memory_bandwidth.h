// Single-thread memory read bandwidth, the limit of batch-1 (matrix-vector) inference.
#pragma once

#include <cstddef>

namespace qz {

// Reads a `bytes`-sized buffer (much larger than the caches) `passes` times and returns the
// median read rate in GB/s (1e9 bytes per second).
double measure_read_bandwidth_gbs(size_t bytes = size_t{512} << 20, int passes = 5);

}  // namespace qz
