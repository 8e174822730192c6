// Operator fusion: BatchNorm folded into the layer before it, and activations applied in each
// layer's own epilogue (our kernels and LibTorch's alike).
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "io/model_config.h"
#include "nn/cnn.h"
#include "nn/fold_batch_norm.h"
#include "nn/make_model.h"
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

}  // namespace
}  // namespace qz::nn
