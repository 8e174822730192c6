// Random stored weight matrices of every format for the kernel tests: valid codes (no FP8
// NaN or infinity codes), positive FP16 (or E8M0) scales, zero points over the whole nibble range
// (fractional ones, a little beyond it, for Q4F16Zero).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/minifloat.h"
#include "core/rng.h"
#include "kernels/format_table.h"

namespace qz::kernels::testing {

struct RandomWeights {
  std::vector<uint8_t> data;
  std::vector<uint16_t> scales;      // FP16 scales
  std::vector<uint8_t> scale_bytes;  // E8M0 scales
  std::vector<uint8_t> zeros;        // Q4Asym
  std::vector<uint16_t> half_zeros;  // Q4F16Zero: fractional, FP16
  PackedWeightView view;
};

inline bool fp8_code_is_finite(uint8_t code, WeightFormat f) {
  if (f == WeightFormat::E4M3) return (code & 0x7F) != 0x7F;
  if (f == WeightFormat::E5M2) return (code & 0x7C) != 0x7C;
  return true;
}

// A random matrix of `format` laid out as its FormatLayout says: codes, then scales and zero
// points of the layout's kinds (a new format with known kinds needs nothing here).
inline RandomWeights random_weights(WeightFormat format, int64_t n, int64_t k, int64_t group,
                                    Rng& rng) {
  const FormatLayout l = layout(format);
  RandomWeights r;
  r.view.format = format;
  r.view.n = n;
  r.view.k = k;
  r.view.group = is_grouped_format(format) ? (l.fixed_group > 0 ? l.fixed_group : group) : k;
  r.data.resize(static_cast<size_t>(n * r.view.row_bytes()));
  if (l.codes == CodeKind::F32) {
    for (size_t i = 0; i < r.data.size(); i += 4) {
      const float v = static_cast<float>(rng.normal());
      std::memcpy(&r.data[i], &v, 4);
    }
  } else if (l.codes == CodeKind::F16 || l.codes == CodeKind::BF16) {
    for (size_t i = 0; i < r.data.size(); i += 2) {
      const float v = static_cast<float>(rng.normal());
      const uint16_t h = l.codes == CodeKind::F16 ? float_to_fp16(v) : float_to_bf16(v);
      std::memcpy(&r.data[i], &h, 2);
    }
  } else {
    for (auto& b : r.data) {
      do {
        b = static_cast<uint8_t>(rng.next() & 0xFF);
      } while (!fp8_code_is_finite(b, format));
    }
  }
  const int64_t groups = r.view.groups();
  const int64_t scale_count = l.scales == ScaleKind::RowF16 ? n : n * groups;
  if (l.scales == ScaleKind::RowF16 || l.scales == ScaleKind::GroupF16)
    for (int64_t i = 0; i < scale_count; ++i)
      r.scales.push_back(float_to_fp16(static_cast<float>(rng.uniform(0.001, 0.05))));
  if (l.scales == ScaleKind::GroupE8M0)  // 2^-12 … 2^3, every code finite
    for (int64_t i = 0; i < scale_count; ++i)
      r.scale_bytes.push_back(static_cast<uint8_t>(115 + rng.next() % 16));
  if (l.zeros == ZeroKind::GroupU8)
    for (int64_t i = 0; i < n * groups; ++i)
      r.zeros.push_back(static_cast<uint8_t>(rng.next() % 16));
  if (l.zeros == ZeroKind::GroupF16)
    for (int64_t i = 0; i < n * groups; ++i)
      r.half_zeros.push_back(float_to_fp16(static_cast<float>(rng.uniform(-1.0, 16.0))));
  r.view.data = r.data.data();
  if (!r.scales.empty()) r.view.scales = r.scales.data();
  if (!r.scale_bytes.empty()) r.view.scales = r.scale_bytes.data();
  if (!r.zeros.empty()) r.view.zeros = r.zeros.data();
  if (!r.half_zeros.empty()) r.view.zeros = r.half_zeros.data();
  return r;
}

// Every stored format of the format table.
inline std::vector<WeightFormat> all_formats() {
  std::vector<WeightFormat> out;
  for (const FormatRow* row : all_format_rows()) out.push_back(row->format);
  return out;
}

}  // namespace qz::kernels::testing
