// Random stored weight matrices of every format for the kernel tests: valid codes (no FP8
// NaN or infinity codes), positive FP16 scales, zero points over the whole nibble range
// (fractional ones, a little beyond it, for Q4F16Zero).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/minifloat.h"
#include "core/rng.h"
#include "kernels/weight_format.h"

namespace qz::kernels::testing {

struct RandomWeights {
  std::vector<uint8_t> data;
  std::vector<uint16_t> scales;
  std::vector<uint8_t> zeros;        // Q4Asym
  std::vector<uint16_t> half_zeros;  // Q4F16Zero: fractional, FP16
  PackedWeightView view;
};

inline bool fp8_code_is_finite(uint8_t code, WeightFormat f) {
  if (f == WeightFormat::E4M3) return (code & 0x7F) != 0x7F;
  if (f == WeightFormat::E5M2) return (code & 0x7C) != 0x7C;
  return true;
}

inline RandomWeights random_weights(WeightFormat format, int64_t n, int64_t k, int64_t group,
                                    Rng& rng) {
  RandomWeights r;
  r.view.format = format;
  r.view.n = n;
  r.view.k = k;
  const bool nibbles = is_nibble_format(format);
  r.view.group = nibbles ? group : k;
  r.data.resize(static_cast<size_t>(n * r.view.row_bytes()));
  if (format == WeightFormat::F32) {
    for (size_t i = 0; i < r.data.size(); i += 4) {
      const float v = static_cast<float>(rng.normal());
      std::memcpy(&r.data[i], &v, 4);
    }
  } else if (format == WeightFormat::F16 || format == WeightFormat::BF16) {
    for (size_t i = 0; i < r.data.size(); i += 2) {
      const float v = static_cast<float>(rng.normal());
      const uint16_t h = format == WeightFormat::F16 ? float_to_fp16(v) : float_to_bf16(v);
      std::memcpy(&r.data[i], &h, 2);
    }
  } else {
    for (auto& b : r.data) {
      do {
        b = static_cast<uint8_t>(rng.next() & 0xFF);
      } while (!fp8_code_is_finite(b, format));
    }
  }
  const int64_t scale_count = nibbles ? n * r.view.groups() : n;
  for (int64_t i = 0; i < scale_count; ++i)
    r.scales.push_back(float_to_fp16(static_cast<float>(rng.uniform(0.001, 0.05))));
  if (format == WeightFormat::Q4Asym)
    for (int64_t i = 0; i < n * r.view.groups(); ++i)
      r.zeros.push_back(static_cast<uint8_t>(rng.next() % 16));
  if (format == WeightFormat::Q4F16Zero)
    for (int64_t i = 0; i < n * r.view.groups(); ++i)
      r.half_zeros.push_back(float_to_fp16(static_cast<float>(rng.uniform(-1.0, 16.0))));
  r.view.data = r.data.data();
  r.view.scales = r.scales.data();
  if (!r.zeros.empty()) r.view.zeros = r.zeros.data();
  if (!r.half_zeros.empty()) r.view.zeros = r.half_zeros.data();
  return r;
}

}  // namespace qz::kernels::testing
