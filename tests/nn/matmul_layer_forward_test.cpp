// The forward shared by matmul-backed conv layers: its im2col equals LibTorch's unfold, and a
// packed conv computes what torch's conv2d computes with the same (decoded) weights, on strides,
// paddings and kernel sizes the shapes CNN does not use.
#include <gtest/gtest.h>

#include "kernels/weight_format.h"
#include "nn/dense_layers.h"
#include "nn/matmul_layer_forward.h"
#include "nn/quantized_layer.h"

namespace qz::nn {
namespace {

TEST(MatmulLayerForward, Im2colRowsEqualTorchsUnfold) {
  torch::manual_seed(5);
  for (const ConvGeometry g : {ConvGeometry{3, 1, 1}, ConvGeometry{3, 2, 0}, ConvGeometry{5, 2, 2},
                               ConvGeometry{1, 1, 0}, ConvGeometry{4, 3, 1}}) {
    DenseConv2d conv(3, 4, g);
    const torch::Tensor x = torch::randn({2, 3, 11, 7});
    const torch::Tensor expected =
        torch::nn::functional::unfold(
            x,
            torch::nn::functional::UnfoldFuncOptions(g.kernel).padding(g.padding).stride(g.stride))
            .transpose(1, 2)
            .reshape({-1, 3 * g.kernel * g.kernel});
    EXPECT_TRUE(torch::equal(im2col_rows(conv, x), expected))
        << "kernel " << g.kernel << " stride " << g.stride << " padding " << g.padding;
  }
}

TEST(MatmulLayerForward, PackedConvEqualsTorchConv2dWithItsWeights) {
  torch::manual_seed(6);
  for (const ConvGeometry g : {ConvGeometry{3, 2, 0}, ConvGeometry{5, 1, 2}}) {
    DenseConv2d conv(5, 6, g);
    QuantizeOptions options;
    options.format = kernels::WeightFormat::F16;
    const auto packed = QuantizedLayer::quantize(conv, options);
    const torch::Tensor x = torch::randn({3, 5, 10, 9});
    const torch::Tensor expected =
        torch::conv2d(x, packed->dense_weight(), packed->dense_bias(), g.stride, g.padding);
    const torch::Tensor got = packed->forward(x);
    ASSERT_EQ(got.sizes(), expected.sizes());
    EXPECT_LE((got - expected).abs().max().item<double>(), 1e-4)
        << "kernel " << g.kernel << " stride " << g.stride;
  }
}

}  // namespace
}  // namespace qz::nn
