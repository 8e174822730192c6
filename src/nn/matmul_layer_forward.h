// The forward every matmul-backed compressed layer shares: a linear layer multiplies the rows
// of its input; a conv is im2col, then the same product over every output position.
#pragma once

#include <functional>

#include "nn/compressible_layer.h"

namespace qz::nn {

// [rows, K] → [rows, out] (bias and activation included).
using RowsProduct = std::function<torch::Tensor(const torch::Tensor& rows)>;

// A conv's input as the rows its product multiplies: im2col, [N·H'·W', in·k·k].
torch::Tensor im2col_rows(const CompressibleLayer& conv, const torch::Tensor& x);

// Applies `product` to x as `layer` (kind, geometry, features) would see it.
torch::Tensor forward_through_rows(const CompressibleLayer& layer, const torch::Tensor& x,
                                   const RowsProduct& product);

}  // namespace qz::nn
