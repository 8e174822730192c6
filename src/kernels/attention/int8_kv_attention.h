// Decoding attention over an int8 key/value cache, fused: each head's one query vector attends
// over `length` cached positions whose keys and values are int8 codes with one FP32 scale per
// vector (nn/transformer.h's Int8 cache), reading the codes directly instead of dequantizing
// the cache into a float copy every step:
//   s_j = scale · ks_j · (q · kc_j),   p = softmax(s),   out = Σ_j p_j · vs_j · vc_j.
// The vector kernels (AVX2, AVX-512) compute the two products; the softmax between them is
// shared. Tolerance against the reference (double sums): 1e-5 relative.
#pragma once

#include <cstdint>

#include "kernels/isa.h"

namespace qz::kernels {

// A cache laid out as nn::LayerKvCache holds it: codes [heads, capacity, head_dim] and scales
// [heads, capacity], heads being (sequence, head) pairs.
struct Int8KvView {
  const int8_t* keys = nullptr;
  const float* key_scales = nullptr;
  const int8_t* values = nullptr;
  const float* value_scales = nullptr;
  int64_t heads = 0, capacity = 0, head_dim = 0;
};

// q [heads, head_dim] → out [heads, head_dim] over positions [0, length), 1 ≤ length ≤
// capacity, split over the thread pool by head.
void int8_kv_attention(const float* q, const Int8KvView& cache, int64_t length, float scale,
                       float* out);
void int8_kv_attention_on(Isa isa, const float* q, const Int8KvView& cache, int64_t length,
                          float scale, float* out);
// The reference: the formula above in double.
void int8_kv_attention_ref(const float* q, const Int8KvView& cache, int64_t length, float scale,
                           float* out);

// Vectors x [n, head_dim] → int8 codes [n, head_dim] and scales [n]: scale = max(absmax / 127,
// 1e-12), code = clamp(round-half-even(x / scale), −127, 127) — the formula of
// nn::int8_kv_round_trip, bit for bit.
void int8_kv_quantize(const float* x, int64_t n, int64_t head_dim, int8_t* codes, float* scales);

}  // namespace qz::kernels
