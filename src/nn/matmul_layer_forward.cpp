#include "nn/matmul_layer_forward.h"

namespace qz::nn {

torch::Tensor im2col_rows(const CompressibleLayer& conv, const torch::Tensor& x) {
  const ConvGeometry g = conv.geometry();
  const auto cols = torch::nn::functional::unfold(
      x, torch::nn::functional::UnfoldFuncOptions(g.kernel).padding(g.padding).stride(g.stride));
  return cols.transpose(1, 2).reshape({-1, conv.in_features() * g.kernel * g.kernel}).contiguous();
}

torch::Tensor forward_through_rows(const CompressibleLayer& layer, const torch::Tensor& x,
                                   const RowsProduct& product) {
  const int64_t in = layer.in_features(), out = layer.out_features();
  if (layer.kind() == LayerKind::Linear) {
    auto sizes = x.sizes().vec();
    const torch::Tensor y = product(x.reshape({-1, in}).contiguous());
    sizes.back() = out;
    return y.view(sizes);
  }
  const ConvGeometry g = layer.geometry();
  const int64_t batch = x.size(0);
  const int64_t h = (x.size(2) + 2 * g.padding - g.kernel) / g.stride + 1;
  const int64_t w = (x.size(3) + 2 * g.padding - g.kernel) / g.stride + 1;
  const torch::Tensor y = product(im2col_rows(layer, x));
  return y.view({batch, h * w, out}).permute({0, 2, 1}).reshape({batch, out, h, w});
}

}  // namespace qz::nn
