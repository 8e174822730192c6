// Channel-scale migration (function preserved), SmoothQuant (smaller activation range, lower
// W8A8 error than plain int8-dynamic on outlier channels) and AWQ (the search's grids match the
// stored ones; lower output error than round to nearest; α recorded per group).
#include <gtest/gtest.h>

#include "compress/awq.h"
#include "compress/channel_scaling.h"
#include "compress/quantize_pass.h"
#include "compress/second_order/gptq.h"
#include "compress/second_order/gptq_pass.h"
#include "compress/smoothquant.h"
#include "core/error.h"
#include "test_models.h"

namespace qz::compress {
namespace {

// A transformer whose residual stream has a few outlier channels, as trained LLMs do.
nn::ModelPtr outlier_transformer() {
  auto model = testing::test_model("transformer");
  torch::NoGradGuard guard;
  for (auto& item : model->named_parameters())
    if (item.key().find("norm") != std::string::npos) item.value().narrow(0, 0, 3).mul_(30.0);
  return model;
}

double mse(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).pow(2).mean().item<double>();
}

TEST(ChannelScaling, PreservesTheFunction) {
  for (const char* arch : {"mlp", "transformer"}) {
    auto model = testing::test_model(arch);
    const auto x = testing::test_inputs(arch, 8);
    const auto before = model->forward(x);
    const auto groups = scalable_groups(*model, {});
    ASSERT_FALSE(groups.empty()) << arch;
    torch::manual_seed(2);
    for (const auto& g : groups) {
      const int64_t k = model->find_layer(g.consumers.front())->get()->in_features();
      apply_channel_scale(*model, g, torch::rand({k}) * 4 + 0.25);
    }
    EXPECT_TRUE(torch::allclose(model->forward(x), before, 1e-4, 1e-4)) << arch;
  }
  // Excluded or non-FP32 consumers take their group out.
  auto model = testing::test_model("transformer");
  const size_t all = scalable_groups(*model, {}).size();
  EXPECT_EQ(scalable_groups(*model, {"blocks.0.o"}).size(), all - 1);
}

TEST(SmoothQuant, ShrinksActivationRangeAndBeatsPlainW8A8) {
  const auto x = testing::test_inputs("transformer", 32);
  auto plain = outlier_transformer();
  const auto reference = plain->forward(x);
  QuantizePlan plan;
  plan.method = "int8-dynamic";
  plan.show_progress = false;
  quantize_model(*plain, plan, x);
  auto smoothed = outlier_transformer();
  const auto reports = smooth_model(*smoothed, 0.5, x, {});
  for (const auto& r : reports) {
    EXPECT_LE(r.act_range_after, r.act_range_before * 1.0001) << r.source;
    EXPECT_GT(r.max_scale, r.min_scale) << r.source;
  }
  EXPECT_TRUE(torch::allclose(smoothed->forward(x), reference, 1e-3, 1e-3));
  quantize_model(*smoothed, plan, x);
  EXPECT_LT(mse(smoothed->forward(x), reference), 0.8 * mse(plain->forward(x), reference));
  EXPECT_THROW(smooth_model(*smoothed, 1.5, x, {}), InputError);
}

TEST(Awq, RoundTripMatchesStoredGridsAndBeatsRtn) {
  torch::manual_seed(4);
  const auto w = torch::randn({12, 200});
  const auto trip = affine_round_trip(w, 3, 64, {});
  const GroupCodes codes = rtn_quantize(w, {3, 64, false, false, 128, 0.01});
  auto stored = torch::empty({12, 200});
  dequantize_groups(codes, GridKind::Affine, {stored.data_ptr<float>(), 2400});
  // Identical up to the stored grids' FP16 scales, which may move a value sitting on a rounding
  // boundary to the next code.
  const auto off = (trip - stored).abs().gt(2e-3f);
  EXPECT_LT(off.to(torch::kFloat32).mean().item<float>(), 0.02f);

  const auto x = testing::test_inputs("transformer", 32);
  for (int bits : {3, 4}) {
    auto rtn = outlier_transformer();
    const auto reference = rtn->forward(x);
    rtn_model(*rtn, {bits, 64, false, false, 128, 0.01}, {});
    auto awq = outlier_transformer();
    const AwqReport r = awq_model(*awq, {bits, 64, 20, true, 2048}, x, {});
    EXPECT_EQ(r.alphas.size(), scalable_groups(*outlier_transformer(), {}).size());
    EXPECT_EQ(r.layers.size(), awq->layers().size());
    EXPECT_EQ(awq->find_layer("head")->get()->scheme()["bits"], bits);
    EXPECT_LT(mse(awq->forward(x), reference), mse(rtn->forward(x), reference)) << bits;
  }
}

}  // namespace
}  // namespace qz::compress
