// The activation quantizers of every ISA level this CPU has give the reference's codes, scales
// and zero points exactly, on awkward widths and on rows holding NaN, ±Inf, ties and constants.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/rng.h"
#include "kernels/gemm_u8s8/gemm_u8s8.h"

namespace qz::kernels {
namespace {

// Rows of several kinds: random normal, all positive, all negative, constant, all zero,
// exact half-step ties, and values with NaN and infinities mixed in.
std::vector<float> awkward_rows(Rng& rng, int64_t m, int64_t k) {
  std::vector<float> x(m * k);
  for (int64_t r = 0; r < m; ++r) {
    float* row = x.data() + r * k;
    for (int64_t c = 0; c < k; ++c) {
      const float v = static_cast<float>(rng.normal() * 3.0);
      switch (r % 7) {
        case 0:
          row[c] = v;
          break;
        case 1:
          row[c] = std::fabs(v) + 0.5f;
          break;
        case 2:
          row[c] = -std::fabs(v) - 0.5f;
          break;
        case 3:
          row[c] = 1.25f;
          break;
        case 4:
          row[c] = 0.0f;
          break;
        case 5:
          row[c] = static_cast<float>(c % 256) - 127.5f;
          break;  // ties at the grid steps
        default:
          row[c] = c % 5 == 1   ? std::numeric_limits<float>::quiet_NaN()
                   : c % 9 == 2 ? std::numeric_limits<float>::infinity()
                                : v;
      }
    }
  }
  return x;
}

TEST(QuantizeU8, EveryIsaEqualsTheReferenceExactly) {
  Rng rng(77);
  for (Isa isa : supported_isas()) {
    for (int64_t m : {1, 3, 7, 40}) {
      for (int64_t k : {1, 7, 8, 9, 15, 16, 17, 33, 100, 1031}) {
        const std::vector<float> x = awkward_rows(rng, m, k);
        std::vector<uint8_t> ref(m * k), got(m * k, 3);
        std::vector<float> sref(m), sgot(m);
        std::vector<int32_t> zref(m), zgot(m);
        quantize_rows_u8_ref(x.data(), m, k, ref.data(), sref.data(), zref.data());
        quantize_rows_u8_on(isa, x.data(), m, k, got.data(), sgot.data(), zgot.data());
        ASSERT_EQ(got, ref) << isa_name(isa) << " m=" << m << " k=" << k;
        ASSERT_EQ(sgot, sref) << isa_name(isa) << " m=" << m << " k=" << k;
        ASSERT_EQ(zgot, zref) << isa_name(isa) << " m=" << m << " k=" << k;

        std::vector<uint8_t> fixed_ref(m * k), fixed_got(m * k, 3);
        quantize_fixed_u8_ref(x.data(), m * k, 0.05f, 131, fixed_ref.data());
        quantize_fixed_u8_on(isa, x.data(), m * k, 0.05f, 131, fixed_got.data());
        ASSERT_EQ(fixed_got, fixed_ref) << isa_name(isa) << " m=" << m << " k=" << k;
      }
    }
  }
}

TEST(QuantizeU8, LargeInputsSplitAcrossThreadsMatch) {
  // Enough rows and elements that the dispatched quantizers split the work.
  Rng rng(5);
  const int64_t m = 300, k = 257;
  const std::vector<float> x = awkward_rows(rng, m, k);
  std::vector<uint8_t> ref(m * k), got(m * k);
  std::vector<float> sref(m), sgot(m);
  std::vector<int32_t> zref(m), zgot(m);
  quantize_rows_u8_ref(x.data(), m, k, ref.data(), sref.data(), zref.data());
  quantize_rows_u8(x.data(), m, k, got.data(), sgot.data(), zgot.data());
  EXPECT_EQ(got, ref);
  EXPECT_EQ(sgot, sref);
  EXPECT_EQ(zgot, zref);
}

}  // namespace
}  // namespace qz::kernels
