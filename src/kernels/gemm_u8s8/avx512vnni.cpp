// The u8×s8 GEMM compiled for avx512vnni (flags set on this file alone in CMakeLists.txt).
#include "kernels/gemm_u8s8/gemm_u8s8_isa.h"
#include "kernels/gemm_u8s8/generic_gemm_u8s8.h"
#include "kernels/gemm_u8s8/generic_quantize_u8.h"
#include "kernels/simd/avx512.h"

namespace qz::kernels {

GemmU8S8Range u8_s8_f32_gemm__avx512vnni() {
  return &generic::gemm_u8s8<simd::Avx512>;
}

U8Quantizers u8_quantizers__avx512() {
  return {&generic::quantize_rows_u8<simd::Avx512>, &generic::quantize_fixed_u8<simd::Avx512>};
}

}  // namespace qz::kernels
