// Every ISA level this CPU has, against the scalar reference, on random and awkward shapes.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/thread_pool.h"
#include "kernel_shapes.h"
#include "kernels/dequant/dequantize.h"
#include "kernels/matmul/matmul.h"
#include "random_weights.h"

namespace qz::kernels {
namespace {

using testing::all_formats;
using testing::kernel_shapes;
using testing::KernelShape;
using testing::random_weights;

std::vector<float> random_vector(int64_t count, Rng& rng) {
  std::vector<float> v(static_cast<size_t>(count));
  for (auto& x : v) x = static_cast<float>(rng.normal());
  return v;
}

// The stated tolerance: 1e-5 of Σ|x·w| per output, plus 1e-6.
void expect_close_to_reference(Isa isa, const std::vector<float>& x, int64_t m,
                               const PackedWeightView& w, const Epilogue& e) {
  std::vector<float> ref(static_cast<size_t>(m * w.n)), got(ref.size(), -7.0f);
  matmul_f32_ref(x.data(), m, w, e, ref.data());
  matmul_f32_on(isa, x.data(), m, w, e, got.data());
  std::vector<float> row(static_cast<size_t>(w.k));
  for (int64_t n = 0; n < w.n; ++n) {
    dequantize_rows_ref(w, n, n + 1, row.data());
    for (int64_t i = 0; i < m; ++i) {
      double magnitude = 0;
      for (int64_t c = 0; c < w.k; ++c) magnitude += std::fabs(x[i * w.k + c] * row[c]);
      const size_t at = static_cast<size_t>(i * w.n + n);
      ASSERT_NEAR(got[at], ref[at], 1e-5 * magnitude + 1e-6)
          << isa_name(isa) << " " << weight_format_name(w.format) << " m=" << m << " n=" << w.n
          << " k=" << w.k << " group=" << w.group << " at (" << i << ", " << n << ")";
    }
  }
}

TEST(Matmul, EveryIsaMatchesTheReferenceOnTheKernelShapes) {
  Rng rng(41);
  for (Isa isa : supported_isas())
    for (WeightFormat f : all_formats())
      for (int64_t group : {32, 128})
        for (const KernelShape& s : kernel_shapes(group)) {
          const auto w = random_weights(f, s.n, s.k, group, rng);
          expect_close_to_reference(isa, random_vector(s.m * s.k, rng), s.m, w.view, {});
        }
}

TEST(Matmul, GroupsThatAreNotAMultipleOf32FallBackToTheReference) {
  Rng rng(42);
  for (Isa isa : supported_isas())
    for (WeightFormat f : all_formats()) {
      if (!is_grouped_format(f) || layout(f).fixed_group > 0) continue;
      for (int64_t m : {1, 4}) {
        const auto w = random_weights(f, 9, 70, 20, rng);
        expect_close_to_reference(isa, random_vector(m * 70, rng), m, w.view, {});
      }
    }
}

TEST(Matmul, EpilogueAppliesBiasAndEachActivation) {
  Rng rng(43);
  const int64_t n = 37, k = 96;
  const auto bias = random_vector(n, rng);
  for (Isa isa : supported_isas())
    for (Activation a : {Activation::None, Activation::Relu, Activation::Gelu, Activation::Silu})
      for (int64_t m : {1, 5}) {
        const auto w = random_weights(WeightFormat::Q4Sym, n, k, 32, rng);
        const auto x = random_vector(m * k, rng);
        expect_close_to_reference(isa, x, m, w.view, {bias.data(), a});
        // And the reference epilogue is the activation of (dot + bias).
        std::vector<float> plain(m * n), fused(m * n);
        matmul_f32_ref(x.data(), m, w.view, {}, plain.data());
        matmul_f32_ref(x.data(), m, w.view, {bias.data(), a}, fused.data());
        for (int64_t i = 0; i < m * n; ++i)
          ASSERT_FLOAT_EQ(fused[i], activate(plain[i] + bias[i % n], a));
      }
}

TEST(Matmul, ResultsDoNotDependOnTheThreadCount) {
  Rng rng(44);
  const auto w = random_weights(WeightFormat::NF4, 301, 512, 64, rng);
  for (int64_t m : {1, 9, 40}) {
    const auto x = random_vector(m * 512, rng);
    std::vector<float> one(m * 301), three(m * 301);
    set_compute_threads(1);
    matmul_f32(x.data(), m, w.view, {}, one.data());
    set_compute_threads(3);
    matmul_f32(x.data(), m, w.view, {}, three.data());
    set_compute_threads(static_cast<int>(std::thread::hardware_concurrency()));
    EXPECT_EQ(one, three);
  }
}

TEST(Matmul, FewOutputsManyRowsSplitTheRowsAndMatch) {
  // 5 outputs and 200 rows: with 3 threads the rows are split (kernels/work_split.h).
  Rng rng(45);
  const int64_t m = 200, n = 5, k = 96;
  const auto w = random_weights(WeightFormat::Q4Asym, n, k, 32, rng);
  const auto x = random_vector(m * k, rng);
  std::vector<float> bias(n, 0.5f);
  std::vector<float> one(m * n), three(m * n);
  set_compute_threads(1);
  matmul_f32(x.data(), m, w.view, {bias.data(), Activation::Relu}, one.data());
  set_compute_threads(3);
  matmul_f32(x.data(), m, w.view, {bias.data(), Activation::Relu}, three.data());
  set_compute_threads(static_cast<int>(std::thread::hardware_concurrency()));
  EXPECT_EQ(one, three);
  expect_close_to_reference(active_isa(), x, m, w.view, {bias.data(), Activation::Relu});
}

TEST(Isa, ActiveLevelIsTheBestSupportedOne) {
  if (std::getenv("QZ_ISA") != nullptr) GTEST_SKIP() << "QZ_ISA overrides the level";
  EXPECT_EQ(active_isa(), supported_isas().back());
  EXPECT_TRUE(isa_supported(Isa::Ref));
}

}  // namespace
}  // namespace qz::kernels
