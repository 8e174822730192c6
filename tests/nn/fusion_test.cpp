// Operator fusion: BatchNorm folded into the layer before it, and activations applied in each
// layer's own epilogue (our kernels and LibTorch's alike).
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "io/model_config.h"
#include "nn/cnn.h"
#include "nn/dense_layers.h"
#include "nn/fold_batch_norm.h"
#include "nn/make_model.h"
#include "nn/max_pool.h"
#include "nn/model_file.h"
#include "nn/quantized_layer.h"

namespace qz::nn {
namespace {

// Running statistics and affine parameters far from the identity, as training leaves them.
template <typename Norm>
void randomize(Norm& norm) {
  torch::NoGradGuard guard;
  norm.running_mean.uniform_(-1, 1);
  norm.running_var.uniform_(0.2, 3);
  norm.weight.uniform_(0.5, 2);
  norm.bias.uniform_(-1, 1);
}

TEST(FoldBatchNorm, LinearThenNormFoldsWithin1e5) {
  torch::manual_seed(3);
  torch::nn::Linear linear(37, 19);
  torch::nn::BatchNorm1d norm(19);
  randomize(*norm);
  norm->eval();
  const auto x = torch::randn({8, 37});
  const auto expected = norm->forward(linear->forward(x));
  const auto [w, b] = fold_norm_into(linear->weight, linear->bias, *norm);
  EXPECT_LE((torch::linear(x, w, b) - expected).abs().max().item<double>(), 1e-5);
  // No bias before the norm folds as zero bias.
  const auto [w0, b0] = fold_norm_into(linear->weight, torch::Tensor(), *norm);
  const auto no_bias = norm->forward(torch::linear(x, linear->weight));
  EXPECT_LE((torch::linear(x, w0, b0) - no_bias).abs().max().item<double>(), 1e-5);
}

TEST(FoldBatchNorm, CnnFoldsToEqualOutputsAndFewerTensors) {
  torch::manual_seed(4);
  auto config = io::default_config("cnn", {3, 16, 16}, 10, 0);
  config["channels"] = {8, 12, 16};
  auto model = make_model(config, "test");
  for (auto& norm : dynamic_cast<Cnn&>(*model).norms()) randomize(*norm);
  model->eval();
  ASSERT_TRUE(has_foldable_norms(*model));
  const auto folded = fold_batch_norms(*model);
  ASSERT_NE(folded, nullptr);
  EXPECT_FALSE(has_foldable_norms(*folded));
  EXPECT_EQ(folded->config()["batch_norm"], false);
  EXPECT_EQ(fold_batch_norms(*folded), nullptr);
  for (const char* conv : {"conv1", "conv2", "conv3"})
    EXPECT_EQ(folded->find_layer(conv)->get()->fused_activation(), kernels::Activation::Relu);
  for (const auto& p : folded->named_parameters()) EXPECT_EQ(p.key().find("bn"), std::string::npos);

  torch::NoGradGuard guard;
  const auto x = torch::randn({5, 3, 16, 16});
  const auto expected = model->forward(x);
  EXPECT_LE((folded->forward(x) - expected).abs().max().item<double>(), 1e-5);

  // The folded model round-trips through a file (its config rebuilds it without norms).
  const auto path = std::filesystem::temp_directory_path() / "qz_fold_test.safetensors";
  save_model(*folded, path.string(), {}, {});
  const auto loaded = load_model(path.string());
  std::filesystem::remove(path);
  EXPECT_LE((loaded.model->forward(x) - expected).abs().max().item<double>(), 1e-5);
}

TEST(FoldBatchNorm, RefusesACompressedConv) {
  torch::manual_seed(5);
  auto model = make_model(io::default_config("cnn", {1, 16, 16}, 10, 0), "test");
  model->eval();
  const LayerSlot* conv = model->find_layer("conv1");
  conv->replace(QuantizedLayer::quantize(*conv->get(), options_for_method("int8", 0, true)));
  try {
    fold_batch_norms(*model);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("conv1"), std::string::npos);
  }
}

// Every layer form applies its fused activation, and a replacement takes it over.
TEST(EpilogueFusion, ReplacementKeepsTheActivationAndAppliesIt) {
  torch::manual_seed(6);
  auto model = make_model(io::default_config("mlp", {1, 16, 16}, 10, 0), "test");
  model->eval();
  torch::NoGradGuard guard;
  const LayerSlot* fc1 = model->find_layer("fc1");
  ASSERT_EQ(fc1->get()->fused_activation(), kernels::Activation::Relu);
  EXPECT_EQ(model->find_layer("head")->get()->fused_activation(), kernels::Activation::None);
  const auto x = torch::randn({4, 256});
  const auto dense = fc1->get()->forward(x);
  EXPECT_GE(dense.min().item<float>(), 0.0f);
  const auto pre = torch::linear(x, fc1->get()->dense_weight(), fc1->get()->dense_bias());
  EXPECT_TRUE(torch::allclose(dense, torch::relu(pre)));
  for (const char* method : {"int8", "int4", "fp16"}) {
    auto q = QuantizedLayer::quantize(*fc1->get(), options_for_method(method, 64, false));
    const auto raw = q->forward(x);  // no activation until it takes the slot
    EXPECT_LT(raw.min().item<float>(), 0.0f) << method;
    const LayerPtr before = fc1->get();
    fc1->replace(q);
    EXPECT_EQ(q->fused_activation(), kernels::Activation::Relu) << method;
    EXPECT_TRUE(torch::allclose(q->forward(x), torch::relu(raw))) << method;
    fc1->replace(before);
  }
}

// The fused stage's pooling pass equals torch.max_pool2d: odd sizes floor, NaN propagates,
// and enough planes to be split across threads come out the same.
TEST(EpilogueFusion, MaxPoolMatchesTorchOnAwkwardShapes) {
  torch::manual_seed(7);
  torch::NoGradGuard guard;
  for (const auto& shape : std::vector<std::vector<int64_t>>{
           {1, 1, 2, 2}, {2, 3, 7, 5}, {1, 4, 9, 8}, {3, 1, 3, 6}, {64, 32, 16, 16}}) {
    auto x = torch::randn(shape);
    if (x.numel() > 20) {
      x.view(-1)[5] = std::nanf("");
      x.view(-1)[x.numel() - 3] = -std::numeric_limits<float>::infinity();
    }
    const auto ours = max_pool2x2(x);
    const auto theirs = torch::max_pool2d(x, 2);
    ASSERT_EQ(ours.sizes(), theirs.sizes()) << x.sizes();
    EXPECT_TRUE(torch::equal(torch::isnan(ours), torch::isnan(theirs))) << x.sizes();
    EXPECT_TRUE(torch::equal(torch::nan_to_num(ours), torch::nan_to_num(theirs))) << x.sizes();
  }
  EXPECT_THROW(max_pool2x2(torch::randn({1, 1, 1, 6})), c10::Error);  // nothing to pool
  // A non-contiguous input (a channel slice) pools as its contiguous copy would.
  const auto wide = torch::randn({2, 6, 8, 8});
  const auto slice = wide.slice(1, 1, 4);
  EXPECT_TRUE(torch::equal(max_pool2x2(slice), torch::max_pool2d(slice, 2)));
  // With autograd recording it is torch's op, so training gets gradients.
  torch::AutoGradMode grad(true);
  const auto leaf = torch::randn({1, 2, 4, 4}, torch::requires_grad());
  max_pool2x2(leaf).sum().backward();
  EXPECT_EQ(leaf.grad().sum().item<float>(), 8.0f);
}

// Batch-1 inference of a dense linear runs our FP32 kernel with bias and activation fused; it
// matches LibTorch's linear (+activation) for every input shape a model passes it, and training
// still records gradients.
TEST(EpilogueFusion, DenseLinearSingleRowMatchesTorch) {
  torch::manual_seed(8);
  for (const bool bias : {true, false}) {
    DenseLinear layer(301, 37, bias);
    layer.set_fused_activation(kernels::Activation::Relu);
    torch::NoGradGuard guard;
    for (const auto& shape :
         std::vector<std::vector<int64_t>>{{301}, {1, 301}, {1, 1, 301}, {3, 301}}) {
      const auto x = torch::randn(shape);
      auto expected =
          torch::linear(x, layer.dense_weight(), bias ? layer.dense_bias() : torch::Tensor())
              .relu();
      const auto y = layer.forward(x);
      ASSERT_EQ(y.sizes(), expected.sizes());
      EXPECT_LE((y - expected).abs().max().item<double>(), 1e-5) << x.sizes();
    }
  }
  DenseLinear layer(16, 4);
  const auto x = torch::randn({1, 16});
  layer.forward(x).sum().backward();
  EXPECT_TRUE(layer.dense_weight().grad().defined());
  EXPECT_GT(layer.dense_weight().grad().abs().sum().item<float>(), 0.0f);
}

}  // namespace
}  // namespace qz::nn
