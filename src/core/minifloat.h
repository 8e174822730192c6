// Bit-exact reference definitions of the small floating-point formats: FP16 (IEEE binary16),
// BF16, FP8 E4M3 (OCP "fn": no infinities) and FP8 E5M2. One generic encoder rounds to nearest,
// ties to even (like torch.round / the IEEE default), with subnormals; the formats differ only
// in their field widths and in what happens past the largest finite value:
//
//   format  exp/man bias  max finite  overflow (finite or ±Inf input)      NaN code
//   fp16     5 / 10   15  65504       → ±Inf (IEEE)                         0x7E00
//   bf16     8 / 7   127  3.39e38     → ±Inf (IEEE)                         0x7FC0
//   e4m3     4 / 3     7  448         → ±448 (saturating; no Inf exists)    0x7F (S.1111.111)
//   e5m2     5 / 2    15  57344       finite → ±57344 (saturating), ±Inf → ±Inf   0x7E
//
// NaN inputs give the format's quiet NaN with the input's sign. These routines are the
// reference every fast kernel is tested against.
#pragma once

#include <cstdint>

namespace qz {

enum class MiniFloat { F16, BF16, E4M3, E5M2 };

// Encodes a float as `format`'s code (in the low 8 or 16 bits).
uint16_t encode_minifloat(float x, MiniFloat format);
// Decodes a code of `format` to float (exact: every code is representable).
float decode_minifloat(uint16_t code, MiniFloat format);

// Largest finite value of a format.
float minifloat_max(MiniFloat format);

// Convenience wrappers.
inline uint16_t float_to_fp16(float x) {
  return encode_minifloat(x, MiniFloat::F16);
}
inline float fp16_to_float(uint16_t h) {
  return decode_minifloat(h, MiniFloat::F16);
}
inline float bf16_to_float(uint16_t b) {
  return decode_minifloat(b, MiniFloat::BF16);
}
inline uint8_t float_to_e4m3(float x) {
  return static_cast<uint8_t>(encode_minifloat(x, MiniFloat::E4M3));
}
inline float e4m3_to_float(uint8_t c) {
  return decode_minifloat(c, MiniFloat::E4M3);
}
inline uint8_t float_to_e5m2(float x) {
  return static_cast<uint8_t>(encode_minifloat(x, MiniFloat::E5M2));
}
inline float e5m2_to_float(uint8_t c) {
  return decode_minifloat(c, MiniFloat::E5M2);
}

// BF16 by the classic bit trick (add 0x7FFF plus the lowest kept bit, truncate); equal to
// encode_minifloat(x, BF16) for every float, tested exhaustively over exponents.
uint16_t float_to_bf16(float x);

}  // namespace qz
