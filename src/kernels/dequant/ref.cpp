#include <cstring>
#include <vector>

#include "core/e8m0.h"
#include "core/minifloat.h"
#include "kernels/dequant/dequantize.h"
#include "kernels/format_table.h"

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

uint8_t nibble(const uint8_t* row, int64_t col) {
  const uint8_t byte = row[col / 2];
  return col % 2 == 0 ? (byte & 0xF) : (byte >> 4);
}

// The code at (row, col) as a float, before scale and zero point.
float decode_code(const PackedWeightView& w, const uint8_t* codes, int64_t col) {
  const auto* halves = reinterpret_cast<const uint16_t*>(codes);
  switch (layout(w.format).codes) {
    case CodeKind::F32: {
      float v;
      std::memcpy(&v, codes + col * 4, 4);
      return v;
    }
    case CodeKind::F16:
      return half(halves[col]);
    case CodeKind::BF16: {
      const uint32_t bits = static_cast<uint32_t>(halves[col]) << 16;  // the top half of an f32
      float v;
      std::memcpy(&v, &bits, 4);
      return v;
    }
    case CodeKind::E4M3:
      return decode_table(MiniFloat::E4M3)[codes[col]];
    case CodeKind::E5M2:
      return decode_table(MiniFloat::E5M2)[codes[col]];
    case CodeKind::Int8:
      return static_cast<float>(static_cast<int8_t>(codes[col]));
    case CodeKind::IntNibble:
      return static_cast<float>(nibble(codes, col));
    case CodeKind::CodebookNibble:
      return format_row(w.format).codebook[nibble(codes, col)];
  }
  return 0.0f;
}

// Index of (row, col)'s group; only grouped formats have a group size.
int64_t group_index(const PackedWeightView& w, int64_t row, int64_t col) {
  return row * w.groups() + col / w.group;
}

float scale_of(const PackedWeightView& w, int64_t row, int64_t col) {
  switch (layout(w.format).scales) {
    case ScaleKind::None:
      return 1.0f;
    case ScaleKind::RowF16:
      return half(static_cast<const uint16_t*>(w.scales)[row]);
    case ScaleKind::GroupF16:
      return half(static_cast<const uint16_t*>(w.scales)[group_index(w, row, col)]);
    case ScaleKind::GroupE8M0:
      return e8m0_to_float(static_cast<const uint8_t*>(w.scales)[group_index(w, row, col)]);
  }
  return 1.0f;
}

float zero_of(const PackedWeightView& w, int64_t row, int64_t col) {
  switch (layout(w.format).zeros) {
    case ZeroKind::None:
      return 0.0f;
    case ZeroKind::Implicit8:
      return 8.0f;
    case ZeroKind::GroupU8:
      return static_cast<float>(static_cast<const uint8_t*>(w.zeros)[group_index(w, row, col)]);
    case ZeroKind::GroupF16:
      return half(static_cast<const uint16_t*>(w.zeros)[group_index(w, row, col)]);
  }
  return 0.0f;
}

}  // namespace

float dequantize_weight(const PackedWeightView& w, int64_t row, int64_t col) {
  const uint8_t* codes = static_cast<const uint8_t*>(w.data) + row * w.row_bytes();
  return (decode_code(w, codes, col) - zero_of(w, row, col)) * scale_of(w, row, col);
}

void dequantize_rows_ref(const PackedWeightView& w, int64_t row_begin, int64_t row_end,
                         float* out) {
  for (int64_t r = row_begin; r < row_end; ++r)
    for (int64_t c = 0; c < w.k; ++c) out[(r - row_begin) * w.k + c] = dequantize_weight(w, r, c);
}

}  // namespace qz::kernels
