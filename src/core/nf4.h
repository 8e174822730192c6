// NF4: the 16-value "normal float" code book of QLoRA (values of a standard normal's quantiles,
// normalised to [-1, 1], with an exact zero). A block of weights is scaled by its absolute
// maximum and each value takes the index of the nearest code; a value exactly halfway between
// two codes takes the lower index.
#pragma once

#include <array>
#include <cstdint>

namespace qz {

// The code book, ascending (REFERENCE.md).
const std::array<float, 16>& nf4_codebook();

// Index of the code nearest to `normalized` (x / block absmax).
uint8_t nf4_encode(float normalized);

inline float nf4_decode(uint8_t code) {
  return nf4_codebook()[code & 0xF];
}

}  // namespace qz
