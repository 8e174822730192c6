#include "kernels/kernel_config.h"

#include <array>

#include "core/cpu_features.h"
#include "core/error.h"

namespace qz::kernels {
namespace {

KernelConfig fill(Isa isa) {
  KernelConfig c;
  switch (isa) {
#if defined(__x86_64__)
    case Isa::Avx2:
      c.f32_x_stored = f32_wq_f32_matmul__avx2();
      c.f32_x_bitmask = f32_bitmask_f32_matmul__avx2();
      c.u8_quantizers = u8_quantizers__avx2();
      c.u8_x_s8 = u8_s8_f32_gemm__avx2();
      c.u8_x_s8_packed = u8_s8_f32_packed_gemm__avx2();
      c.u8_x_q4 = q4_u8_f32_gemm__avx2();
      c.f32_x_int8_kv = f32_int8kv_f32_attention__avx2();
      break;
    case Isa::Avx512:
      c.f32_x_stored = f32_wq_f32_matmul__avx512();
      c.f32_x_bitmask = f32_bitmask_f32_matmul__avx512();
      c.u8_quantizers = u8_quantizers__avx512();
      c.u8_x_s8 = u8_s8_f32_gemm__avx512vnni();
      c.u8_x_s8_packed = u8_s8_f32_packed_gemm__avx512vnni();
      c.u8_x_q4 = q4_u8_f32_gemm__avx512vnni();
      c.f32_x_int8_kv = f32_int8kv_f32_attention__avx512();
      break;
#elif defined(__aarch64__)
    case Isa::Neon:
      c.f32_x_stored = f32_wq_f32_matmul__neon();
      c.f32_x_bitmask = f32_bitmask_f32_matmul__neon();
      c.u8_quantizers = u8_quantizers__neon();
      // sdot where the CPU has the dot-product extension, widening multiply-adds elsewhere.
      c.u8_x_s8 =
          cpu_features().neon_dotprod ? u8_s8_f32_gemm__neon_dotprod() : u8_s8_f32_gemm__neon();
      c.u8_x_q4 = q4_u8_f32_gemm__neon();
      break;
#endif
    default:  // Ref, and a level of another architecture: every family's reference
      break;
  }
  return c;
}

}  // namespace

const KernelConfig& kernel_config(Isa isa) {
  static const std::array<KernelConfig, 4> configs = {fill(Isa::Ref), fill(Isa::Avx2),
                                                      fill(Isa::Avx512), fill(Isa::Neon)};
  const auto at = static_cast<size_t>(isa);
  QZ_ASSERT(at < configs.size(), "unknown ISA level");
  return configs[at];
}

}  // namespace qz::kernels
