// Low-rank factorization (rank rules, ASVD, round trip), fake quantization (values on the real
// grids, straight-through gradients) and the distillation loss.
#include <gtest/gtest.h>

#include <filesystem>

#include "compress/fake_quant.h"
#include "compress/low_rank.h"
#include "compress/qat.h"
#include "core/error.h"
#include "nn/low_rank_layer.h"
#include "nn/model_file.h"
#include "nn/quantized_layer.h"
#include "test_models.h"
#include "train/distillation.h"
#include "train/objective.h"

namespace qz::compress {
namespace {

namespace fs = std::filesystem;
using testing::test_inputs;
using testing::test_model;

TEST(LowRank, RatioRuleAndBreakEvenAndRoundTrip) {
  auto model = test_model("mlp");  // fc1 256→512, fc2 512→512, head 512→12
  const auto x = test_inputs("mlp", 8);
  const auto reports = factorize_model(*model, {0, 0, 0.3, false, {}}, {});
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0].rank, 51);  // ⌊0.3·256·512 / 768⌋
  EXPECT_EQ(reports[1].rank, 76);  // ⌊0.3·512·512 / 1024⌋
  for (const auto& r : reports) {
    EXPECT_TRUE(r.factored) << r.layer;
    EXPECT_LT(r.params_after, r.params_before);
    EXPECT_GT(r.relative_error, 0.0);
    EXPECT_LT(r.relative_error, 1.0);
  }
  EXPECT_EQ(model->find_layer("fc2")->get()->scheme()["rank"], 76);
  const auto path = fs::temp_directory_path() / "qz_low_rank_test.safetensors";
  nn::save_model(*model, path.string(), {}, {});
  EXPECT_TRUE(nn::load_model(path.string()).model->forward(x).equal(model->forward(x)));
  fs::remove(path);
  // A full rank would not shrink anything: the layer stays dense.
  auto full = test_model("mlp");
  const auto kept = factorize_model(*full, {512, 0, 0, false, {}}, {});
  for (const auto& r : kept) EXPECT_FALSE(r.factored) << r.layer;
  EXPECT_EQ(full->find_layer("fc2")->get()->scheme()["format"], "fp32");
}

TEST(LowRank, EnergyRuleKeepsAtLeastThatShareAndErrorFallsWithRank) {
  auto model = test_model("mlp");
  const auto w = model->find_layer("fc2")->get()->dense_weight().detach().to(torch::kFloat64);
  const auto sigma = torch::linalg_svdvals(w);
  const auto reports = factorize_model(*model, {0, 0.5, 0, false, {"fc1", "head"}}, {});
  ASSERT_EQ(reports.size(), 1u);
  const int64_t r = reports[0].rank;
  const auto energy = sigma.pow(2).cumsum(0) / sigma.pow(2).sum();
  EXPECT_GE(energy[r - 1].item<double>(), 0.5);
  EXPECT_LT(energy[r - 2].item<double>(), 0.5);
  // The truncation error is exactly the dropped energy.
  EXPECT_NEAR(reports[0].relative_error, std::sqrt(1.0 - energy[r - 1].item<double>()), 1e-4);
  double previous = 2.0;
  for (int64_t rank : {8, 32, 128}) {
    auto m = test_model("mlp");
    const double e =
        factorize_model(*m, {rank, 0, 0, false, {"fc1", "head"}}, {})[0].relative_error;
    EXPECT_LT(e, previous);
    previous = e;
  }
}

TEST(LowRank, ActivationAwareNeedsCalibrationAndLowersOutputError) {
  auto model = test_model("mlp");
  EXPECT_THROW(factorize_model(*model, {32, 0, 0, true, {}}, {}), InputError);
  EXPECT_THROW(factorize_model(*model, {32, 0.5, 0, false, {}}, {}), InputError);
  // Inputs with very uneven channel scales: ASVD spends the rank on the loud channels.
  torch::manual_seed(9);
  const auto scales = torch::rand({256}).pow(4) * 10;
  const auto x = torch::randn({512, 256}) * scales;
  const auto x_images = x.view({512, 1, 16, 16});
  auto plain = test_model("mlp");
  auto aware = test_model("mlp");
  const auto reference = model->find_layer("fc1")->get()->forward(x);
  factorize_model(*plain, {16, 0, 0, false, {"fc2", "head"}}, x_images);
  factorize_model(*aware, {16, 0, 0, true, {"fc2", "head"}}, x_images);
  const double plain_err =
      (plain->find_layer("fc1")->get()->forward(x) - reference).norm().item<double>();
  const double aware_err =
      (aware->find_layer("fc1")->get()->forward(x) - reference).norm().item<double>();
  EXPECT_LT(aware_err, plain_err);
}

