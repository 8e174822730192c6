// Unstructured, N:M and structured pruning: mask counts, compact storage that computes what the
// masked dense layer computes, and structured pruning that equals zeroing the removed channels.
#include <gtest/gtest.h>

#include <filesystem>

#include "compress/prune/prune_masks.h"
#include "compress/prune/structured_prune.h"
#include "core/error.h"
#include "nn/dense_layers.h"
#include "nn/fold_batch_norm.h"
#include "nn/model_file.h"
#include "nn/sparse_layer.h"
#include "test_models.h"

namespace qz::compress {
namespace {

namespace fs = std::filesystem;
using testing::test_inputs;
using testing::test_model;

fs::path temp_file(const std::string& name) {
  return fs::temp_directory_path() / ("qz_prune_test_" + name + ".safetensors");
}

TEST(PruneMasks, PerLayerGlobalAndPerRowRemoveExactlyRoundedCounts) {
  torch::manual_seed(3);
  const LayerScores scores = {{"a", torch::rand({10, 30})}, {"b", torch::rand({4, 7}) * 10}};
  for (MaskScope scope : {MaskScope::PerLayer, MaskScope::Global}) {
    const LayerMasks masks = select_masks(scores, {0.8, scope, "unstructured"});
    const int64_t kept = masks.at("a").sum().item<int64_t>() + masks.at("b").sum().item<int64_t>();
    if (scope == MaskScope::PerLayer) {
      EXPECT_EQ(masks.at("a").sum().item<int64_t>(), 60);  // 300 − round(0.8·300)
      EXPECT_EQ(masks.at("b").sum().item<int64_t>(), 6);   // 28 − round(22.4)
    } else {
      EXPECT_EQ(kept, 328 - 262);  // round(0.8·328) = 262 removed overall
      // One threshold: every kept score is at least every removed one.
      const auto all_kept = torch::cat({scores.at("a").masked_select(masks.at("a")),
                                        scores.at("b").masked_select(masks.at("b"))});
      const auto all_cut = torch::cat({scores.at("a").masked_select(~masks.at("a")),
                                       scores.at("b").masked_select(~masks.at("b"))});
      EXPECT_GE(all_kept.min().item<float>(), all_cut.max().item<float>());
    }
  }
  const LayerMasks rows = select_masks(scores, {0.5, MaskScope::PerRow, "unstructured"});
  EXPECT_TRUE(rows.at("a").sum(1).eq(15).all().item<bool>());
  EXPECT_TRUE(rows.at("b").sum(1).eq(3).all().item<bool>());  // 7 − round(3.5) (half to even)
}

TEST(PruneMasks, NmKeepsTheNLargestOfEveryMColumns) {
  torch::manual_seed(4);
  const auto s = torch::rand({6, 18});  // 18 = 4 full windows of 4 + a short one of 2
  const auto keep = select_masks({{"x", s}}, {0, MaskScope::PerLayer, "2:4"}).at("x");
  for (int64_t w = 0; w < 4; ++w) {
    const auto window = keep.narrow(1, 4 * w, 4);
    EXPECT_TRUE(window.sum(1).eq(2).all().item<bool>());
    const auto kept_min = torch::where(window, s.narrow(1, 4 * w, 4), 2.0).amin(1);
    const auto cut_max = torch::where(window, -1.0, s.narrow(1, 4 * w, 4)).amax(1);
    EXPECT_TRUE((kept_min >= cut_max).all().item<bool>());
  }
  EXPECT_TRUE(keep.narrow(1, 16, 2).all().item<bool>());  // a short window of 2 keeps both
}

TEST(SparseLayer, ComputesTheMaskedDenseLayerAndRoundTripsThroughAFile) {
  for (const std::string arch : {"mlp", "cnn"}) {
    auto model = test_model(arch);
    const auto x = test_inputs(arch, 16);
    const LayerMasks masks = select_masks(magnitude_scores(*model, {}), {0.7, MaskScope::PerLayer});
    apply_masks(*model, masks);
    const auto dense_out = model->forward(x);
    const auto dense_one = model->forward(x.narrow(0, 0, 1));
    for (const auto& slot : model->layers())
      slot.replace(nn::SparseLayer::pack(*slot.get(), masks.at(slot.name()), "unstructured"));
    // Batch 16 (the row-expanding path) and batch 1 (the fused GEMV) of the bitmask kernel.
    EXPECT_TRUE(torch::allclose(model->forward(x), dense_out, 1e-4, 1e-5)) << arch;
    EXPECT_TRUE(torch::allclose(model->forward(x.narrow(0, 0, 1)), dense_one, 1e-4, 1e-5)) << arch;
    const auto path = temp_file(arch);
    nn::save_model(*model, path.string(), {}, {});
    const auto loaded = nn::load_model(path.string());
    EXPECT_TRUE(loaded.model->forward(x).equal(model->forward(x))) << arch;
    EXPECT_EQ(loaded.model->layers()[0].get()->scheme()["format"], "sparse");
    fs::remove(path);
  }
}

TEST(SparseLayer, NmPatternIsRecordedAndTheFileShrinks) {
  auto model = test_model("mlp");
  const LayerMasks masks =
      select_masks(magnitude_scores(*model, {}), {0, MaskScope::PerLayer, "2:4"});
  const auto& slot = model->layers()[0];
  const int64_t dense_bytes = slot.get()->weight_bytes();
  auto sparse = nn::SparseLayer::pack(*slot.get(), masks.at(slot.name()), "2:4");
  EXPECT_EQ(sparse->scheme()["pattern"], "2:4");
  EXPECT_DOUBLE_EQ(sparse->scheme()["sparsity"].get<double>(), 0.5);
  // Half the values plus one bit per weight: 4·0.5 + 0.125 bytes per weight.
  EXPECT_EQ(sparse->weight_bytes(), dense_bytes / 4 * 2 + dense_bytes / 4 / 8);
}

TEST(SparseLayer, LoadRejectsAMaskThatDisagreesWithTheValues) {
  auto model = test_model("mlp");
  const auto& slot = model->layers()[2];
  auto keep = torch::ones({slot.get()->out_features(), slot.get()->in_features()}, torch::kBool);
  auto layer = nn::SparseLayer::pack(*slot.get(), keep, "unstructured");
  auto wrong = nn::SparseLayer::for_scheme(
      {{"format", "sparse"}, {"pattern", "unstructured"}, {"nnz", layer->nnz() - 1}}, *slot.get());
  EXPECT_THROW(wrong->after_load("[model] f: layer 'head'"), InputError);
  EXPECT_THROW(nn::SparseLayer::for_scheme({{"format", "sparse"}, {"pattern", "5:4"}, {"nnz", 1}},
                                           *slot.get()),
               InputError);
}

// Rows of `pruned` as indices into the rows of `original` (each row is copied unchanged).
torch::Tensor kept_rows(const torch::Tensor& original, const torch::Tensor& pruned) {
  const auto o = original.reshape({original.size(0), -1});
  const auto p = pruned.reshape({pruned.size(0), -1});
  return torch::cdist(p, o).argmin(1);
}

// Zeroes the consumer's input columns of channels not in `kept` (repeat: inputs per channel).
void zero_removed_inputs(nn::Model& model, const std::string& consumer, const torch::Tensor& kept,
                         int64_t width, int64_t repeat) {
  torch::NoGradGuard guard;
  auto removed = torch::ones({width}, torch::kBool);
  removed.index_fill_(0, kept, false);
  const auto w = model.find_layer(consumer)->get()->dense_weight();
  const auto cols = removed.repeat_interleave(repeat);
  w.index_fill_(1, cols.nonzero().flatten(), 0.0);
}

TEST(StructuredPrune, EqualsTheOriginalWithTheRemovedChannelsSilenced) {
  struct Case {
    std::string arch;
    // (producer, consumer, inputs per channel) of every pruned group
    std::vector<std::tuple<std::string, std::string, int64_t>> groups;
  };
  const std::vector<Case> cases = {
      {"mlp", {{"fc1", "fc2", 1}, {"fc2", "head", 1}}},
      {"cnn", {{"conv1", "conv2", 1}, {"conv2", "fc", 16}, {"fc", "head", 1}}},
      {"transformer",
       {{"blocks.0.q", "blocks.0.o", 1},
        {"blocks.0.gate", "blocks.0.down", 1},
        {"blocks.1.q", "blocks.1.o", 1},
        {"blocks.1.up", "blocks.1.down", 1},
        {"blocks.2.k", "blocks.2.o", 1},
        {"blocks.2.gate", "blocks.2.down", 1}}}};
  for (const auto& c : cases) {
    auto original = test_model(c.arch);
    auto pruned = test_model(c.arch);
    const auto x = test_inputs(c.arch, 8);
    const int64_t before = pruned->parameter_count();
    const auto report = prune_structured(*pruned, {0.5, 2, false, {}});
    ASSERT_FALSE(report.empty());
    for (const auto& g : report) EXPECT_EQ(g.units_after, g.units_before / 2) << g.group;
    EXPECT_LT(pruned->parameter_count(), before * 0.6) << c.arch;
    std::map<std::string, torch::Tensor> kept_inputs;  // consumer → its kept input columns
    for (const auto& [producer, consumer, repeat] : c.groups) {
      auto reference = original->find_layer(producer)->get()->dense_weight().detach();
      if (kept_inputs.count(producer)) reference = reference.index_select(1, kept_inputs[producer]);
      const auto kept =
          kept_rows(reference, pruned->find_layer(producer)->get()->dense_weight().detach());
      kept_inputs[consumer] =
          (kept.unsqueeze(1) * repeat + torch::arange(repeat).unsqueeze(0)).flatten();
      zero_removed_inputs(*original, consumer, kept,
                          original->find_layer(producer)->get()->out_features(), repeat);
    }
    pruned->eval();
    EXPECT_TRUE(torch::allclose(pruned->forward(x), original->forward(x), 1e-4, 1e-5)) << c.arch;
    // The config now describes the pruned shape: the file reloads to the same outputs.
    const auto path = temp_file("structured_" + c.arch);
    nn::save_model(*pruned, path.string(), {}, {});
    const auto loaded = nn::load_model(path.string());
    EXPECT_TRUE(loaded.model->forward(x).equal(pruned->forward(x))) << c.arch;
    fs::remove(path);
    // Its BatchNorms, shrunk with the convs, fold into them (as before any later quantizing).
    if (const auto folded = nn::fold_batch_norms(*pruned)) {
      folded->eval();
      EXPECT_LE((folded->forward(x) - pruned->forward(x)).abs().max().item<double>(), 1e-5);
    }
  }
}

TEST(StructuredPrune, RefusesCompressedLayersAndBadRatios) {
  auto model = test_model("mlp");
  EXPECT_THROW(prune_structured(*model, {1.0, 2, false, {}}), InputError);
  EXPECT_THROW(prune_structured(*model, {0.5, 3, false, {}}), InputError);
  const LayerMasks masks = select_masks(magnitude_scores(*model, {}), {0.5});
  const auto& slot = model->layers()[0];
  slot.replace(nn::SparseLayer::pack(*slot.get(), masks.at(slot.name()), "unstructured"));
  EXPECT_THROW(prune_structured(*model, {0.5, 2, false, {}}), InputError);
}

}  // namespace
}  // namespace qz::compress
