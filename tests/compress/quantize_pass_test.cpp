#include "compress/quantize_pass.h"
#include "io/quantize_methods.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/minifloat.h"
#include "io/safetensors.h"
#include "kernels/isa.h"
#include "nn/dense_layers.h"
#include "nn/model_file.h"
#include "nn/quantized_layer.h"
#include "test_models.h"

namespace qz::compress {
namespace {

namespace fs = std::filesystem;

nn::ModelPtr model(const std::string& arch) {
  return testing::test_model(arch);
}

torch::Tensor inputs(const std::string& arch, int64_t n = 64) {
  return testing::test_inputs(arch, n);
}

double relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).norm() / b.norm()).item<double>();
}

TEST(QuantizePass, EveryMethodOnEveryArchitectureStaysCloseToFp32) {
  // Measured bounds for the methods we know; any other row of io/quantize_methods.h must at
  // least stay within a 4-bit format's.
  const std::map<std::string, double> known = {
      {"fp16", 1e-3},         {"bf16", 1e-2},         {"fp8-e4m3", 0.08},    {"fp8-e5m2", 0.15},
      {"int8", 0.02},         {"int8-dynamic", 0.03}, {"int8-static", 0.06}, {"int4", 0.35},
      {"int4-dynamic", 0.35}, {"nf4", 0.35}};
  for (const std::string arch : {"mlp", "cnn", "transformer"}) {
    for (const std::string& method : io::quantize_methods()) {
      const double tol = known.contains(method) ? known.at(method) : 0.35;
      auto m = model(arch);
      const auto x = inputs(arch);
      torch::NoGradGuard g;
      const auto reference = m->forward(x);
      QuantizePlan plan;
      plan.method = method;
      const auto reports = quantize_model(*m, plan, x);
      EXPECT_EQ(reports.size(), m->layers().size());
      for (const auto& r : reports) {
        EXPECT_LT(r.weight_bytes, r.dense_bytes) << arch << " " << method << " " << r.layer;
        EXPECT_GT(r.sqnr_db, 8.0) << arch << " " << method << " " << r.layer;
      }
      for (const auto& slot : m->layers())
        EXPECT_NE(slot.get()->scheme()["format"], "fp32") << slot.name();
      EXPECT_LT(relative_error(m->forward(x), reference), tol) << arch << " " << method;
    }
  }
}

TEST(QuantizePass, Int4DynamicIsInt4WithInt8Activations) {
  // The same codes as int4 (same bytes, same scheme but for the activations); only the
  // activations' rounding to uint8 per row separates the outputs.
  for (const std::string arch : {"mlp", "cnn", "transformer"}) {
    for (bool symmetric : {true, false}) {
      auto weight_only = model(arch), w4a8 = model(arch);
      const auto x = inputs(arch);
      QuantizePlan plan;
      plan.method = "int4";
      plan.symmetric = symmetric;
      const auto a = quantize_model(*weight_only, plan, {});
      plan.method = "int4-dynamic";
      const auto b = quantize_model(*w4a8, plan, {});
      for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].weight_bytes, b[i].weight_bytes);
      const auto scheme = w4a8->layers()[0].get()->scheme();
      EXPECT_EQ(scheme["activations"], "int8-dynamic");
      EXPECT_EQ(scheme["format"], symmetric ? "int4-sym" : "int4-asym");
      torch::NoGradGuard g;
      const double diff = relative_error(w4a8->forward(x), weight_only->forward(x));
      EXPECT_GT(diff, 0.0) << arch;  // the activations really are quantized
      EXPECT_LT(diff, 0.03) << arch << (symmetric ? " sym" : " asym");
    }
  }
}

TEST(QuantizePass, StoredBytesShrinkByTheFormatsWidth) {
  auto m = model("mlp");
  QuantizePlan plan;
  plan.method = "int4";
  const auto reports = quantize_model(*m, plan, {});
  for (const auto& r : reports) {
    // 4 bits per weight plus an FP16 scale and a U8 zero point per 128 weights.
    const double bits = 8.0 * r.weight_bytes / (r.dense_bytes / 4.0);
    EXPECT_LT(bits, 4.0 + 24.0 / 128 + 0.2) << r.layer;
    EXPECT_EQ(r.output_mse, 0.0);  // no calibration data: no output report
  }
}

TEST(QuantizePass, ExcludedAndOverriddenLayers) {
  auto m = model("mlp");
  QuantizePlan plan;
  plan.method = "int4";
  plan.exclude = {"head"};
  plan.layer_methods = {{"fc2", "int8"}};
  quantize_model(*m, plan, {});
  EXPECT_EQ(m->find_layer("head")->get()->scheme()["format"], "fp32");
  EXPECT_EQ(m->find_layer("fc2")->get()->scheme()["format"], "int8");
  EXPECT_EQ(m->find_layer("fc1")->get()->scheme()["format"], "int4-asym");
}

