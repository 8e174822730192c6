// HQQ: the zero-point optimisation lowers the Lp error it targets (against its own starting
// point and against round to nearest), stays on FP16 zeros and valid codes, and its layers
// compute through the int4-f16zero kernels and survive a save and load.
#include <gtest/gtest.h>

#include <filesystem>

#include "compress/hqq.h"
#include "compress/second_order/gptq.h"
#include "core/error.h"
#include "core/int_grid.h"
#include "nn/model_file.h"
#include "nn/quantized_layer.h"
#include "test_models.h"

namespace qz::compress {
namespace {

// Heavy-tailed weights (a Gaussian with 1% of entries ×8), as trained layers have.
std::vector<float> heavy_tailed(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  auto w = torch::randn({n}) * 0.02;
  w = torch::where(torch::rand({n}) < 0.01, w * 8, w);
  return {w.data_ptr<float>(), w.data_ptr<float>() + n};
}

TEST(Hqq, LowersTheLpErrorAgainstItsStartAndRoundToNearest) {
  const int64_t rows = 48, cols = 200;  // 200 = 3 groups of 64 and a ragged one of 8
  const auto w = heavy_tailed(rows * cols, 1);
  for (int bits : {2, 3, 4}) {
    HqqOptions o;
    o.bits = bits;
    const GroupCodes hqq = hqq_quantize(w, rows, cols, o);
    const GroupCodes start = hqq_initial_codes(w, rows, cols, o);
    const auto wt = torch::from_blob(const_cast<float*>(w.data()), {rows, cols});
    const GroupCodes rtn = rtn_quantize(wt, {bits, 64, false, false, 128, 0.01});
    const double e_hqq = lp_error(w, hqq, o.p);
    EXPECT_LT(e_hqq, 0.99 * lp_error(w, start, o.p)) << bits;
    EXPECT_LT(e_hqq, 0.99 * lp_error(w, rtn, o.p)) << bits;
    ASSERT_EQ(hqq.fractional_zeros.size(), static_cast<size_t>(rows * 4));
    for (float z : hqq.fractional_zeros) EXPECT_EQ(round_to_fp16(z), z);
    for (uint8_t c : hqq.codes) EXPECT_LT(c, 1 << bits);
    // Some zero points really are fractional.
    int fractional = 0;
    for (float z : hqq.fractional_zeros) fractional += z != std::nearbyint(z);
    EXPECT_GT(fractional, rows) << bits;
  }
}

TEST(Hqq, NoIterationsIsTheStartAndBadOptionsAreRefused) {
  const auto w = heavy_tailed(8 * 64, 2);
  HqqOptions o;
  o.iterations = 0;
  const GroupCodes a = hqq_quantize(w, 8, 64, o);
  const GroupCodes b = hqq_initial_codes(w, 8, 64, o);
  EXPECT_EQ(a.codes, b.codes);
  EXPECT_EQ(a.fractional_zeros, b.fractional_zeros);
  for (auto bad : {HqqOptions{5}, HqqOptions{1}, HqqOptions{4, 0}, HqqOptions{4, 64, 0.0},
                   HqqOptions{4, 64, 0.7, -1}})
    EXPECT_THROW(hqq_quantize(w, 8, 64, bad), InputError);
}

TEST(Hqq, ModelLayersUseF16ZeroStorageAndRoundTrip) {
  for (const char* arch : {"mlp", "transformer"}) {
    auto model = testing::test_model(arch);
    const auto x = testing::test_inputs(arch, 16);
    const auto reference = model->forward(x);
    std::vector<double> gains;
    const auto reports = hqq_model(*model, {3, 64}, {"head"}, &gains);
    ASSERT_EQ(reports.size(), model->layers().size() - 1) << arch;
    for (size_t i = 0; i < reports.size(); ++i) {
      EXPECT_LT(gains[i], 1.0) << arch << " " << reports[i].layer;
      const auto layer = model->find_layer(reports[i].layer)->get();
      EXPECT_EQ(layer->scheme()["format"], "int4-f16zero");
      EXPECT_EQ(layer->scheme()["bits"], 3);
      EXPECT_GT(reports[i].sqnr_db, 5.0);
      // The kernels compute with the stored (dequantized) weights.
      const auto rows = torch::randn({5, layer->in_features()});
      auto expect = rows.matmul(layer->dense_weight().t());
      if (layer->dense_bias().defined()) expect = expect + layer->dense_bias();
      if (layer->fused_activation() == kernels::Activation::Relu) expect = torch::relu(expect);
      if (layer->fused_activation() == kernels::Activation::Silu) expect = torch::silu(expect);
      EXPECT_TRUE(torch::allclose(layer->forward(rows), expect, 1e-4, 1e-4));
    }
    EXPECT_EQ(model->find_layer("head")->get()->scheme()["format"], "fp32");
    const auto path = std::filesystem::temp_directory_path() / "qz_hqq_test.safetensors";
    nn::save_model(*model, path.string(), {}, {});
    auto loaded = nn::load_model(path.string()).model;
    std::filesystem::remove(path);
    EXPECT_TRUE(loaded->forward(x).equal(model->forward(x))) << arch;
    EXPECT_FALSE(torch::allclose(model->forward(x), reference, 1e-3, 1e-3)) << arch;
  }
}

}  // namespace
}  // namespace qz::compress
