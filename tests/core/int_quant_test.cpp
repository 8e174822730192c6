#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "core/group_quant.h"
#include "core/int_grid.h"
#include "core/nf4.h"
#include "core/rng.h"

namespace qz {
namespace {

std::vector<float> random_matrix(int64_t n, uint64_t seed, double spread = 1.0) {
  Rng rng(seed);
  std::vector<float> w(n);
  for (auto& x : w) x = static_cast<float>(rng.normal() * spread);
  return w;
}

TEST(IntGrid, ReferenceDefinitions) {
  const IntGrid s8 = make_grid(GridKind::SymmetricSigned, 8, -1.0f, 1.27f);
  EXPECT_FLOAT_EQ(s8.scale, 0.01f);
  EXPECT_EQ(s8.quantize(1.27f), 127);
  EXPECT_EQ(s8.quantize(-5.0f), -127);
  EXPECT_EQ(s8.quantize(0.025f), 2);  // 2.5 → 2: half to even
  EXPECT_EQ(s8.quantize(0.035f), 4);  // 3.5 → 4
  const IntGrid a4 = make_grid(GridKind::Affine, 4, -1.0f, 3.0f);
  EXPECT_FLOAT_EQ(a4.scale, 4.0f / 15.0f);
  EXPECT_EQ(a4.zero, 4);  // round(3.75)
  EXPECT_EQ(a4.dequantize(a4.quantize(0.0f)), 0.0f);
  const IntGrid o4 = make_grid(GridKind::SymmetricOffset, 4, -1.5f, 0.5f);
  EXPECT_FLOAT_EQ(o4.scale, 0.2f);
  EXPECT_EQ(o4.zero, 8);
  EXPECT_EQ(o4.quantize(-1.5f), 0);
  EXPECT_EQ(o4.quantize(1.5f), 15);  // 7.5 → 8 → clamped to 15: +absmax is not reachable
  // Ranges not containing zero are widened to contain it.
  const IntGrid pos = make_grid(GridKind::Affine, 8, 2.0f, 4.0f);
  EXPECT_EQ(pos.zero, 0);
  EXPECT_EQ(pos.dequantize(pos.quantize(0.0f)), 0.0f);
  // All-zero input: any scale works; codes are the zero code.
  const IntGrid z = make_grid(GridKind::SymmetricSigned, 8, 0.0f, 0.0f);
  EXPECT_EQ(z.quantize(0.0f), 0);
  EXPECT_THROW(parse_range_rule("median"), InputError);
}

TEST(IntGrid, ErrorWithinHalfAStepInsideTheRange) {
  for (GridKind kind : {GridKind::SymmetricSigned, GridKind::SymmetricOffset, GridKind::Affine}) {
    for (int bits : {2, 3, 4, 8}) {
      const auto v = random_matrix(513, static_cast<uint64_t>(bits) * 7 + static_cast<int>(kind));
      const IntGrid g = choose_grid(v, kind, bits, {});
      const float lo = g.dequantize(g.qmin), hi = g.dequantize(g.qmax);
      for (float x : v) {
        const int32_t q = g.quantize(x);
        ASSERT_GE(q, g.qmin);
        ASSERT_LE(q, g.qmax);
        if (x >= lo && x <= hi) {
          ASSERT_LE(std::fabs(g.dequantize(q) - x), g.scale * 0.5f + 1e-6f);
        }
      }
    }
  }
}

TEST(IntGrid, MseAndPercentileRulesClipOutliers) {
  auto v = random_matrix(4096, 3);
  v[17] = 40.0f;  // one outlier
  const IntGrid minmax = choose_grid(v, GridKind::SymmetricSigned, 4, {});
  const IntGrid mse = choose_grid(v, GridKind::SymmetricSigned, 4, {RangeRule::Mse, 99.99, 50});
  const IntGrid pct =
      choose_grid(v, GridKind::SymmetricSigned, 4, {RangeRule::Percentile, 99.0, 50});
  EXPECT_LE(grid_squared_error(v, mse), grid_squared_error(v, minmax));
  EXPECT_LT(mse.scale, minmax.scale);
  EXPECT_LT(pct.scale, minmax.scale / 5);
}

TEST(GroupQuant, Int4GroupsRoundTripWithinTheirSteps) {
  const int64_t rows = 7, cols = 300, group = 128;  // cols not a multiple of the group
  const auto w = random_matrix(rows * cols, 9);
  for (GridKind kind : {GridKind::SymmetricOffset, GridKind::Affine}) {
    const GroupCodes q = quantize_groups(w, rows, cols, group, kind, 4, {}, round_to_fp16);
    EXPECT_EQ(q.groups(), 3);
    std::vector<float> back(rows * cols);
    dequantize_groups(q, kind, back);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        const float scale = q.scales[r * 3 + c / group];
        EXPECT_EQ(round_to_fp16(scale), scale);  // stored scales are exact FP16 values
        ASSERT_LE(q.codes[r * cols + c], 15);
        // Symmetric-offset cannot reach +absmax (code 15 is +7·scale): allow one step there.
        ASSERT_LE(std::fabs(back[r * cols + c] - w[r * cols + c]), scale * 1.01f);
      }
  }
}

TEST(GroupQuant, PerChannelInt8IsGroupEqualToRow) {
  const int64_t rows = 4, cols = 33;
  const auto w = random_matrix(rows * cols, 2);
  const GroupCodes q = quantize_groups(w, rows, cols, cols, GridKind::SymmetricSigned, 8, {});
  EXPECT_EQ(q.groups(), 1);
  for (int64_t r = 0; r < rows; ++r) {
    float absmax = 0;
    for (int64_t c = 0; c < cols; ++c) absmax = std::max(absmax, std::fabs(w[r * cols + c]));
    EXPECT_FLOAT_EQ(q.scales[r], absmax / 127.0f);
  }
  std::vector<float> back(rows * cols);
  dequantize_groups(q, GridKind::SymmetricSigned, back);
  for (int64_t i = 0; i < rows * cols; ++i)
    ASSERT_LE(std::fabs(back[i] - w[i]), q.scales[i / cols] * 0.5f + 1e-7f);
}

TEST(GroupQuant, NibblesPackLowFirstAndRoundTrip) {
  const std::vector<uint8_t> codes = {1, 2, 3, 4, 5, 15, 0, 9, 10};  // 3 rows of 3 (odd)
  const auto packed = pack_nibbles(codes, 3, 3);
  ASSERT_EQ(packed.size(), 6u);
  EXPECT_EQ(packed[0], 0x21);  // element 0 in the low nibble, element 1 in the high
  EXPECT_EQ(packed[1], 0x03);  // odd tail: high nibble 0
  EXPECT_EQ(unpack_nibbles(packed, 3, 3), codes);
  Rng rng(4);
  std::vector<uint8_t> many(37 * 101);
  for (auto& c : many) c = static_cast<uint8_t>(rng.below(16));
  EXPECT_EQ(unpack_nibbles(pack_nibbles(many, 37, 101), 37, 101), many);
}

TEST(Nf4, CodebookEncodingAndTies) {
  const auto& cb = nf4_codebook();
  for (uint8_t i = 0; i < 16; ++i) EXPECT_EQ(nf4_encode(cb[i]), i);
  EXPECT_EQ(nf4_encode(2.0f), 15);
  EXPECT_EQ(nf4_encode(-2.0f), 0);
  const float mid = (cb[7] + cb[8]) * 0.5f;
  EXPECT_EQ(nf4_encode(mid), 7);  // exactly halfway: the lower index
  EXPECT_EQ(nf4_encode(std::nextafter(mid, 1.0f)), 8);
}

TEST(Nf4, BlocksRoundTripToTheNearestCode) {
  const int64_t rows = 5, cols = 130, block = 64;
  const auto w = random_matrix(rows * cols, 12);
  const GroupCodes q = quantize_nf4(w, rows, cols, block);
  std::vector<float> back(rows * cols);
  dequantize_nf4(q, back);
  const auto& cb = nf4_codebook();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      const float scale = q.scales[r * q.groups() + c / block];
      const float x = w[r * cols + c] / scale;
      const float chosen = std::fabs(back[r * cols + c] / scale - x);
      for (float code : cb) ASSERT_LE(chosen, std::fabs(code - x) + 1e-6f);
    }
}

}  // namespace
}  // namespace qz