TEST(QuantizePass, BadPlansAreInputErrors) {
  auto m = model("mlp");
  QuantizePlan plan;
  plan.method = "int3";
  EXPECT_THROW(quantize_model(*m, plan, {}), InputError);
  plan.method = "int8";
  plan.exclude = {"fc9"};
  EXPECT_THROW(quantize_model(*m, plan, {}), InputError);
  plan.exclude = {};
  plan.method = "int8-static";
  EXPECT_THROW(quantize_model(*m, plan, {}), InputError);  // needs calibration data
}

TEST(QuantizePass, SavedFilesReloadBitIdenticalWithTheirSchemes) {
  const fs::path dir = fs::temp_directory_path() / ("qz_qpass_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const std::string arch : {"cnn", "transformer"}) {
    for (const std::string& method : io::quantize_methods()) {
      auto m = model(arch);
      const auto x = inputs(arch, 8);
      QuantizePlan plan;
      plan.method = method;
      plan.symmetric = arch == "cnn";
      quantize_model(*m, plan, inputs(arch));
      const std::string path = (dir / (arch + method + ".safetensors")).string();
      nn::save_model(*m, path, {}, {});
      const nn::ModelFile loaded = nn::load_model(path);
      torch::NoGradGuard g;
      EXPECT_TRUE(torch::equal(m->forward(x), loaded.model->forward(x))) << arch << " " << method;
      for (size_t i = 0; i < m->layers().size(); ++i)
        EXPECT_EQ(m->layers()[i].get()->scheme(), loaded.model->layers()[i].get()->scheme());
    }
  }
  // FP8 codes are stored under the F8 dtypes.
  const auto f = io::SafetensorsFile::open((dir / "cnnfp8-e4m3.safetensors").string());
  EXPECT_EQ(f.get("conv1.weight").dtype, io::Dtype::F8_E4M3);
  EXPECT_EQ(f.get("conv1.weight_scale").dtype, io::Dtype::F16);
  fs::remove_all(dir);
}

TEST(Formats, Fp16AndBf16AgreeWithLibTorch) {
  // LibTorch's own float → half / bfloat16 conversions (round to nearest even) as an
  // independent reference, on random floats of every magnitude.
  torch::manual_seed(3);
  const auto x = torch::randn({200000}) *
                 torch::pow(2.0, torch::randint(-30, 20, {200000}).to(torch::kFloat32));
  const auto half = x.to(torch::kFloat16).view(torch::kInt16);
  const auto bf = x.to(torch::kBFloat16).view(torch::kInt16);
  const float* xp = x.data_ptr<float>();
  for (int64_t i = 0; i < x.numel(); ++i) {
    ASSERT_EQ(static_cast<uint16_t>(half[i].item<int16_t>()), float_to_fp16(xp[i])) << xp[i];
    ASSERT_EQ(static_cast<uint16_t>(bf[i].item<int16_t>()), float_to_bf16(xp[i])) << xp[i];
  }
}

}  // namespace
}  // namespace qz::compress

namespace qz::compress {
namespace {

TEST(QuantizedKernels, ALayerOnTheScalarReferenceSaysWhy) {
  const nn::DenseLinear dense(40, 9);
  const bool vector_isa = kernels::active_isa() != kernels::Isa::Ref;
  const auto fast = nn::QuantizedLayer::quantize(dense, nn::options_for_method("nf4", 32, false));
  EXPECT_TRUE(fast->reference_reason().empty());
  EXPECT_EQ(fast->kernel_name(),
            "f32_nf4g32_f32_matmul__" +
                (vector_isa ? kernels::isa_name(kernels::active_isa()) : std::string("ref")));
  const auto odd = nn::QuantizedLayer::quantize(dense, nn::options_for_method("nf4", 20, false));
  EXPECT_EQ(odd->kernel_name(), "f32_nf4g20_f32_matmul__ref");
  EXPECT_EQ(odd->reference_reason().empty(), !vector_isa);
  const auto w4a8 =
      nn::QuantizedLayer::quantize(dense, nn::options_for_method("int4-dynamic", 96, false));
  EXPECT_EQ(w4a8->kernel_name(), "u8_int4asymg96_f32_gemm__ref");
  if (vector_isa) {
    EXPECT_NE(w4a8->reference_reason().find("groups of 32, 64 or a multiple of 128"),
              std::string::npos);
  } else {
    EXPECT_TRUE(w4a8->reference_reason().empty());
  }
}

}  // namespace
}  // namespace qz::compress
