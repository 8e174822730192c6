// The table each ISA's attention source file fills (internal to kernels/attention/).
#pragma once

#include <cstdint>

namespace qz::kernels {

struct AttentionIsaKernels {
  // scores[j] = scale · key_scales[j] · (q · keys[j]) for j < length (keys [length, head_dim]).
  void (*int8_scores)(const float* q, const int8_t* keys, const float* key_scales, int64_t length,
                      int64_t head_dim, float scale, float* scores);
  // out = Σ_j weights[j] · values[j] for j < length (values [length, head_dim]); overwrites out.
  void (*int8_weighted_sum)(const float* weights, const int8_t* values, int64_t length,
                            int64_t head_dim, float* out);
};

const AttentionIsaKernels* f32_int8kv_f32_attention__avx2();
const AttentionIsaKernels* f32_int8kv_f32_attention__avx512();

}  // namespace qz::kernels
