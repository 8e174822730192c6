// The fused int8-cache attention: every ISA level this CPU has against the double reference on
// random caches of awkward lengths and head sizes, and the reference against attention over the
// dequantized cache written out step by step; the cache quantizer against its formula.
#include "kernels/attention/int8_kv_attention.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.h"

namespace qz::kernels {
namespace {

struct RandomCache {
  std::vector<int8_t> keys, values;
  std::vector<float> key_scales, value_scales, q;
  Int8KvView view;
};

RandomCache random_cache(int64_t heads, int64_t capacity, int64_t hd, Rng& rng) {
  RandomCache c;
  const auto codes = static_cast<size_t>(heads * capacity * hd);
  for (auto* v : {&c.keys, &c.values}) {
    v->resize(codes);
    for (auto& x : *v) x = static_cast<int8_t>(std::lround(rng.uniform() * 254.0 - 127.0));
  }
  for (auto* s : {&c.key_scales, &c.value_scales}) {
    s->resize(static_cast<size_t>(heads * capacity));
    for (auto& x : *s) x = static_cast<float>(0.001 + 0.03 * rng.uniform());
  }
  c.q.resize(static_cast<size_t>(heads * hd));
  for (auto& x : c.q) x = static_cast<float>(rng.normal());
  c.view = {c.keys.data(),
            c.key_scales.data(),
            c.values.data(),
            c.value_scales.data(),
            heads,
            capacity,
            hd};
  return c;
}

TEST(Int8KvAttention, EveryLevelMatchesTheReference) {
  Rng rng(11);
  for (int64_t hd : {1, 7, 8, 15, 16, 32, 33, 64, 80, 128})
    for (int64_t length : {1, 2, 3, 4, 5, 7, 33, 100}) {
      const int64_t heads = 3, capacity = length + 5;
      const RandomCache c = random_cache(heads, capacity, hd, rng);
      const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
      std::vector<float> want(static_cast<size_t>(heads * hd));
      int8_kv_attention_ref(c.q.data(), c.view, length, scale, want.data());
      for (Isa isa : supported_isas()) {
        std::vector<float> got(want.size(), NAN);
        int8_kv_attention_on(isa, c.q.data(), c.view, length, scale, got.data());
        for (size_t i = 0; i < want.size(); ++i)
          ASSERT_NEAR(got[i], want[i], 1e-5 * (1.0 + std::fabs(want[i])))
              << isa_name(isa) << " head_dim " << hd << " length " << length << " at " << i;
      }
    }
}

// The reference against the unfused computation: dequantize, scores, softmax, weighted sum.
TEST(Int8KvAttention, ReferenceIsAttentionOverTheDequantizedCache) {
  Rng rng(5);
  const int64_t heads = 2, capacity = 9, hd = 6, length = 7;
  const RandomCache c = random_cache(heads, capacity, hd, rng);
  std::vector<float> got(static_cast<size_t>(heads * hd));
  int8_kv_attention_ref(c.q.data(), c.view, length, 0.5f, got.data());
  for (int64_t h = 0; h < heads; ++h) {
    std::vector<double> p(length);
    double total = 0;
    for (int64_t j = 0; j < length; ++j) {
      double s = 0;
      for (int64_t d = 0; d < hd; ++d)
        s += c.q[h * hd + d] * c.keys[(h * capacity + j) * hd + d] * c.key_scales[h * capacity + j];
      p[j] = std::exp(0.5 * s);
      total += p[j];
    }
    for (int64_t d = 0; d < hd; ++d) {
      double want = 0;
      for (int64_t j = 0; j < length; ++j)
        want +=
            p[j] / total * c.values[(h * capacity + j) * hd + d] * c.value_scales[h * capacity + j];
      EXPECT_NEAR(got[h * hd + d], want, 1e-6 * (1 + std::fabs(want))) << h << " " << d;
    }
  }
}

TEST(Int8KvAttention, QuantizerKeepsEachVectorWithinHalfAStep) {
  Rng rng(3);
  const int64_t n = 5, hd = 13;
  std::vector<float> x(static_cast<size_t>(n * hd));
  for (auto& v : x) v = static_cast<float>(3 * rng.normal());
  for (int64_t d = 0; d < hd; ++d) x[d] = 0;  // an all-zero vector stays zero
  x[hd + 2] = 1e30f;                          // one huge value takes the whole range
  std::vector<int8_t> codes(x.size());
  std::vector<float> scales(n);
  int8_kv_quantize(x.data(), n, hd, codes.data(), scales.data());
  for (int64_t i = 0; i < n; ++i) {
    float amax = 0;
    for (int64_t d = 0; d < hd; ++d) amax = std::max(amax, std::fabs(x[i * hd + d]));
    EXPECT_EQ(scales[i], std::max(amax / 127.0f, 1e-12f)) << i;
    for (int64_t d = 0; d < hd; ++d) {
      const int c = codes[i * hd + d];
      EXPECT_LE(std::abs(c), 127);
      EXPECT_LE(std::fabs(x[i * hd + d] - c * scales[i]), 0.5f * scales[i] * (1 + 1e-6f))
          << i << " " << d;
    }
  }
  EXPECT_EQ(codes[hd + 2], 127);
  for (int64_t d = 0; d < hd; ++d) EXPECT_EQ(codes[d], 0);
}

}  // namespace
}  // namespace qz::kernels
