// A conv2d as a matrix product: its input unrolled into one row per output position (im2col),
// and the product's rows scattered back to NCHW planes. Every matmul-backed conv layer runs
// through these two (nn/matmul_layer_forward), so they are plain loops with no framework
// dispatch: LibTorch's unfold + transpose + permute copies cost more than a small quantized
// conv's GEMM (measured on the shapes CNN at batch 32).
#pragma once

#include <cstdint>

namespace qz::kernels {

// A square-kernel conv over NCHW input.
struct ConvShape {
  int64_t batch = 1, channels = 1, height = 1, width = 1;
  int64_t kernel = 3, stride = 1, padding = 1;

  int64_t out_height() const { return (height + 2 * padding - kernel) / stride + 1; }
  int64_t out_width() const { return (width + 2 * padding - kernel) / stride + 1; }
  int64_t positions() const { return out_height() * out_width(); }  // per image
  int64_t row_length() const { return channels * kernel * kernel; }
};

// x [batch, channels, height, width] → rows [batch·positions, channels·kernel·kernel]:
// row (n, oh, ow), column (c, kh, kw) holds x[n, c, oh·stride − padding + kh, ow·stride −
// padding + kw], 0 outside the image: torch.nn.functional.unfold's values, transposed. Split
// across the compute threads.
void im2col_rows(const float* x, const ConvShape& s, float* rows);

// rows [batch·positions, channels] → y [batch, channels, positions].
void rows_to_planes(const float* rows, int64_t batch, int64_t positions, int64_t channels,
                    float* y);

}  // namespace qz::kernels
