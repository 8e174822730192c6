#include <cstring>

#include "core/minifloat.h"
#include "core/nf4.h"
#include "kernels/dequant/dequantize.h"

namespace qz::kernels {
namespace {

float fp16_scale(const PackedWeightView& w, int64_t row, int64_t col) {
  return fp16_to_float(static_cast<const uint16_t*>(w.scales)[row * w.groups() + col / w.group]);
}

uint8_t nibble(const uint8_t* row, int64_t col) {
  const uint8_t byte = row[col / 2];
  return col % 2 == 0 ? (byte & 0xF) : (byte >> 4);
}

}  // namespace

void dequantize_rows_ref(const PackedWeightView& w, int64_t row_begin, int64_t row_end, float* out) {
  const int64_t k = w.k;
  const auto* bytes = static_cast<const uint8_t*>(w.data);
  for (int64_t r = row_begin; r < row_end; ++r) {
    float* o = out + (r - row_begin) * k;
    const uint8_t* row = bytes + r * w.row_bytes();
    switch (w.format) {
      case WeightFormat::F32:
        std::memcpy(o, row, k * 4);
        break;
      case WeightFormat::F16:
      case WeightFormat::BF16: {
        const auto* h = reinterpret_cast<const uint16_t*>(row);
        const MiniFloat f = w.format == WeightFormat::F16 ? MiniFloat::F16 : MiniFloat::BF16;
        for (int64_t c = 0; c < k; ++c) o[c] = decode_minifloat(h[c], f);
        break;
      }
      case WeightFormat::E4M3:
      case WeightFormat::E5M2: {
        const MiniFloat f = w.format == WeightFormat::E4M3 ? MiniFloat::E4M3 : MiniFloat::E5M2;
        const float s = fp16_to_float(static_cast<const uint16_t*>(w.scales)[r]);
        for (int64_t c = 0; c < k; ++c) o[c] = decode_minifloat(row[c], f) * s;
        break;
      }
      case WeightFormat::I8: {
        const float s = fp16_to_float(static_cast<const uint16_t*>(w.scales)[r]);
        for (int64_t c = 0; c < k; ++c) o[c] = static_cast<float>(static_cast<int8_t>(row[c])) * s;
        break;
      }
      case WeightFormat::Q4Sym:
        for (int64_t c = 0; c < k; ++c) o[c] = static_cast<float>(nibble(row, c) - 8) * fp16_scale(w, r, c);
        break;
      case WeightFormat::Q4Asym:
        for (int64_t c = 0; c < k; ++c)
          o[c] = static_cast<float>(nibble(row, c) - w.zeros[r * w.groups() + c / w.group]) * fp16_scale(w, r, c);
        break;
      case WeightFormat::NF4:
        for (int64_t c = 0; c < k; ++c) o[c] = nf4_decode(nibble(row, c)) * fp16_scale(w, r, c);
        break;
    }
  }
}

}  // namespace qz::kernels
