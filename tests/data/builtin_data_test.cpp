#include <gtest/gtest.h>

#include "core/error.h"
#include "data/addition.h"
#include "data/dataset.h"
#include "data/shapes.h"

namespace qz::data {
namespace {

DataOptions small(uint64_t seed) {
  DataOptions o;
  o.seed = seed;
  o.size_scale = 0.02;
  return o;
}

TEST(Shapes, SameSeedSameDataOtherSeedOtherData) {
  const Dataset a = load_dataset("shapes", small(5));
  const Dataset b = load_dataset("shapes", small(5));
  const Dataset c = load_dataset("shapes", small(6));
  EXPECT_TRUE(torch::equal(a.train.inputs, b.train.inputs));
  EXPECT_TRUE(torch::equal(a.test.targets, b.test.targets));
  EXPECT_FALSE(torch::equal(a.train.inputs, c.train.inputs));
  // Splits are generated independently: test differs from train.
  EXPECT_FALSE(torch::equal(a.train.inputs.narrow(0, 0, 20), a.test.inputs.narrow(0, 0, 20)));
}

TEST(Shapes, ImagesAreValidAndEverySampleHasSlices) {
  const Dataset d = load_dataset("shapes", small(1));
  EXPECT_EQ(d.num_classes, 12);
  EXPECT_GE(d.class_names.size(), 10u);
  EXPECT_EQ(d.train.inputs.sizes().vec(), (std::vector<int64_t>{d.train.size(), 1, 16, 16}));
  EXPECT_GE(d.train.inputs.min().item<float>(), 0.0f);
  EXPECT_LE(d.train.inputs.max().item<float>(), 1.0f);
  ASSERT_EQ(d.slices.dims, (std::vector<std::string>{"class", "noise", "size"}));
  EXPECT_TRUE(torch::equal(d.train.slices.select(1, 0), d.train.targets));
  EXPECT_LT(d.train.slices.select(1, 1).max().item<int64_t>(), 3);
  EXPECT_LT(d.train.slices.select(1, 2).max().item<int64_t>(), 3);
}

TEST(Shapes, ClassesDrawDifferentPictures) {
  // The same random draw (seed) rendered as each class gives 12 distinct images.
  std::vector<std::vector<float>> images;
  for (int64_t c = 0; c < 12; ++c) images.push_back(render_shape(c, 99).pixels);
  for (size_t i = 0; i < images.size(); ++i)
    for (size_t j = i + 1; j < images.size(); ++j)
      EXPECT_NE(images[i], images[j]) << i << " vs " << j;
}

TEST(Addition, FormatsReversedSumsAndCountsCarries) {
  EXPECT_EQ(addition_prompt(57, 68), "57+68=");
  EXPECT_EQ(addition_answer(57, 68), "521\n");
  EXPECT_EQ(addition_answer(0, 0), "0\n");
  EXPECT_EQ(count_carries(57, 68), 2);
  EXPECT_EQ(count_carries(999, 1), 3);
  EXPECT_EQ(count_carries(123, 456), 0);
}

TEST(Addition, TokensTargetsAndMaskLineUp) {
  const Dataset d = load_dataset("addition", small(3));
  ASSERT_EQ(d.train.inputs.size(1), kAdditionSeqLen);
  // Targets are the inputs shifted by one wherever the next input is real.
  const auto in = d.train.inputs, tg = d.train.targets, mask = d.train.loss_mask;
  for (int64_t i = 0; i < 20; ++i) {
    std::string text;
    for (int64_t p = 0; p < kAdditionSeqLen && in[i][p].item<int64_t>() != 0; ++p)
      text += static_cast<char>(in[i][p].item<int64_t>());
    const size_t eq = text.find('=');
    ASSERT_NE(eq, std::string::npos) << text;
    const int64_t a = std::stoll(text.substr(0, text.find('+')));
    const int64_t b = std::stoll(text.substr(text.find('+') + 1, eq - text.find('+') - 1));
    std::string scored;
    for (int64_t p = 0; p < kAdditionSeqLen; ++p)
      if (mask[i][p].item<float>() > 0) scored += static_cast<char>(tg[i][p].item<int64_t>());
    EXPECT_EQ(scored, addition_answer(a, b)) << text;
    EXPECT_EQ(d.train.slices[i][1].item<int64_t>(), count_carries(a, b));
  }
}

TEST(Addition, Deterministic) {
  EXPECT_TRUE(torch::equal(load_dataset("addition", small(2)).test.inputs,
                           load_dataset("addition", small(2)).test.inputs));
}

TEST(Data, UnknownSpecIsAnInputError) {
  EXPECT_THROW(load_dataset("imagenet"), InputError);
  EXPECT_THROW(load_dataset("shapes").split("holdout"), InputError);
}

}  // namespace
}  // namespace qz::data
