// The int8-cache attention reference: the formula of int8_kv_attention.h in double.
#include <cmath>
#include <vector>

#include "kernels/attention/int8_kv_attention.h"

namespace qz::kernels {

void int8_kv_attention_ref(const float* q, const Int8KvView& c, int64_t length, float scale,
                           float* out) {
  const int64_t hd = c.head_dim;
  std::vector<double> s(static_cast<size_t>(length));
  for (int64_t h = 0; h < c.heads; ++h) {
    const float* qh = q + h * hd;
    const int8_t* keys = c.keys + h * c.capacity * hd;
    const int8_t* values = c.values + h * c.capacity * hd;
    const float* ks = c.key_scales + h * c.capacity;
    const float* vs = c.value_scales + h * c.capacity;
    double top = -INFINITY;
    for (int64_t j = 0; j < length; ++j) {
      double dot = 0;
      for (int64_t d = 0; d < hd; ++d) dot += double(qh[d]) * keys[j * hd + d];
      s[j] = double(scale) * ks[j] * dot;
      top = std::max(top, s[j]);
    }
    double total = 0;
    for (int64_t j = 0; j < length; ++j) total += s[j] = std::exp(s[j] - top);
    for (int64_t d = 0; d < hd; ++d) {
      double acc = 0;
      for (int64_t j = 0; j < length; ++j) acc += s[j] * vs[j] * values[j * hd + d];
      out[h * hd + d] = static_cast<float>(acc / total);
    }
  }
}

}  // namespace qz::kernels
