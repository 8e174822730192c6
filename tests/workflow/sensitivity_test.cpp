#include "workflow/sensitivity.h"

#include <gtest/gtest.h>

#include "io/model_config.h"
#include "nn/make_model.h"
#include "train/trainer.h"

namespace qz::workflow {
namespace {

struct Trained {
  data::Dataset data;
  nn::ModelPtr model;
};

Trained trained_mlp() {
  data::DataOptions o;
  o.size_scale = 0.1;
  Trained t{data::load_dataset("shapes", o), nullptr};
  torch::manual_seed(0);
  t.model =
      nn::make_model(io::default_config("mlp", t.data.input_shape, t.data.num_classes, 0), "test");
  train::TrainOptions opts = train::default_train_options("mlp");
  opts.epochs = 3;
  train::train_model(*t.model, t.data, opts);
  return t;
}

TEST(Sensitivity, RanksEveryLayerAndLeavesTheModelUnchanged) {
  auto t = trained_mlp();
  const auto before = train::split_accuracy(*t.model, t.data.val, false);
  compress::QuantizePlan plan;
  plan.method = "int4";
  plan.group = 32;
  const auto ranking = layer_sensitivity(*t.model, plan, t.data, t.data.train.head(128).inputs);
  ASSERT_EQ(ranking.size(), 3u);
  for (size_t i = 1; i < ranking.size(); ++i)
    EXPECT_GE(ranking[i - 1].drop_points, ranking[i].drop_points);
  for (const auto& s : ranking) {
    EXPECT_GT(s.kl, 0.0) << s.layer;
    EXPECT_LT(s.bytes, s.fp32_bytes) << s.layer;
  }
  EXPECT_EQ(train::split_accuracy(*t.model, t.data.val, false), before);
  for (const auto& slot : t.model->layers()) EXPECT_EQ(slot.get()->scheme()["format"], "fp32");
}

TEST(MixedPrecision, KeepsSensitiveLayersUntilTheBudgetHolds) {
  auto t = trained_mlp();
  compress::QuantizePlan plan;
  plan.method = "int4";
  plan.group = 256;  // coarse groups make int4 costly enough to need help
  const auto calibration = t.data.train.head(128).inputs;
  const auto result = plan_mixed_precision(*t.model, plan, t.data, calibration, 0.0);
  if (result.within_budget) {
    EXPECT_LE(result.val_drop_points, 0.0);
  }
  EXPECT_EQ(result.kept.size(), plan.layer_methods.size());
  for (const auto& layer : result.kept) EXPECT_EQ(plan.layer_methods.at(layer), "int8");
  EXPECT_EQ(fallback_method("int4"), "int8");
  EXPECT_EQ(fallback_method("int8-static"), "fp16");
  EXPECT_EQ(fallback_method("bf16"), "fp32");
  // A generous budget keeps nothing.
  compress::QuantizePlan easy;
  easy.method = "int8";
  const auto none = plan_mixed_precision(*t.model, easy, t.data, calibration, 50.0);
  EXPECT_TRUE(none.within_budget);
  EXPECT_TRUE(none.kept.empty());
}

}  // namespace
}  // namespace qz::workflow
