#include "kernels/conv/conv_rows.h"

#include <algorithm>

#include "core/thread_pool.h"

namespace qz::kernels {
namespace {

// Below this many copied values per chunk, waking a thread costs more than the copy.
constexpr int64_t kMinChunkValues = 16384;

int64_t grain_for(int64_t values_per_item) {
  return std::max<int64_t>(1, kMinChunkValues / std::max<int64_t>(1, values_per_item));
}

// Rows [r0, r1) of the unrolled input. K is the kernel size when it is a compile-time constant
// (1, 3, 5: the inner copies unroll), 0 for any other, read from the shape.
template <int K>
void unroll_rows(const float* x, const ConvShape& s, int64_t r0, int64_t r1, float* rows) {
  const int64_t k = K > 0 ? K : s.kernel;
  const int64_t ow_count = s.out_width(), positions = s.positions();
  const int64_t plane = s.height * s.width;
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t n = r / positions, oh = (r % positions) / ow_count, ow = r % ow_count;
    const int64_t ih0 = oh * s.stride - s.padding, iw0 = ow * s.stride - s.padding;
    const bool inside = iw0 >= 0 && iw0 + k <= s.width;  // no column of this row is padding
    const float* image = x + n * s.channels * plane;
    float* dst = rows + r * s.row_length();
    for (int64_t c = 0; c < s.channels; ++c, image += plane) {
      for (int64_t kh = 0; kh < k; ++kh, dst += k) {
        const int64_t ih = ih0 + kh;
        if (ih < 0 || ih >= s.height) {
          for (int64_t kw = 0; kw < k; ++kw) dst[kw] = 0.0f;
          continue;
        }
        const float* line = image + ih * s.width;
        if (inside) {
          for (int64_t kw = 0; kw < k; ++kw) dst[kw] = line[iw0 + kw];
          continue;
        }
        for (int64_t kw = 0; kw < k; ++kw) {
          const int64_t iw = iw0 + kw;
          dst[kw] = iw >= 0 && iw < s.width ? line[iw] : 0.0f;
        }
      }
    }
  }
}

}  // namespace

void im2col_rows(const float* x, const ConvShape& s, float* rows) {
  parallel_for(s.batch * s.positions(), grain_for(s.row_length()), [&](int64_t r0, int64_t r1) {
    switch (s.kernel) {
      case 1:
        return unroll_rows<1>(x, s, r0, r1, rows);
      case 3:
        return unroll_rows<3>(x, s, r0, r1, rows);
      case 5:
        return unroll_rows<5>(x, s, r0, r1, rows);
      default:
        return unroll_rows<0>(x, s, r0, r1, rows);
    }
  });
}

void rows_to_planes(const float* rows, int64_t batch, int64_t positions, int64_t channels,
                    float* y) {
  // A transpose per image, in tiles that keep the rows read and the planes written in L1.
  constexpr int64_t kTile = 16;
  parallel_for(batch, grain_for(positions * channels), [&](int64_t n0, int64_t n1) {
    for (int64_t n = n0; n < n1; ++n) {
      const float* src = rows + n * positions * channels;
      float* dst = y + n * positions * channels;
      for (int64_t p0 = 0; p0 < positions; p0 += kTile)
        for (int64_t c0 = 0; c0 < channels; c0 += kTile) {
          const int64_t p1 = std::min(positions, p0 + kTile), c1 = std::min(channels, c0 + kTile);
          for (int64_t c = c0; c < c1; ++c)
            for (int64_t p = p0; p < p1; ++p) dst[c * positions + p] = src[p * channels + c];
        }
    }
  });
}

}  // namespace qz::kernels
