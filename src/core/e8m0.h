// E8M0, OCP Microscaling's (MX v1.0) shared block scale: an unsigned 8-bit exponent, value
// 2^(e − 127); 0xFF is NaN and there is no zero. e = 0 is 2^-127, an FP32 subnormal.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>

namespace qz {

inline float e8m0_to_float(uint8_t e) {
  if (e == 0xFF) return std::numeric_limits<float>::quiet_NaN();
  const uint32_t bits = e == 0 ? 0x00400000u : static_cast<uint32_t>(e) << 23;
  float v;
  std::memcpy(&v, &bits, 4);
  return v;
}

// The code of 2^exponent, clamped to the finite codes [0, 254] (2^-127 … 2^127).
inline uint8_t e8m0_from_exponent(int exponent) {
  const int e = exponent + 127;
  return static_cast<uint8_t>(e < 0 ? 0 : e > 254 ? 254 : e);
}

}  // namespace qz
