// Packed weight matrices [N, K] as the kernels see them: raw buffers, no LibTorch. The byte
// layouts are the model file's (core/group_quant.h):
//
//   format   codes (data)                      scales                 zeros
//   F16/BF16 uint16 [N, K]                     —                      —
//   E4M3/E5M2 uint8 [N, K]                     fp16 [N] (per channel) —
//   I8       int8 [N, K]                       fp16 [N] (per channel) —
//   Q4Sym    uint8 [N, ceil(K/2)] (2 per byte) fp16 [N, G]            implicit 8
//   Q4Asym   uint8 [N, ceil(K/2)]              fp16 [N, G]            uint8 [N, G]
//   Q4F16Zero uint8 [N, ceil(K/2)]             fp16 [N, G]            fp16 [N, G] (fractional)
//   NF4      uint8 [N, ceil(K/2)]              fp16 [N, G] (absmax)   —
//
// G = ceil(K / group). Scales are FP16 for every format (as compressed-tensors stores them in the
// model's half dtype); the integer GEMM takes its per-channel scales as f32 separately. Dequantized
// value: F16/BF16 decode; FP8 decode·scale; I8 q·scale; Q4 (q − zero)·scale (the zero point in
// float for Q4F16Zero, whose zeros HQQ optimises off the integer grid); NF4 codebook[q]·scale.
#pragma once

#include <cstdint>
#include <string>

namespace qz::kernels {

enum class WeightFormat { F32, F16, BF16, E4M3, E5M2, I8, Q4Sym, Q4Asym, Q4F16Zero, NF4 };

// Formats storing two 4-bit codes per byte with one FP16 scale per group.
constexpr bool is_nibble_format(WeightFormat f) {
  return f == WeightFormat::Q4Sym || f == WeightFormat::Q4Asym || f == WeightFormat::Q4F16Zero ||
         f == WeightFormat::NF4;
}

// The scheme name used in model files and on the CLI ("int4-sym", "nf4", ...).
std::string weight_format_name(WeightFormat f);

struct PackedWeightView {
  WeightFormat format = WeightFormat::F32;
  int64_t n = 0, k = 0, group = 0;
  const void* data = nullptr;
  const void* scales = nullptr;
  const void* zeros = nullptr;  // uint8 (Q4Asym) or FP16 (Q4F16Zero) [N, G]

  int64_t groups() const { return group > 0 ? (k + group - 1) / group : 1; }
  // Bytes per stored row of codes.
  int64_t row_bytes() const;
};

}  // namespace qz::kernels
