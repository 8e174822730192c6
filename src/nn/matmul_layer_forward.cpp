#include "nn/matmul_layer_forward.h"

#include "core/error.h"
#include "kernels/conv/conv_rows.h"

namespace qz::nn {
namespace {

kernels::ConvShape conv_shape(const CompressibleLayer& conv, const torch::Tensor& x) {
  const ConvGeometry g = conv.geometry();
  return {x.size(0), x.size(1), x.size(2), x.size(3), g.kernel, g.stride, g.padding};
}

}  // namespace

torch::Tensor im2col_rows(const CompressibleLayer& conv, const torch::Tensor& x) {
  QZ_CHECK(x.dim() == 4 && x.size(1) == conv.in_features(),
           "[conv] expected an input [N, {}, H, W], got [{}]", conv.in_features(),
           fmt::join(x.sizes(), ", "));
  const torch::Tensor input = x.contiguous().to(torch::kFloat32);
  const kernels::ConvShape s = conv_shape(conv, input);
  auto rows = torch::empty({s.batch * s.positions(), s.row_length()});
  kernels::im2col_rows(input.data_ptr<float>(), s, rows.data_ptr<float>());
  return rows;
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
  const kernels::ConvShape s = conv_shape(layer, x);
  const torch::Tensor rows = product(im2col_rows(layer, x)).contiguous();
  auto y = torch::empty({s.batch, out, s.out_height(), s.out_width()});
  kernels::rows_to_planes(rows.data_ptr<float>(), s.batch, s.positions(), out, y.data_ptr<float>());
  return y;
}

}  // namespace qz::nn
