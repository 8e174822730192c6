#include "core/minifloat.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/rng.h"

namespace qz {
namespace {

bool is_nan_code(uint16_t c, MiniFloat f) {
  return std::isnan(decode_minifloat(c, f));
}

float from_bits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

TEST(MiniFloat, PublishedConstants) {
  EXPECT_EQ(minifloat_max(MiniFloat::F16), 65504.0f);
  EXPECT_EQ(minifloat_max(MiniFloat::E4M3), 448.0f);
  EXPECT_EQ(minifloat_max(MiniFloat::E5M2), 57344.0f);
  EXPECT_EQ(e4m3_to_float(0x7E), 448.0f);        // S.1111.110
  EXPECT_TRUE(std::isnan(e4m3_to_float(0x7F)));  // S.1111.111
  EXPECT_TRUE(std::isnan(e4m3_to_float(0xFF)));
  EXPECT_EQ(e4m3_to_float(0x08), std::ldexp(1.0f, -6));  // min normal
  EXPECT_EQ(e4m3_to_float(0x01), std::ldexp(1.0f, -9));  // min subnormal
  EXPECT_EQ(e5m2_to_float(0x7C), INFINITY);              // S.11111.00
  EXPECT_TRUE(std::isnan(e5m2_to_float(0x7D)));
  EXPECT_EQ(e5m2_to_float(0x04), std::ldexp(1.0f, -14));
  EXPECT_EQ(e5m2_to_float(0x01), std::ldexp(1.0f, -16));
  EXPECT_EQ(fp16_to_float(0x3C00), 1.0f);
  EXPECT_EQ(fp16_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(bf16_to_float(0x3F80), 1.0f);
}

// Every code decodes to a value that encodes back to the same code (NaNs to the format's NaN).
void exhaustive_round_trip(MiniFloat f, uint32_t codes) {
  for (uint32_t c = 0; c < codes; ++c) {
    const float v = decode_minifloat(static_cast<uint16_t>(c), f);
    const uint16_t back = encode_minifloat(v, f);
    if (std::isnan(v)) {
      ASSERT_TRUE(is_nan_code(back, f)) << std::hex << c;
      ASSERT_EQ(std::signbit(decode_minifloat(back, f)), std::signbit(v)) << std::hex << c;
    } else {
      ASSERT_EQ(back, c) << "code 0x" << std::hex << c << " value " << v;
    }
  }
}

TEST(MiniFloat, ExhaustiveRoundTripE4M3) {
  exhaustive_round_trip(MiniFloat::E4M3, 256);
}
TEST(MiniFloat, ExhaustiveRoundTripE5M2) {
  exhaustive_round_trip(MiniFloat::E5M2, 256);
}
TEST(MiniFloat, ExhaustiveRoundTripF16) {
  exhaustive_round_trip(MiniFloat::F16, 65536);
}
TEST(MiniFloat, ExhaustiveRoundTripBF16) {
  exhaustive_round_trip(MiniFloat::BF16, 65536);
}

// Between two adjacent finite codes, the midpoint rounds to the even code, and points just
// inside either side round to that side.
void midpoints_round_to_even(MiniFloat f, uint32_t positive_codes) {
  for (uint32_t c = 0; c + 1 < positive_codes; ++c) {
    const double lo = decode_minifloat(static_cast<uint16_t>(c), f);
    const double hi = decode_minifloat(static_cast<uint16_t>(c + 1), f);
    if (!std::isfinite(lo) || !std::isfinite(hi)) continue;
    const double mid = (lo + hi) / 2;
    if (static_cast<double>(static_cast<float>(mid)) != mid) continue;  // not a float
    const uint16_t even = (c % 2 == 0) ? c : c + 1;
    ASSERT_EQ(encode_minifloat(static_cast<float>(mid), f), even) << "between 0x" << std::hex << c;
    ASSERT_EQ(encode_minifloat(std::nextafter(static_cast<float>(mid), -1.0f), f), c);
    ASSERT_EQ(encode_minifloat(std::nextafter(static_cast<float>(mid), 1e30f), f), c + 1);
    ASSERT_EQ(encode_minifloat(static_cast<float>(-mid), f),
              static_cast<uint16_t>(even | (positive_codes)));
  }
}

TEST(MiniFloat, MidpointsRoundToEvenE4M3) {
  midpoints_round_to_even(MiniFloat::E4M3, 128);
}
TEST(MiniFloat, MidpointsRoundToEvenE5M2) {
  midpoints_round_to_even(MiniFloat::E5M2, 128);
}
TEST(MiniFloat, MidpointsRoundToEvenF16) {
  midpoints_round_to_even(MiniFloat::F16, 32768);
}

TEST(MiniFloat, OverflowSaturatesOrBecomesInfinity) {
  EXPECT_EQ(float_to_e4m3(1e6f), 0x7E);
  EXPECT_EQ(float_to_e4m3(-1e6f), 0xFE);
  EXPECT_EQ(float_to_e4m3(464.0f), 0x7E);  // halfway past the max still saturates
  EXPECT_EQ(float_to_e4m3(INFINITY), 0x7E);
  EXPECT_EQ(float_to_e4m3(NAN), 0x7F);
  EXPECT_EQ(float_to_e5m2(1e6f), 0x7B);       // 57344, saturating
  EXPECT_EQ(float_to_e5m2(-INFINITY), 0xFC);  // E5M2 keeps infinities
  EXPECT_TRUE(std::isnan(e5m2_to_float(float_to_e5m2(NAN))));
  EXPECT_EQ(float_to_fp16(65519.0f), 0x7BFF);
  EXPECT_EQ(float_to_fp16(65520.0f), 0x7C00);  // rounds up to Inf (IEEE)
  EXPECT_EQ(float_to_fp16(-1e9f), 0xFC00);
  EXPECT_EQ(float_to_fp16(std::ldexp(1.0f, -25)),
            0x0000);  // half the min subnormal: ties to even 0
  EXPECT_EQ(float_to_fp16(std::ldexp(1.5f, -25)), 0x0001);
  EXPECT_EQ(float_to_fp16(-0.0f), 0x8000);
}

TEST(MiniFloat, Bf16BitTrickMatchesTheReference) {
  Rng rng(11);
  for (int i = 0; i < 2'000'000; ++i) {
    const float x = from_bits(static_cast<uint32_t>(rng.next()));
    const uint16_t a = float_to_bf16(x), b = encode_minifloat(x, MiniFloat::BF16);
    if (std::isnan(x)) {
      ASSERT_EQ(a, b);
      continue;
    }
    ASSERT_EQ(a, b) << std::hexfloat << x;
  }
}

TEST(MiniFloat, RandomFloatsRoundToANearestCode) {
  Rng rng(5);
  for (MiniFloat f : {MiniFloat::F16, MiniFloat::E4M3, MiniFloat::E5M2}) {
    const double max = minifloat_max(f);
    for (int i = 0; i < 200000; ++i) {
      const float x = static_cast<float>(rng.uniform(-max, max));
      const uint16_t c = encode_minifloat(x, f);
      const double err = std::fabs(decode_minifloat(c, f) - static_cast<double>(x));
      // No neighbour of the chosen code is strictly closer.
      for (int d : {-1, 1}) {
        const uint16_t n = static_cast<uint16_t>(c + d);
        const float nv = decode_minifloat(n, f);
        if (std::isfinite(nv) && std::signbit(nv) == std::signbit(decode_minifloat(c, f))) {
          ASSERT_LE(err, std::fabs(nv - static_cast<double>(x))) << x;
        }
      }
    }
  }
}

}  // namespace
}  // namespace qz
