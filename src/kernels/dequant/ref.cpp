#include <cstring>
#include <vector>

#include "core/minifloat.h"
#include "core/nf4.h"
#include "kernels/dequant/dequantize.h"

namespace qz::kernels {
namespace {

// Decoding tables built once from the reference decoders: every code, bit-exact.
const std::vector<float>& decode_table(MiniFloat f) {
  static const std::vector<float> f16 = [] {
    std::vector<float> t(65536);
    for (uint32_t c = 0; c < 65536; ++c)
      t[c] = decode_minifloat(static_cast<uint16_t>(c), MiniFloat::F16);
    return t;
  }();
  static const std::vector<float> e4m3 = [] {
    std::vector<float> t(256);
    for (uint32_t c = 0; c < 256; ++c)
      t[c] = decode_minifloat(static_cast<uint16_t>(c), MiniFloat::E4M3);
    return t;
  }();
  static const std::vector<float> e5m2 = [] {
    std::vector<float> t(256);
    for (uint32_t c = 0; c < 256; ++c)
      t[c] = decode_minifloat(static_cast<uint16_t>(c), MiniFloat::E5M2);
    return t;
  }();
  return f == MiniFloat::F16 ? f16 : f == MiniFloat::E4M3 ? e4m3 : e5m2;
}

float half(uint16_t code) {
  return decode_table(MiniFloat::F16)[code];
}

float fp16_scale(const PackedWeightView& w, int64_t row, int64_t col) {
  return half(static_cast<const uint16_t*>(w.scales)[row * w.groups() + col / w.group]);
}

uint8_t nibble(const uint8_t* row, int64_t col) {
  const uint8_t byte = row[col / 2];
  return col % 2 == 0 ? (byte & 0xF) : (byte >> 4);
}

}  // namespace

void dequantize_rows_ref(const PackedWeightView& w, int64_t row_begin, int64_t row_end,
                         float* out) {
  const int64_t k = w.k;
  const auto* bytes = static_cast<const uint8_t*>(w.data);
  for (int64_t r = row_begin; r < row_end; ++r) {
    float* o = out + (r - row_begin) * k;
    const uint8_t* row = bytes + r * w.row_bytes();
    switch (w.format) {
      case WeightFormat::F32:
        std::memcpy(o, row, k * 4);
        break;
      case WeightFormat::F16: {
        const auto* h = reinterpret_cast<const uint16_t*>(row);
        for (int64_t c = 0; c < k; ++c) o[c] = half(h[c]);
        break;
      }
      case WeightFormat::BF16: {
        const auto* h = reinterpret_cast<const uint16_t*>(row);
        for (int64_t c = 0; c < k; ++c) {
          const uint32_t bits = static_cast<uint32_t>(h[c])
                                << 16;  // BF16 is the top half of an f32
          std::memcpy(&o[c], &bits, 4);
        }
        break;
      }
      case WeightFormat::E4M3:
      case WeightFormat::E5M2: {
        const auto& table =
            decode_table(w.format == WeightFormat::E4M3 ? MiniFloat::E4M3 : MiniFloat::E5M2);
        const float s = half(static_cast<const uint16_t*>(w.scales)[r]);
        for (int64_t c = 0; c < k; ++c) o[c] = table[row[c]] * s;
        break;
      }
      case WeightFormat::I8: {
        const float s = half(static_cast<const uint16_t*>(w.scales)[r]);
        for (int64_t c = 0; c < k; ++c) o[c] = static_cast<float>(static_cast<int8_t>(row[c])) * s;
        break;
      }
      case WeightFormat::Q4Sym:
        for (int64_t c = 0; c < k; ++c)
          o[c] = static_cast<float>(nibble(row, c) - 8) * fp16_scale(w, r, c);
        break;
      case WeightFormat::Q4Asym:
        for (int64_t c = 0; c < k; ++c)
          o[c] = static_cast<float>(nibble(row, c) - w.zeros[r * w.groups() + c / w.group]) *
                 fp16_scale(w, r, c);
        break;
      case WeightFormat::NF4:
        for (int64_t c = 0; c < k; ++c) o[c] = nf4_decode(nibble(row, c)) * fp16_scale(w, r, c);
        break;
    }
  }
}

}  // namespace qz::kernels
