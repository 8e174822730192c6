#include <gtest/gtest.h>

#include <cmath>

#include "core/group_quant.h"
#include "core/minifloat.h"
#include "core/rng.h"
#include "kernels/dequant/dequantize.h"
#include "kernels/gemm_u8s8/gemm_u8s8.h"

namespace qz::kernels {
namespace {

TEST(DequantRef, MatchesTheCoreDefinitionsOnAwkwardShapes) {
  Rng rng(3);
  for (int64_t k : {1, 7, 64, 129}) {
    const int64_t n = 5, group = 32;
    std::vector<float> w(n * k);
    for (auto& x : w) x = static_cast<float>(rng.normal());
    for (GridKind kind : {GridKind::SymmetricOffset, GridKind::Affine}) {
      const GroupCodes q = quantize_groups(w, n, k, group, kind, 4, {}, round_to_fp16);
      std::vector<float> expect(n * k), got(n * k);
      dequantize_groups(q, kind, expect);
      const auto packed = pack_nibbles(q.codes, n, k);
      std::vector<uint16_t> scales;
      for (float s : q.scales) scales.push_back(float_to_fp16(s));
      std::vector<uint8_t> zeros(q.zeros.begin(), q.zeros.end());
      PackedWeightView v{kind == GridKind::Affine ? WeightFormat::Q4Asym : WeightFormat::Q4Sym,
                         n,
                         k,
                         group,
                         packed.data(),
                         scales.data(),
                         zeros.data()};
      dequantize_rows_ref(v, 0, n, got.data());
      EXPECT_EQ(got, expect) << "k=" << k;
      // A row range starts at its own row.
      std::vector<float> tail((n - 2) * k);
      dequantize_rows_ref(v, 2, n, tail.data());
      EXPECT_TRUE(std::equal(tail.begin(), tail.end(), expect.begin() + 2 * k));
    }
  }
}

TEST(DequantRef, FractionalZeroPointsMatchTheCoreDefinition) {
  Rng rng(5);
  const int64_t n = 4, k = 70, group = 32;
  std::vector<float> w(n * k);
  for (auto& x : w) x = static_cast<float>(rng.normal());
  GroupCodes q = quantize_groups(w, n, k, group, GridKind::Affine, 4, {}, round_to_fp16);
  for (int32_t z : q.zeros)  // HQQ-like zeros off the integer grid, FP16-representable
    q.fractional_zeros.push_back(round_to_fp16(static_cast<float>(z) + 0.3f));
  std::vector<float> expect(n * k), got(n * k);
  dequantize_groups(q, GridKind::Affine, expect);
  const auto packed = pack_nibbles(q.codes, n, k);
  std::vector<uint16_t> scales, zeros;
  for (float s : q.scales) scales.push_back(float_to_fp16(s));
  for (float z : q.fractional_zeros) zeros.push_back(float_to_fp16(z));
  const PackedWeightView v{WeightFormat::Q4F16Zero, n,           k, group, packed.data(),
                           scales.data(),           zeros.data()};
  dequantize_rows_ref(v, 0, n, got.data());
  EXPECT_EQ(got, expect);
  EXPECT_NE(expect[0], static_cast<float>(q.codes[0] - q.zeros[0]) * q.scales[0]);
}

TEST(GemmU8S8Ref, EqualsTheDequantizedProduct) {
  Rng rng(8);
  for (auto [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{1, 3, 5}, {3, 8, 33}, {8, 17, 64}}) {
    std::vector<float> x(m * k), bias(n);
    std::vector<int8_t> w(n * k);
    std::vector<float> sw(n);
    for (auto& v : x) v = static_cast<float>(rng.normal());
    for (auto& v : w) v = static_cast<int8_t>(rng.range(-127, 127));
    for (auto& v : sw) v = static_cast<float>(rng.uniform(0.001, 0.01));
    for (auto& v : bias) v = static_cast<float>(rng.normal());
    std::vector<uint8_t> xq(m * k);
    std::vector<float> sx(m);
    std::vector<int32_t> zx(m), sums(n);
    quantize_rows_u8_ref(x.data(), m, k, xq.data(), sx.data(), zx.data());
    weight_row_sums_ref(w.data(), n, k, sums.data());
    std::vector<float> y(m * n);
    gemm_u8s8_f32_ref({xq.data(), sx.data(), zx.data(), true, m},
                      {w.data(), sw.data(), sums.data(), n, k}, {bias.data()}, y.data());
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double expect = bias[j];
        for (int64_t c = 0; c < k; ++c)
          expect += (static_cast<double>(xq[i * k + c]) - zx[i]) * sx[i] * w[j * k + c] * sw[j];
        ASSERT_NEAR(y[i * n + j], expect, 1e-4 * (1 + std::fabs(expect)));
        // And close to the float product: activation rounding only.
        double exact = bias[j];
        for (int64_t c = 0; c < k; ++c)
          exact += static_cast<double>(x[i * k + c]) * w[j * k + c] * sw[j];
        ASSERT_NEAR(y[i * n + j], exact, sx[i] * 0.5 * k * 127 * sw[j] + 1e-5);
      }
  }
}

}  // namespace
}  // namespace qz::kernels
