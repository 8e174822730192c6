// The int8-cache attention products written once over a vector-traits type V (kernels/simd/),
// which supplies load_i8: W int8 codes as W floats. Like matmul/generic_matmul.h it lives in an
// anonymous namespace and calls no standard-library templates, so each ISA's file keeps its own
// copy. x86 only (V::sum4 returns an SSE vector).
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "kernels/attention/attention_isa.h"

namespace qz::kernels::generic {
namespace {

template <class V>
float dot_i8(const float* q, const int8_t* k, int64_t head_dim) {
  typename V::F acc = V::zero();
  int64_t d = 0;
  for (; d + V::W <= head_dim; d += V::W) acc = V::fma(V::load(q + d), V::load_i8(k + d), acc);
  float s = V::sum(acc);
  for (; d < head_dim; ++d) s += q[d] * static_cast<float>(k[d]);
  return s;
}

// Four positions at a time end in one reduction tree (V::sum4), so the horizontal sums cost a
// quarter as much; the rest one by one.
template <class V>
void int8_scores(const float* q, const int8_t* keys, const float* key_scales, int64_t length,
                 int64_t head_dim, float scale, float* scores) {
  int64_t j = 0;
  if (head_dim % V::W == 0) {
    for (; j + 4 <= length; j += 4) {
      typename V::F acc[4] = {V::zero(), V::zero(), V::zero(), V::zero()};
      for (int64_t d = 0; d < head_dim; d += V::W) {
        const typename V::F qv = V::load(q + d);
        for (int r = 0; r < 4; ++r)
          acc[r] = V::fma(qv, V::load_i8(keys + (j + r) * head_dim + d), acc[r]);
      }
      float sums[4];
      _mm_storeu_ps(sums, V::sum4(acc));
      for (int r = 0; r < 4; ++r) scores[j + r] = scale * key_scales[j + r] * sums[r];
    }
  }
  for (; j < length; ++j)
    scores[j] = scale * key_scales[j] * dot_i8<V>(q, keys + j * head_dim, head_dim);
}

template <class V>
void int8_weighted_sum(const float* weights, const int8_t* values, int64_t length, int64_t head_dim,
                       float* out) {
  int64_t d = 0;
  // Four vectors of outputs stay in registers across all positions.
  for (; d + 4 * V::W <= head_dim; d += 4 * V::W) {
    typename V::F acc[4] = {V::zero(), V::zero(), V::zero(), V::zero()};
    for (int64_t j = 0; j < length; ++j) {
      const typename V::F w = V::set1(weights[j]);
      const int8_t* v = values + j * head_dim + d;
      for (int r = 0; r < 4; ++r) acc[r] = V::fma(w, V::load_i8(v + r * V::W), acc[r]);
    }
    for (int r = 0; r < 4; ++r) V::store(out + d + r * V::W, acc[r]);
  }
  for (; d + V::W <= head_dim; d += V::W) {
    typename V::F acc = V::zero();
    for (int64_t j = 0; j < length; ++j)
      acc = V::fma(V::set1(weights[j]), V::load_i8(values + j * head_dim + d), acc);
    V::store(out + d, acc);
  }
  for (; d < head_dim; ++d) {
    float acc = 0;
    for (int64_t j = 0; j < length; ++j)
      acc += weights[j] * static_cast<float>(values[j * head_dim + d]);
    out[d] = acc;
  }
}

}  // namespace
}  // namespace qz::kernels::generic
