// The int8-cache attention products compiled for avx512 (flags set on this file alone).
#include "kernels/simd/avx512.h"
#include "kernels/attention/attention_isa.h"
#include "kernels/attention/generic_attention.h"

namespace qz::kernels {

const AttentionIsaKernels* f32_int8kv_f32_attention__avx512() {
  static constexpr AttentionIsaKernels kernels = {&generic::int8_scores<simd::Avx512>,
                                                  &generic::int8_weighted_sum<simd::Avx512>};
  return &kernels;
}

}  // namespace qz::kernels
