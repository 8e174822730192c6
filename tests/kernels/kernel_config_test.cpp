// The kernel configs: every vector level this build's architecture has names a kernel for every
// (activation, weight layout) pair, so no supported path falls back to the scalar reference,
// and the reference level names none.
#include <gtest/gtest.h>

#include "kernels/kernel_config.h"

namespace qz::kernels {
namespace {

TEST(KernelConfig, EveryVectorLevelHasAKernelForEveryPair) {
  for (Isa isa : kArchIsas) {
    if (isa == Isa::Ref) continue;
    const KernelConfig& c = kernel_config(isa);
    EXPECT_NE(c.f32_x_stored, nullptr) << isa_name(isa);
    EXPECT_NE(c.f32_x_bitmask, nullptr) << isa_name(isa);
    EXPECT_NE(c.u8_x_s8, nullptr) << isa_name(isa);
    EXPECT_NE(c.u8_x_q4, nullptr) << isa_name(isa);
    EXPECT_NE(c.u8_quantizers.rows, &quantize_rows_u8_ref) << isa_name(isa);
    EXPECT_NE(c.u8_quantizers.fixed, &quantize_fixed_u8_ref) << isa_name(isa);
    // VNNI panels where vpdpbusd or AVX2's spelling of it reads them
    // (kernels/gemm_u8s8/vnni_packed_weights.h); NEON keeps row-major weights.
    EXPECT_EQ(c.u8_x_s8_packed != nullptr, isa == Isa::Avx512 || isa == Isa::Avx2) << isa_name(isa);
    // The int8-cache attention has x86 kernels; NEON runs its reference.
    EXPECT_EQ(c.f32_x_int8_kv != nullptr, isa == Isa::Avx2 || isa == Isa::Avx512) << isa_name(isa);
  }
}

TEST(KernelConfig, TheReferenceLevelRunsEveryFamilysReference) {
  const KernelConfig& c = kernel_config(Isa::Ref);
  EXPECT_EQ(c.f32_x_stored, nullptr);
  EXPECT_EQ(c.f32_x_bitmask, nullptr);
  EXPECT_EQ(c.u8_x_s8, nullptr);
  EXPECT_EQ(c.u8_x_s8_packed, nullptr);
  EXPECT_EQ(c.u8_x_q4, nullptr);
  EXPECT_EQ(c.f32_x_int8_kv, nullptr);
  EXPECT_EQ(c.u8_quantizers.rows, &quantize_rows_u8_ref);
  EXPECT_EQ(c.u8_quantizers.fixed, &quantize_fixed_u8_ref);
}

}  // namespace
}  // namespace qz::kernels
