// Fake quantization for quantization-aware training: the forward pass sees weights (and, for
// int8 activations, inputs) rounded to the grid the real compressed layer will use; the
// backward pass treats the rounding as the identity inside the grid's range and as zero
// outside it (the clipped straight-through estimator), so training adapts the weights to the
// rounding. Grids follow core/int_grid.h: int8 symmetric per channel (±127), int4 affine or
// symmetric-offset per group, activations asymmetric uint8 per row (int8-dynamic's grid).
#pragma once

#include <torch/torch.h>

namespace qz::compress {

enum class FakeGrid { Int8PerChannel, Int4Affine, Int4Symmetric };

// w [out, K] fake-quantized on `grid` (group: columns per group for int4).
torch::Tensor fake_quantize_weight(const torch::Tensor& w, FakeGrid grid, int64_t group);

// x [rows, K] fake-quantized per row to asymmetric uint8 (min(x, 0) … max(x, 0) over 255 steps).
torch::Tensor fake_quantize_rows_u8(const torch::Tensor& x);

}  // namespace qz::compress
