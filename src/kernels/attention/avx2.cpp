// The int8-cache attention products compiled for avx2 (flags set on this file alone).
#include "kernels/simd/avx2.h"
#include "kernels/attention/attention_isa.h"
#include "kernels/attention/generic_attention.h"

namespace qz::kernels {

const AttentionIsaKernels* f32_int8kv_f32_attention__avx2() {
  static constexpr AttentionIsaKernels kernels = {&generic::int8_scores<simd::Avx2>,
                                                  &generic::int8_weighted_sum<simd::Avx2>};
  return &kernels;
}

}  // namespace qz::kernels
