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

float dequantize_weight(const PackedWeightView& w, int64_t row, int64_t col) {
  const uint8_t* codes = static_cast<const uint8_t*>(w.data) + row * w.row_bytes();
  const auto* halves = reinterpret_cast<const uint16_t*>(codes);
  switch (w.format) {
    case WeightFormat::F32: {
      float v;
      std::memcpy(&v, codes + col * 4, 4);
      return v;
    }
    case WeightFormat::F16:
      return half(halves[col]);
    case WeightFormat::BF16: {
      const uint32_t bits = static_cast<uint32_t>(halves[col]) << 16;  // the top half of an f32
      float v;
      std::memcpy(&v, &bits, 4);
      return v;
    }
    case WeightFormat::E4M3:
    case WeightFormat::E5M2:
      return decode_table(w.format == WeightFormat::E4M3 ? MiniFloat::E4M3
                                                         : MiniFloat::E5M2)[codes[col]] *
             half(static_cast<const uint16_t*>(w.scales)[row]);
    case WeightFormat::I8:
      return static_cast<float>(static_cast<int8_t>(codes[col])) *
             half(static_cast<const uint16_t*>(w.scales)[row]);
    case WeightFormat::Q4Sym:
      return static_cast<float>(nibble(codes, col) - 8) * fp16_scale(w, row, col);
    case WeightFormat::Q4Asym:
      return static_cast<float>(
                 nibble(codes, col) -
                 static_cast<const uint8_t*>(w.zeros)[row * w.groups() + col / w.group]) *
             fp16_scale(w, row, col);
    case WeightFormat::Q4F16Zero:
      return (static_cast<float>(nibble(codes, col)) -
              half(static_cast<const uint16_t*>(w.zeros)[row * w.groups() + col / w.group])) *
             fp16_scale(w, row, col);
    case WeightFormat::NF4:
      return nf4_decode(nibble(codes, col)) * fp16_scale(w, row, col);
  }
  return 0.0f;
}

void dequantize_rows_ref(const PackedWeightView& w, int64_t row_begin, int64_t row_end,
                         float* out) {
  for (int64_t r = row_begin; r < row_end; ++r)
    for (int64_t c = 0; c < w.k; ++c) out[(r - row_begin) * w.k + c] = dequantize_weight(w, r, c);
}

}  // namespace qz::kernels
