// The u8×s8 GEMM and the activation quantizers compiled for plain neon (ARMv8-A): 16-bit
// widening multiply-adds, for AArch64 CPUs without the dot-product extension.
#include "kernels/simd/neon.h"
#include "kernels/gemm_u8s8/gemm_u8s8_isa.h"
#include "kernels/gemm_u8s8/generic_gemm_u8s8.h"
#include "kernels/gemm_u8s8/generic_quantize_u8.h"

namespace qz::kernels {

GemmU8S8Range u8_s8_f32_gemm__neon() {
  return &generic::gemm_u8s8<simd::Neon>;
}

U8Quantizers u8_quantizers__neon() {
  return {&generic::quantize_rows_u8<simd::Neon>, &generic::quantize_fixed_u8<simd::Neon>};
}

}  // namespace qz::kernels
