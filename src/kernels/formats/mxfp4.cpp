// MXFP4 (OCP Microscaling Formats v1.0): blocks of 32 weights, each an E2M1 value (sign,
// 2 exponent bits, 1 mantissa bit: magnitudes 0, 0.5, 1, 1.5, 2, 3, 4, 6; no Inf or NaN),
// sharing one E8M0 scale X = 2^(floor(log2 amax) − 2) — E2M1's largest exponent is 2, so the
// block's absmax lands in [4, 8) and saturates at 6. Stored as compressed-tensors does:
// weight_packed (two codes per byte, low nibble first) and weight_scale U8 [N, ceil(K/32)].
// Departure from llama.cpp's MXFP4 blocks (which store doubled magnitudes and 2^(e − 128)):
// none in value — the same weights, the OCP encoding.
#include <cmath>

#include "core/e8m0.h"
#include "kernels/format_table.h"

namespace qz::kernels {
namespace {

constexpr std::array<float, 16> kE2M1 = {0.0f,  0.5f,  1.0f,  1.5f,  2.0f,  3.0f,  4.0f,  6.0f,
                                         -0.0f, -0.5f, -1.0f, -1.5f, -2.0f, -3.0f, -4.0f, -6.0f};

// The E2M1 code nearest to v, ties to the even code (an even mantissa), saturating at ±6.
uint8_t e2m1_encode(float v) {
  const uint8_t sign = std::signbit(v) ? 8 : 0;
  const float a = std::fabs(v);
  if (!(a == a)) return 0;  // NaN: no E2M1 code; model weights are checked finite at load
  for (uint8_t i = 0; i < 7; ++i) {
    const float mid = (kE2M1[i] + kE2M1[i + 1]) * 0.5f;
    if (a < mid || (a == mid && i % 2 == 0)) return sign | i;
    if (a == mid) return sign | static_cast<uint8_t>(i + 1);
  }
  return sign | 7;
}

StoredWeights quantize_mxfp4(std::span<const float> w, int64_t n, int64_t k,
                             const QuantizeSettings&) {
  constexpr int64_t kBlock = 32;
  GroupCodes g;
  g.rows = n;
  g.cols = k;
  g.group = kBlock;
  const int64_t groups = g.groups();
  g.codes.resize(static_cast<size_t>(n * k));
  g.scales.resize(static_cast<size_t>(n * groups));
  for (int64_t r = 0; r < n; ++r)
    for (int64_t b = 0; b < groups; ++b) {
      const int64_t begin = b * kBlock, end = std::min(k, begin + kBlock);
      float amax = 0;
      for (int64_t c = begin; c < end; ++c) amax = std::fmax(amax, std::fabs(w[r * k + c]));
      int exponent = 1;                           // an all-zero block: scale 2^0, every code 0
      if (amax > 0) std::frexp(amax, &exponent);  // amax = m·2^exponent, m in [0.5, 1)
      const float scale = e8m0_to_float(e8m0_from_exponent(exponent - 1 - 2));
      g.scales[r * groups + b] = scale;
      for (int64_t c = begin; c < end; ++c) g.codes[r * k + c] = e2m1_encode(w[r * k + c] / scale);
    }
  return store_group_codes(WeightFormat::MXFP4, g);
}

}  // namespace

const FormatRow& format_row_MXFP4() {
  static const FormatRow row{WeightFormat::MXFP4, "mxfp4", 0, false, kE2M1, &quantize_mxfp4};
  return row;
}

}  // namespace qz::kernels
