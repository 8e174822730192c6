// MXFP4 against the OCP MX v1.0 definition (REFERENCE.md), on hand-made blocks.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/dequant/dequantize.h"
#include "kernels/format_table.h"

namespace qz::kernels {
namespace {

struct Quantized {
  StoredWeights s;
  std::vector<float> back;
};

Quantized round_trip(const std::vector<float>& w, int64_t n) {
  const int64_t k = static_cast<int64_t>(w.size()) / n;
  Quantized q;
  q.s = format_row(WeightFormat::MXFP4).quantize(w, n, k, {});
  const PackedWeightView v{WeightFormat::MXFP4, n,      k, 32, q.s.codes.data(),
                           q.s.scales.data(),   nullptr};
  q.back.resize(w.size());
  dequantize_rows_ref(v, 0, n, q.back.data());
  return q;
}

TEST(Mxfp4, ScaleIsTwoToTheFloorLog2AmaxMinusTwo) {
  std::vector<float> w(32, 0.0f);
  w[0] = 6.0f;  // floor(log2 6) = 2: X = 2^0, E8M0 code 127
  EXPECT_EQ(round_trip(w, 1).s.scales[0], 127);
  w[0] = 0.75f;  // floor(log2 0.75) = −1: X = 2^−3
  EXPECT_EQ(round_trip(w, 1).s.scales[0], 124);
  w[0] = 1024.0f;  // 2^10: X = 2^8
  EXPECT_EQ(round_trip(w, 1).s.scales[0], 135);
}

TEST(Mxfp4, ElementsRoundToNearestEvenAndSaturateAtSix) {
  // X = 1 (amax 7.9 → floor(log2) = 2): every element is its own E2M1 value.
  const std::vector<float> w = {7.9f,  6.0f,  5.0f,  4.9f,   3.5f,  2.5f,  1.75f, 1.25f,
                                0.75f, 0.25f, 0.3f,  -0.25f, -5.5f, -7.0f, 0.0f,  -0.0f,
                                2.0f,  3.0f,  4.0f,  1.5f,   1.0f,  0.5f,  -0.5f, -1.0f,
                                -1.5f, -2.0f, -3.0f, -4.0f,  -6.0f, 0.1f,  2.9f,  1.1f};
  const std::vector<float> expected = {6,     6,  4,     4,  4,     2,  2,  1, 1,    0, 0.5f,
                                       -0.0f, -6, -6,    0,  -0.0f, 2,  3,  4, 1.5f, 1, 0.5f,
                                       -0.5f, -1, -1.5f, -2, -3,    -4, -6, 0, 3,    1};
  const Quantized q = round_trip(w, 1);
  EXPECT_EQ(q.s.scales[0], 127);
  for (size_t i = 0; i < w.size(); ++i) EXPECT_EQ(q.back[i], expected[i]) << "w = " << w[i];
}

TEST(Mxfp4, BlocksAreThirtyTwoWeightsWithAPartialLastBlock) {
  // Two rows of 40: blocks [0, 32) and [32, 40), each with its own scale.
  std::vector<float> w(80, 0.01f);
  w[35] = 100.0f;
  w[40 + 3] = -0.02f;
  const Quantized q = round_trip(w, 2);
  ASSERT_EQ(q.s.scales.size(), 4u);
  EXPECT_EQ(q.s.codes.size(), 40u);       // 20 bytes per row
  EXPECT_EQ(q.s.scales[1], 127 + 6 - 2);  // floor(log2 100) = 6
  EXPECT_EQ(q.back[35], 96.0f);           // 100 / 16 = 6.25 → 6
  // amax 0.02: floor(log2) = −6, X = 2^−8; −0.02 / X = −5.12 rounds to −6.
  EXPECT_EQ(q.back[40 + 3], -6.0f / 256.0f);
}

TEST(Mxfp4, AllZeroBlockDecodesToZero) {
  const Quantized q = round_trip(std::vector<float>(32, 0.0f), 1);
  for (float v : q.back) EXPECT_EQ(v, 0.0f);
}

}  // namespace
}  // namespace qz::kernels
