#include <gtest/gtest.h>

#include "core/blas_runtime.h"
#include "core/cpu_features.h"
#include "data/dataset.h"
#include "io/model_config.h"
#include "nn/make_model.h"
#include "train/trainer.h"

namespace qz::train {
namespace {

data::Dataset small_shapes() {
  data::DataOptions o;
  o.size_scale = 0.25;  // 12000 training images
  return data::load_dataset("shapes", o);
}

nn::ModelPtr fresh(const std::string& arch, const data::Dataset& d, uint64_t seed) {
  torch::manual_seed(seed);
  return nn::make_model(
      io::default_config(arch, d.input_shape, d.num_classes, std::max<int64_t>(d.seq_len, 16)),
      "test");
}

TEST(Training, SmallMlpConverges) {
  torch::set_num_threads(2);
  const auto data = small_shapes();
  auto model = fresh("mlp", data, 0);
  const double before = split_accuracy(*model, data.val, false);
  TrainOptions o = default_train_options("mlp");
  o.epochs = 4;
  const TrainResult r = train_model(*model, data, o);
  ASSERT_EQ(r.epochs.size(), 4u);
  EXPECT_LT(r.epochs.back().train_loss, r.epochs.front().train_loss);
  EXPECT_LT(before, 0.2);                        // chance is 1/12
  EXPECT_GT(r.epochs.back().val_accuracy, 0.4);  // ~5x chance after 4 short epochs
}

TEST(Training, SameSeedAndThreadsGiveIdenticalWeights) {
  torch::set_num_threads(2);
  const auto data = small_shapes();
  TrainOptions o = default_train_options("mlp");
  o.epochs = 1;
  o.seed = 7;
  auto a = fresh("mlp", data, 7), b = fresh("mlp", data, 7), c = fresh("mlp", data, 8);
  train_model(*a, data, o);
  train_model(*b, data, o);
  o.seed = 8;
  train_model(*c, data, o);
  const auto pa = a->parameters(), pb = b->parameters(), pc = c->parameters();
  bool any_diff = false;
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_TRUE(torch::equal(pa[i], pb[i])) << "parameter " << i;
    any_diff = any_diff || !torch::equal(pa[i], pc[i]);
  }
  EXPECT_TRUE(any_diff);
}

TEST(Training, TransformerLearnsOnAddition) {
  torch::set_num_threads(2);
  data::DataOptions dopt;
  dopt.size_scale = 0.1;  // 12000 sums
  const auto data = data::load_dataset("addition", dopt);
  auto model = fresh("transformer", data, 0);
  TrainOptions o = default_train_options("transformer");
  o.epochs = 2;
  const TrainResult r = train_model(*model, data, o);
  // Loss per answer byte starts near ln(256) ≈ 5.5 and must fall well below the ~2.3 of
  // guessing uniformly among digits.
  EXPECT_LT(r.epochs.back().train_loss, 1.5);
}

TEST(Runtime, BlasRunsAVectorizedKernelOnAvx2Machines) {
  // The test binary re-executes itself like the CLI (tests/test_main.cpp); LibTorch loaded
  // OpenBLAS, so its core is known here.
  const std::string core = blas_core_name();
  ASSERT_FALSE(core.empty()) << "OpenBLAS is not loaded";
  if (cpu_features().avx2) {
    EXPECT_TRUE(blas_core_is_vectorized(core)) << "OpenBLAS core " << core;
  }
}

}  // namespace
}  // namespace qz::train
