// Weight matrices [N, K] (row-major, N output channels, K inputs) quantized to integer or NF4
// codes, group-wise along K: each run of `group` inputs of a row shares a scale (and a zero
// point for affine grids). group = K gives one group per row (per channel).
//
// Storage (what the model file and the kernels hold):
//   codes ≤ 4 bits: two per byte, byte j of a row holds element 2j in bits 0–3 and element 2j+1
//                   in bits 4–7; a row has ceil(K/2) bytes (an odd K leaves the last high
//                   nibble 0). Codes of 5–8 bits: one byte each.
//   scales: FP16 [N, ceil(K/group)] for sub-byte formats (rounded before codes are chosen).
//   zeros:  U8 [N, ceil(K/group)] for affine grids only; FP16 when fractional (HQQ).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/int_grid.h"

namespace qz {

struct GroupCodes {
  int64_t rows = 0, cols = 0, group = 0;
  std::vector<uint8_t>
      codes;  // unpacked, rows·cols (unsigned codes; signed int8 as two's complement)
  std::vector<float> scales;   // rows·groups
  std::vector<int32_t> zeros;  // rows·groups
  // rows·groups, FP16-representable; when present they replace `zeros` (HQQ optimises the zero
  // point off the integer grid).
  std::vector<float> fractional_zeros;
  bool has_fractional_zeros() const { return !fractional_zeros.empty(); }
  int64_t groups() const { return (cols + group - 1) / group; }
};

// Quantizes `w` on `kind` grids of `bits` bits, one grid per (row, group).
GroupCodes quantize_groups(std::span<const float> w, int64_t rows, int64_t cols, int64_t group,
                           GridKind kind, int bits, const RangeOptions& range,
                           float (*scale_rounding)(float) = nullptr);

// Dequantizes group codes of `kind` into `out` (rows·cols floats).
void dequantize_groups(const GroupCodes& q, GridKind kind, std::span<float> out);

// NF4 with block absmax scales (FP16-rounded); codes are indices into nf4_codebook().
GroupCodes quantize_nf4(std::span<const float> w, int64_t rows, int64_t cols, int64_t block);
void dequantize_nf4(const GroupCodes& q, std::span<float> out);

// Packs 4-bit codes two per byte (rows × ceil(cols/2)); and back.
std::vector<uint8_t> pack_nibbles(std::span<const uint8_t> codes, int64_t rows, int64_t cols);
std::vector<uint8_t> unpack_nibbles(std::span<const uint8_t> packed, int64_t rows, int64_t cols);

}  // namespace qz
