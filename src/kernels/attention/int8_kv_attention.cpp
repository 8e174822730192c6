#include "kernels/attention/int8_kv_attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/kernel_config.h"

namespace qz::kernels {
void int8_kv_attention_on(Isa isa, const float* q, const Int8KvView& c, int64_t length, float scale,
                          float* out) {
  const AttentionIsaKernels* k = kernel_config(isa).f32_x_int8_kv;
  if (k == nullptr) {
    int8_kv_attention_ref(q, c, length, scale, out);
    return;
  }
  const int64_t hd = c.head_dim;
  // A head is 2·length·head_dim multiply-adds: split only when there are enough of them.
  const int64_t grain = std::max<int64_t>(1, 65536 / std::max<int64_t>(1, length * hd));
  parallel_for(c.heads, grain, [&](int64_t h0, int64_t h1) {
    thread_local std::vector<float> p;
    p.resize(static_cast<size_t>(length));
    for (int64_t h = h0; h < h1; ++h) {
      const int64_t at = h * c.capacity;
      k->int8_scores(q + h * hd, c.keys + at * hd, c.key_scales + at, length, hd, scale, p.data());
      const float top = *std::max_element(p.begin(), p.end());
      float total = 0;
      for (float& v : p) total += v = std::exp(v - top);
      // The softmax's normaliser and each value vector's scale fold into one weight.
      const float* vs = c.value_scales + at;
      for (int64_t j = 0; j < length; ++j) p[j] *= vs[j] / total;
      k->int8_weighted_sum(p.data(), c.values + at * hd, length, hd, out + h * hd);
    }
  });
}

void int8_kv_attention(const float* q, const Int8KvView& cache, int64_t length, float scale,
                       float* out) {
  int8_kv_attention_on(active_isa(), q, cache, length, scale, out);
}

void int8_kv_quantize(const float* x, int64_t n, int64_t head_dim, int8_t* codes, float* scales) {
  for (int64_t i = 0; i < n; ++i) {
    const float* v = x + i * head_dim;
    float amax = 0;
    for (int64_t d = 0; d < head_dim; ++d) amax = std::max(amax, std::fabs(v[d]));
    const float s = std::max(amax / 127.0f, 1e-12f);
    scales[i] = s;
    for (int64_t d = 0; d < head_dim; ++d)
      codes[i * head_dim + d] =
          static_cast<int8_t>(std::clamp(std::nearbyint(v[d] / s), -127.0f, 127.0f));
  }
}

}  // namespace qz::kernels
