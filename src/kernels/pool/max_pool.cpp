#include "kernels/pool/max_pool.h"

#include <algorithm>
#include <cmath>

#include "core/thread_pool.h"

namespace qz::kernels {
namespace {

// max that keeps a NaN from either side, as torch's pooling does.
inline float nan_max(float a, float b) {
  return (a > b || std::isnan(a)) ? a : b;
}

void pool_planes(const float* x, int64_t p0, int64_t p1, int64_t h, int64_t w, float* y) {
  const int64_t oh = h / 2, ow = w / 2;
  for (int64_t p = p0; p < p1; ++p) {
    const float* plane = x + p * h * w;
    float* out = y + p * oh * ow;
    for (int64_t i = 0; i < oh; ++i) {
      const float* top = plane + 2 * i * w;
      const float* bottom = top + w;
      for (int64_t j = 0; j < ow; ++j)
        out[i * ow + j] =
            nan_max(nan_max(top[2 * j], top[2 * j + 1]), nan_max(bottom[2 * j], bottom[2 * j + 1]));
    }
  }
}

}  // namespace

void max_pool2x2(const float* x, int64_t planes, int64_t h, int64_t w, float* y) {
  // Below ~16k outputs per chunk, waking a thread costs more than the pooling.
  const int64_t outputs_per_plane = (h / 2) * (w / 2);
  const int64_t grain =
      outputs_per_plane > 0 ? std::max<int64_t>(1, 16384 / outputs_per_plane) : planes;
  parallel_for(planes, grain, [&](int64_t p0, int64_t p1) { pool_planes(x, p0, p1, h, w, y); });
}

}  // namespace qz::kernels
