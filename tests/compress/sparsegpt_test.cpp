// SparseGPT: masks at the asked sparsity and N:M pattern, pruned weights exactly zero, lower
// output error than magnitude pruning on correlated inputs, plain magnitude on an identity
// Hessian, and the recipe step end to end on a model.
#include <gtest/gtest.h>

#include "compress/second_order/gptq_pass.h"
#include "compress/second_order/hessian.h"
#include "compress/second_order/sparsegpt.h"
#include "compress/second_order/sparsegpt_pass.h"
#include "core/error.h"
#include "second_order_inputs.h"
#include "test_models.h"

namespace qz::compress {
namespace {

torch::Tensor correlated(int64_t rows, int64_t k, uint64_t seed) {
  return testing::correlated_inputs(rows, k, seed, 3, 6.0);
}

using testing::hessian_of;

TEST(SparseGpt, UnstructuredMaskBeatsMagnitude) {
  const auto x = correlated(1024, 192, 1);
  const auto w = torch::randn({48, 192});
  const auto h = hessian_of(x);
  for (double sparsity : {0.5, 0.8}) {
    const SparseGptResult r = sparsegpt_prune(w, h, {sparsity, "unstructured", 128, 0.01});
    EXPECT_NEAR(1.0 - r.keep.to(torch::kFloat64).mean().item<double>(), sparsity, 0.01);
    EXPECT_EQ(r.weight.masked_select(r.keep.logical_not()).abs().max().item<float>(), 0.0f);
    MaskOptions mo;
    mo.sparsity = sparsity;
    const auto magnitude = select_masks({{"w", w.abs()}}, mo).at("w");
    const double ours = hessian_output_mse(r.weight - w, h);
    const double plain = hessian_output_mse(w * magnitude - w, h);
    EXPECT_LT(ours, 0.7 * plain) << sparsity;
  }
}

TEST(SparseGpt, NmPatternHoldsInEveryWindow) {
  const auto x = correlated(512, 128, 2);
  const auto w = torch::randn({16, 128});
  for (const char* pattern : {"2:4", "4:8"}) {
    const SparseGptResult r = sparsegpt_prune(w, hessian_of(x), {0, pattern, 128, 0.01});
    const int64_t m = pattern[2] - '0', n = pattern[0] - '0';
    const auto per_window = r.keep.view({16, 128 / m, m}).sum(-1);
    EXPECT_TRUE((per_window == n).all().item<bool>()) << pattern;
  }
  EXPECT_THROW(sparsegpt_prune(w, hessian_of(x), {0, "2:3", 128, 0.01}), InputError);
}

TEST(SparseGpt, IdentityHessianIsBlockMagnitude) {
  torch::manual_seed(3);
  const auto w = torch::randn({8, 64});
  const SparseGptResult r = sparsegpt_prune(w, torch::eye(64), {0.5, "unstructured", 64, 0.01});
  // No correlation, no update: the kept weights are the original ones, the largest half.
  EXPECT_TRUE(torch::allclose(r.weight, w * r.keep, 1e-6, 1e-6));
  const auto kept = w.abs().masked_select(r.keep), dropped = w.abs().masked_select(~r.keep);
  EXPECT_GE(kept.min().item<float>(), dropped.max().item<float>());
}

TEST(SparseGpt, ModelPassPrunesInPlace) {
  auto model = testing::test_model("transformer");
  const auto x = testing::test_inputs("transformer", 16);
  std::vector<SparseGptLayerReport> reports;
  const LayerMasks masks = sparsegpt_model(*model, {0.5, "2:4", 128, 0.01}, x, {"head"}, &reports);
  EXPECT_EQ(masks.size(), model->layers().size() - 1);
  for (const auto& r : reports) {
    EXPECT_NEAR(r.sparsity, 0.5, 1e-9) << r.layer;
    EXPECT_LT(r.output_mse, r.magnitude_output_mse) << r.layer;
    const auto w = model->find_layer(r.layer)->get()->dense_weight();
    EXPECT_EQ(
        w.reshape_as(masks.at(r.layer)).masked_select(~masks.at(r.layer)).abs().max().item<float>(),
        0.0f);
  }
}

}  // namespace
}  // namespace qz::compress
