// The epilogue's SiLU (a vectorizable e^x, not libm's) against the formula in double precision,
// and the row loop against the one-value function on a row with a vector body and a tail (to 4
// ulp: an AArch64 build may contract the vector and scalar forms into FMAs differently).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernels/epilogue.h"

namespace qz::kernels {
namespace {

TEST(Epilogue, SiluIsWithinAFewUlpOfTheFormula) {
  for (double v = -30.0; v <= 30.0; v += 0.001) {
    const float x = static_cast<float>(v);
    const double want = x / (1.0 + std::exp(-static_cast<double>(x)));
    ASSERT_NEAR(activate(x, Activation::Silu), want, 4e-7 * std::fabs(want) + 1e-30) << x;
  }
  // Far tails: the identity above, a vanishing negative value below; NaN stays NaN.
  EXPECT_FLOAT_EQ(activate(200.0f, Activation::Silu), 200.0f);
  EXPECT_LE(std::fabs(activate(-200.0f, Activation::Silu)), 1e-30f);
  EXPECT_LE(activate(-200.0f, Activation::Silu), 0.0f);
  EXPECT_TRUE(std::isnan(activate(std::numeric_limits<float>::quiet_NaN(), Activation::Silu)));
}

TEST(Epilogue, RowsEqualTheOneValueFunction) {
  const int64_t rows = 3, ld = 37;
  std::vector<float> bias(ld);
  for (int64_t n = 0; n < ld; ++n) bias[n] = 0.1f * static_cast<float>(n % 7) - 0.3f;
  for (Activation a : {Activation::None, Activation::Relu, Activation::Gelu, Activation::Silu}) {
    std::vector<float> y(rows * ld);
    for (size_t i = 0; i < y.size(); ++i) y[i] = 0.37f * static_cast<float>(i % 41) - 7.0f;
    const std::vector<float> before = y;
    apply_epilogue({bias.data(), a}, y.data(), rows, ld, 2, 35);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t n = 0; n < ld; ++n) {
        const float x = before[r * ld + n];
        const float want = n >= 2 && n < 35 ? activate(x + bias[n], a) : x;
        ASSERT_FLOAT_EQ(y[r * ld + n], want) << activation_name(a) << " row " << r << " col " << n;
      }
  }
}

}  // namespace
}  // namespace qz::kernels
