// GPTQ: the blocked lazy-update walk against the unblocked one, exact RTN on an identity
// Hessian, lower output error than round to nearest on correlated inputs, act-order with static
// groups, codes on their grids, and the sequential model pass (shared Hessians, file round trip).
#include <gtest/gtest.h>

#include <filesystem>

#include "compress/second_order/gptq.h"
#include "compress/second_order/gptq_pass.h"
#include "compress/second_order/hessian.h"
#include "core/error.h"
#include "nn/model_file.h"
#include "nn/quantized_layer.h"
#include "second_order_inputs.h"
#include "test_models.h"

namespace qz::compress {
namespace {

using testing::correlated_inputs;
using testing::hessian_of;

double output_error(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& q) {
  return (x.matmul((w - q).t())).pow(2).mean().item<double>();
}

torch::Tensor dequantized(const GroupCodes& c, GridKind kind) {
  auto out = torch::empty({c.rows, c.cols});
  dequantize_groups(c, kind, {out.data_ptr<float>(), static_cast<size_t>(out.numel())});
  return out;
}

TEST(Hessian, IsTwiceTheMeanOuterProduct) {
  const auto x = torch::randn({100, 6});
  InputHessian h(6);
  h.add(x.narrow(0, 0, 40));
  h.add(x.narrow(0, 40, 60));
  EXPECT_EQ(h.rows_seen(), 100);
  EXPECT_TRUE(torch::allclose(h.matrix(), 2.0 * x.t().matmul(x) / 100.0, 1e-4, 1e-4));
  EXPECT_THROW(InputHessian(3).matrix(), InputError);
}

TEST(Hessian, DampedFactorInvertsAndMarksDeadColumns) {
  auto x = torch::randn({200, 8});
  x.select(1, 3).zero_();
  const auto h = hessian_of(x);
  const InverseFactor f = damped_inverse_factor(h, 0.01);
  EXPECT_TRUE(f.dead[3].item<bool>());
  EXPECT_EQ(f.dead.sum().item<int64_t>(), 1);
  auto damped = h.clone().to(torch::kFloat64);
  damped.diagonal()[3] = 1.0;
  damped.diagonal() += f.damping;
  const auto u = f.upper.to(torch::kFloat64);
  // Uᵀ·U = (H + λI)⁻¹, and U is upper triangular.
  EXPECT_TRUE(
      torch::allclose(u.t().matmul(u).matmul(damped), torch::eye(8, torch::kFloat64), 1e-4, 1e-4));
  EXPECT_EQ(u.tril(-1).abs().max().item<double>(), 0.0);
}

TEST(Gptq, IdentityHessianIsRoundToNearest) {
  torch::manual_seed(3);
  const auto w = torch::randn({16, 96});
  for (bool sym : {false, true}) {
    const GptqOptions o{4, 32, sym, false, 128, 0.01};
    const GptqResult g = gptq_quantize(w, torch::eye(96), o);
    const GroupCodes rtn = rtn_quantize(w, o);
    EXPECT_EQ(g.codes.codes, rtn.codes) << "sym " << sym;
    EXPECT_EQ(g.codes.scales, rtn.scales);
  }
}

TEST(Gptq, BlockedWalkMatchesUnblocked) {
  // Lazy batch updates only reorder arithmetic: blocks of 1, 37 and 128 columns agree.
  const auto x = correlated_inputs(512, 150, 4);
  torch::manual_seed(5);
  const auto w = torch::randn({24, 150});
  const auto h = hessian_of(x);
  for (bool act_order : {false, true}) {
    GptqOptions o{3, 50, false, act_order, 1, 0.01};
    const auto one = gptq_quantize(w, h, o).weight;
    for (int64_t block : {37, 128}) {
      o.block = block;
      const auto other = gptq_quantize(w, h, o).weight;
      // Float reassociation may flip a code sitting on a rounding boundary: allow a handful.
      const double differing =
          (other - one).abs().gt(1e-4).to(torch::kFloat64).mean().item<double>();
      EXPECT_LT(differing, 0.01) << "block " << block << " act_order " << act_order;
    }
  }
}

TEST(Gptq, BeatsRoundToNearestOnCorrelatedInputs) {
  const auto x = correlated_inputs(2048, 256, 6);
  torch::manual_seed(7);
  const auto w = torch::randn({64, 256}) * 0.05;
  const auto h = hessian_of(x);
  for (int bits : {3, 4}) {
    for (bool act_order : {false, true}) {
      for (bool sym : {false, true}) {
        const GptqOptions o{bits, 128, sym, act_order, 128, 0.01};
        const GptqResult g = gptq_quantize(w, h, o);
        const GridKind kind = gptq_grid_kind(o);
        // Codes, scales and zeros reproduce the returned weights exactly, in original order.
        EXPECT_TRUE(torch::equal(dequantized(g.codes, kind), g.weight));
        for (uint8_t c : g.codes.codes) ASSERT_LT(c, 1 << bits);
        const double gptq_err = output_error(x, w, g.weight);
        const double rtn_err = output_error(x, w, dequantized(rtn_quantize(w, o), kind));
        EXPECT_LT(gptq_err, 0.8 * rtn_err)
            << bits << " bits act_order " << act_order << " sym " << sym;
        EXPECT_NEAR(hessian_output_mse(g.weight - w, h) / w.size(1) * 1.0, gptq_err / w.size(1),
                    1e-3 * gptq_err);
      }
    }
  }
}

TEST(Gptq, DeadColumnsAreZeroedAndEightBitsArePerRow) {
  auto x = correlated_inputs(256, 40, 8);
  x.select(1, 5).zero_();
  const auto w = torch::randn({8, 40});
  const auto h = hessian_of(x);
  const GptqResult g = gptq_quantize(w, h, {8, 0, true, false, 128, 0.01});
  EXPECT_EQ(g.codes.groups(), 1);
  EXPECT_EQ(g.weight.select(1, 5).abs().max().item<float>(), 0.0f);
  auto live = torch::ones({40}, torch::kBool);
  live[5] = false;
  EXPECT_LT((g.weight - w).index({torch::indexing::Slice(), live}).abs().max().item<float>(),
            0.05f);
  EXPECT_THROW(gptq_quantize(w, h, {8, 16, true, false, 128, 0.01}), InputError);
  EXPECT_THROW(gptq_quantize(w, h, {1, 16, true, false, 128, 0.01}), InputError);
  EXPECT_THROW(gptq_quantize(w, h, {4, 16, true, false, 128, 0.0}), InputError);
}

TEST(GptqPass, QuantizesEveryLayerAndSharesHessiansAndRoundTrips) {
  for (const char* arch : {"mlp", "cnn", "transformer"}) {
    auto model = testing::test_model(arch);
    const auto x = testing::test_inputs(arch, 32);
    const auto reference = model->forward(x);
    const auto reports = gptq_model(*model, {3, 64, false, true, 128, 0.01}, x, {"head"});
    EXPECT_EQ(reports.size(), model->layers().size() - 1) << arch;
    for (const auto& r : reports) {
      EXPECT_LE(r.report.output_mse, r.rtn_output_mse * 1.0001) << arch << " " << r.report.layer;
      EXPECT_EQ(model->find_layer(r.report.layer)->get()->scheme()["bits"], 3);
    }
    EXPECT_EQ(model->find_layer("head")->get()->scheme()["format"], "fp32");
    const auto path = std::filesystem::temp_directory_path() / "qz_gptq_test.safetensors";
    nn::save_model(*model, path.string(), {}, {});
    auto loaded = nn::load_model(path.string()).model;
    std::filesystem::remove(path);
    EXPECT_TRUE(torch::allclose(loaded->forward(x), model->forward(x), 1e-5, 1e-5)) << arch;
    EXPECT_FALSE(torch::allclose(model->forward(x), reference, 1e-3, 1e-3)) << arch;
  }
}

}  // namespace
}  // namespace qz::compress