TEST(FakeQuant, Int8WeightsLandOnTheRealGridAndGradientsPassInside) {
  torch::manual_seed(2);
  const auto w = torch::randn({6, 40}).requires_grad_(true);
  const auto fq = fake_quantize_weight(w, FakeGrid::Int8PerChannel, 0);
  const auto scale = w.detach().abs().amax(1, true) / 127.0;
  const auto codes = fq.detach() / scale;
  EXPECT_TRUE(torch::allclose(codes, codes.round(), 0, 1e-3));
  EXPECT_LE((fq.detach() - w.detach()).abs().max().item<double>(),
            scale.max().item<double>() / 2 + 1e-6);
  fq.sum().backward();
  EXPECT_TRUE(w.grad().eq(1).all().item<bool>());  // min-max range: everything is inside
}

TEST(FakeQuant, Int4GroupsHave16LevelsAndMatchTheRealLayerClosely) {
  auto model = test_model("mlp");
  const auto& fc1 = *model->find_layer("fc1")->get();
  const auto w = fc1.dense_weight().detach();
  const auto fq = fake_quantize_weight(w, FakeGrid::Int4Affine, 128);
  for (int64_t g = 0; g < 2; ++g)
    EXPECT_LE(std::get<0>(torch::_unique(fq.narrow(1, 128 * g, 128)[0])).numel(), 16);
  // The real int4 layer rounds its scales to FP16; otherwise the grids agree.
  auto options = nn::options_for_method("int4", 128, false);
  const auto real = nn::QuantizedLayer::quantize(fc1, options)->dense_weight();
  EXPECT_LT(((fq - real).norm() / (w - real).norm()).item<double>(), 0.2);
  const auto x = torch::randn({4, 64});
  const auto fx = fake_quantize_rows_u8(x);
  const auto step = (x.amax(1, true).clamp_min(0) - x.amin(1, true).clamp_max(0)) / 255;
  EXPECT_TRUE(((fx - x).abs() <= step / 2 + 1e-6).all().item<bool>());
}

TEST(Qat, WrapsTrainsThroughAndUnwrapsToDenseLayers) {
  auto model = test_model("mlp");
  const auto x = test_inputs("mlp", 4);
  insert_fake_quant(*model, {"int4", 128, false, {"head"}});
  EXPECT_EQ(model->find_layer("fc1")->get()->scheme()["format"], "fake-quant");
  EXPECT_EQ(model->find_layer("head")->get()->scheme()["format"], "fp32");
  EXPECT_EQ(model->parameters().size(), 6u);  // weights and biases, same count as dense
  model->forward(x).sum().backward();
  EXPECT_TRUE(model->find_layer("fc1")->get()->dense_weight().grad().defined());
  remove_fake_quant(*model);
  EXPECT_EQ(model->find_layer("fc1")->get()->scheme()["format"], "fp32");
  EXPECT_THROW(insert_fake_quant(*model, {"nf4", 64, false, {}}), InputError);
}

TEST(Distillation, LossIsCrossEntropyAtAlphaOneAndZeroKlAgainstItself) {
  auto teacher = test_model("mlp");
  data::Split batch;
  batch.inputs = test_inputs("mlp", 16);
  batch.targets = torch::randint(0, 12, {16}, torch::kInt64);
  const auto logits = teacher->forward(batch.inputs);
  const auto hard = train::distillation_loss(*teacher, {4.0, 1.0})(logits, batch);
  EXPECT_NEAR(hard.item<double>(), train::task_loss(logits, batch).item<double>(), 1e-6);
  const auto soft = train::distillation_loss(*teacher, {4.0, 0.0})(logits, batch);
  EXPECT_NEAR(soft.item<double>(), 0.0, 1e-6);
  const auto other = torch::randn({16, 12});
  EXPECT_GT(train::soft_target_loss(other, logits, 4.0).min().item<double>(), 0.0);
  EXPECT_THROW(train::distillation_loss(*teacher, {0.0, 0.5}), InputError);
}

}  // namespace
}  // namespace qz::compress
