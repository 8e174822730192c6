// The measured arithmetic peaks: present at every vector level, and the int8 dot product
// retires more operations than the FP32 FMA.
#include <gtest/gtest.h>

#include "kernels/peak/peak.h"

namespace qz::kernels {
namespace {

TEST(ComputePeak, MeasuredWhereTheIsaHasTheInstruction) {
  for (Isa isa : supported_isas()) {
    const ComputePeak p = measure_compute_peak(isa);
    if (isa == Isa::Ref) {
      EXPECT_EQ(p.fp32_gflops, 0.0);
      EXPECT_EQ(p.int8_gops, 0.0);
      continue;
    }
    EXPECT_GT(p.fp32_gflops, 1.0) << isa_name(isa);
    EXPECT_GT(p.int8_gops, 0.0) << isa_name(isa);
    // Per instruction slot the int8 dot product does more than an FMA on x86: 64 multiply-adds
    // per vpdpbusd against 16, and 32 per AVX2 vpmaddubsw + vpmaddwd pair against 2 × 8. (NEON's
    // vmlal_s16 does 4, as many as an FMA.)
    if (isa == Isa::Neon) continue;
    EXPECT_GT(p.int8_gops, p.fp32_gflops)
        << isa_name(isa) << " int8 " << p.int8_gops << " fp32 " << p.fp32_gflops;
  }
}

}  // namespace
}  // namespace qz::kernels
