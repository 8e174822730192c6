#include "eval/evaluate.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "io/model_config.h"
#include "nn/make_model.h"

namespace qz::eval {
namespace {

// A classifier that always answers class 0: its accuracy on each class slice is exact.
class ConstantModel : public nn::Model {
 public:
  explicit ConstantModel(int64_t classes) : Model({{"arch", "constant"}}), classes_(classes) {}
  torch::Tensor forward(const torch::Tensor& x) override {
    auto logits = torch::zeros({x.size(0), classes_});
    logits.select(1, 0).fill_(1.0);
    return logits;
  }
  Task task() const override { return Task::Classification; }
  std::vector<nn::DimGroup> dependency_groups() const override { return {}; }
  void sync_config_to_layers() override {}

 private:
  int64_t classes_;
};

TEST(Evaluate, SlicesCountEverySampleAndFindTheWorst) {
  data::DataOptions o;
  o.size_scale = 0.1;
  const auto d = data::load_dataset("shapes", o);
  ConstantModel model(d.num_classes);
  const EvalResult r = evaluate(model, d, "test");
  const double share0 = (d.test.targets == 0).sum().item<double>() / d.test.size();
  EXPECT_NEAR(r.accuracy, share0, 1e-9);
  EXPECT_DOUBLE_EQ(r.slices.at("class=disk").accuracy, 1.0);
  EXPECT_DOUBLE_EQ(r.slices.at("class=ring").accuracy, 0.0);
  int64_t by_noise = 0;
  for (const char* n : {"noise=low", "noise=mid", "noise=high"}) by_noise += r.slices.at(n).count;
  EXPECT_EQ(by_noise, d.test.size());
  EXPECT_EQ(r.slices.at(r.worst_slice).accuracy, 0.0);
  const auto j = r.to_json();
  for (const char* key : {"accuracy", "loss", "slices", "worst_slice"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_FALSE(j.contains("perplexity"));
}

TEST(Evaluate, LanguageModelReportsPerplexityAndExactMatch) {
  data::DataOptions o;
  o.size_scale = 0.02;
  const auto d = data::load_dataset("addition", o);
  torch::manual_seed(0);
  auto model = nn::make_model(io::default_config("transformer", {}, 256, 16), "test");
  const EvalResult r = evaluate(*model, d, "test");
  EXPECT_TRUE(r.language_model);
  EXPECT_NEAR(r.perplexity, std::exp(r.loss), 1e-9);
  EXPECT_GT(r.perplexity, 100.0);  // untrained over 256 bytes
  EXPECT_LE(r.exact_match, r.token_accuracy);
  const auto j = r.to_json();
  EXPECT_TRUE(j.contains("perplexity"));
  EXPECT_TRUE(j.contains("exact_match"));
  EXPECT_TRUE(j["slices"].contains("digits=3"));
  EXPECT_TRUE(j["slices"].contains("carries=0"));
}

TEST(Evaluate, TaskMismatchIsAnInputError) {
  data::DataOptions o;
  o.size_scale = 0.02;
  const auto d = data::load_dataset("addition", o);
  ConstantModel model(12);
  EXPECT_THROW(evaluate(model, d, "test"), InputError);
}

}  // namespace
}  // namespace qz::eval
