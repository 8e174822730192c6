// The u8×s8 GEMM compiled for neon with the ARMv8.2 dot-product extension (sdot; see
// simd/neon_dotprod.h for how unsigned activations meet it). Chosen at run time when the CPU
// reports asimddp (gemm_u8s8.cpp).
#include "kernels/simd/neon_dotprod.h"
#include "kernels/gemm_u8s8/gemm_u8s8_isa.h"
#include "kernels/gemm_u8s8/generic_gemm_u8s8.h"

namespace qz::kernels {

GemmU8S8Range u8_s8_f32_gemm__neon_dotprod() {
  return &generic::gemm_u8s8<simd::NeonDotprod>;
}

}  // namespace qz::kernels
