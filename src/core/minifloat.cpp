#include "core/minifloat.h"

#include <cmath>
#include <cstring>

namespace qz {
namespace {

struct Layout {
  int exp_bits;
  int man_bits;
  int bias;
  bool has_inf;       // top exponent field reserved for Inf/NaN (IEEE style)
  bool saturate;      // finite overflow clamps to max instead of becoming Inf
  uint16_t nan_code;  // quiet NaN, positive
};

Layout layout(MiniFloat f) {
  switch (f) {
    case MiniFloat::F16:
      return {5, 10, 15, true, false, 0x7E00};
    case MiniFloat::BF16:
      return {8, 7, 127, true, false, 0x7FC0};
    case MiniFloat::E4M3:
      return {4, 3, 7, false, true, 0x7F};
    case MiniFloat::E5M2:
      return {5, 2, 15, true, true, 0x7E};
  }
  return {};
}

int total_bits(const Layout& l) {
  return 1 + l.exp_bits + l.man_bits;
}

// Largest finite code without the sign: IEEE formats stop one exponent below the top; E4M3
// uses the top exponent too, except its all-ones mantissa (NaN).
uint16_t max_code(const Layout& l) {
  const uint16_t top_exp = static_cast<uint16_t>((1 << l.exp_bits) - 1);
  const uint16_t all_man = static_cast<uint16_t>((1 << l.man_bits) - 1);
  if (l.has_inf) return static_cast<uint16_t>(((top_exp - 1) << l.man_bits) | all_man);
  return static_cast<uint16_t>((top_exp << l.man_bits) | (all_man - 1));
}

uint16_t inf_code(const Layout& l) {
  return static_cast<uint16_t>(((1 << l.exp_bits) - 1) << l.man_bits);
}

}  // namespace

uint16_t encode_minifloat(float x, MiniFloat format) {
  const Layout l = layout(format);
  const uint16_t sign = std::signbit(x) ? static_cast<uint16_t>(1u << (total_bits(l) - 1)) : 0;
  if (std::isnan(x)) return sign | l.nan_code;
  const double a = std::fabs(static_cast<double>(x));
  if (std::isinf(x)) return sign | (l.has_inf ? inf_code(l) : max_code(l));
  if (a == 0.0) return sign;

  int e2 = 0;
  std::frexp(a, &e2);     // a = m·2^e2, m ∈ [0.5, 1)
  int exponent = e2 - 1;  // a ∈ [2^exponent, 2^(exponent+1))
  const int min_normal_exp = 1 - l.bias;
  uint32_t exp_field, mantissa;
  if (exponent < min_normal_exp) {
    // Subnormal: a multiple of 2^(min_normal_exp - man_bits). Rounding up to 2^man_bits lands
    // exactly on the smallest normal, whose encoding is the same integer.
    const double q = std::nearbyint(std::ldexp(a, l.man_bits - min_normal_exp));
    exp_field = static_cast<uint32_t>(q) >> l.man_bits;
    mantissa = static_cast<uint32_t>(q) & ((1u << l.man_bits) - 1);
  } else {
    double q = std::nearbyint(std::ldexp(a, l.man_bits - exponent));  // in [2^m, 2^(m+1)]
    if (q >= std::ldexp(1.0, l.man_bits + 1)) {
      q /= 2;
      ++exponent;
    }
    exp_field = static_cast<uint32_t>(exponent + l.bias);
    mantissa = static_cast<uint32_t>(q) - (1u << l.man_bits);
  }
  const uint32_t code = (exp_field << l.man_bits) | mantissa;
  if (code > max_code(l)) return sign | (l.saturate ? max_code(l) : inf_code(l));
  return sign | static_cast<uint16_t>(code);
}

float decode_minifloat(uint16_t code, MiniFloat format) {
  const Layout l = layout(format);
  const int bits = total_bits(l);
  const bool negative = (code >> (bits - 1)) & 1;
  const uint32_t exp_field = (code >> l.man_bits) & ((1u << l.exp_bits) - 1);
  const uint32_t mantissa = code & ((1u << l.man_bits) - 1);
  const uint32_t top_exp = (1u << l.exp_bits) - 1;
  double value;
  if (l.has_inf && exp_field == top_exp) {
    value = mantissa == 0 ? INFINITY : NAN;
  } else if (!l.has_inf && exp_field == top_exp && mantissa == (1u << l.man_bits) - 1) {
    value = NAN;
  } else if (exp_field == 0) {
    value = std::ldexp(static_cast<double>(mantissa), 1 - l.bias - l.man_bits);
  } else {
    value = std::ldexp(static_cast<double>(mantissa + (1u << l.man_bits)),
                       static_cast<int>(exp_field) - l.bias - l.man_bits);
  }
  return static_cast<float>(negative ? -value : value);
}

float minifloat_max(MiniFloat format) {
  return decode_minifloat(max_code(layout(format)), format);
}

uint16_t float_to_bf16(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  if ((bits & 0x7FFFFFFF) > 0x7F800000)
    return static_cast<uint16_t>((bits >> 16) & 0x8000) | 0x7FC0;
  const uint32_t rounding = 0x7FFF + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

}  // namespace qz
