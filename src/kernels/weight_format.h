// Stored weight formats [N, K] as the kernels see them: raw buffers, no LibTorch.
//
// Every format is one line of QZ_WEIGHT_FORMATS and one FormatLayout in layout() below: what
// its codes, scales and zero points look like in memory (= in the model file). Everything else
// a format is — its scheme name, tensors, reference quantizer and decoder — is its row in
// kernels/format_table.h, defined in its own file under kernels/formats/. The generic kernels
// (matmul/, dequant/) read only the layout, so a format whose layout uses known code, scale
// and zero kinds runs on every ISA without a kernel edit.
//
//   format    codes                 scales                     zeros
//   F32       f32 [N, K]            —                          —
//   F16/BF16  u16 [N, K]            —                          —
//   E4M3/E5M2 u8 [N, K]             fp16 [N] (per channel)     —
//   I8        s8 [N, K]             fp16 [N] (per channel)     —
//   Q4Sym     nibbles [N, K/2]      fp16 [N, G]                implicit 8
//   Q4Asym    nibbles               fp16 [N, G]                u8 [N, G]
//   Q4F16Zero nibbles               fp16 [N, G]                fp16 [N, G] (fractional, HQQ)
//   NF4       nibbles (codebook)    fp16 [N, G] (absmax)       —
//   MXFP4     nibbles (E2M1)        E8M0 u8 [N, ceil(K/32)]    —
//
// Nibbles: byte j of a row holds column 2j in bits 0–3 and 2j + 1 in bits 4–7, ceil(K/2)
// bytes per row. G = ceil(K / group). Dequantized value: decode(code)·scale, with
// (code − zero) for integer nibbles and codebook[code] for codebook nibbles.
#pragma once

#include <cstdint>
#include <string>

namespace qz::kernels {

// The one list of stored formats; X(Name) per format.
#define QZ_WEIGHT_FORMATS(X) \
  X(F32)                     \
  X(F16)                     \
  X(BF16)                    \
  X(E4M3)                    \
  X(E5M2)                    \
  X(I8)                      \
  X(Q4Sym)                   \
  X(Q4Asym)                  \
  X(Q4F16Zero)               \
  X(NF4)                     \
  X(MXFP4)

enum class WeightFormat {
#define QZ_FORMAT_ENUM(F) F,
  QZ_WEIGHT_FORMATS(QZ_FORMAT_ENUM)
#undef QZ_FORMAT_ENUM
};

// How one code is stored and turned into a float before scaling.
enum class CodeKind {
  F32,            // 4 bytes, the value
  F16,            // 2 bytes, IEEE half
  BF16,           // 2 bytes, the top half of an f32
  E4M3,           // 1 byte, OCP FP8
  E5M2,           // 1 byte
  Int8,           // 1 byte, two's complement
  IntNibble,      // 4 bits, code − zero point
  CodebookNibble  // 4 bits, an index into the format's 16-value table (FormatRow::codebook)
};

enum class ScaleKind {
  None,
  RowF16,     // one FP16 scale per output row
  GroupF16,   // one FP16 scale per (row, group)
  GroupE8M0,  // one power-of-two scale 2^(e − 127) per (row, group), OCP Microscaling's E8M0
};

enum class ZeroKind {
  None,
  Implicit8,  // symmetric int4: zero point 8
  GroupU8,    // integer zero point per (row, group)
  GroupF16,   // fractional zero point per (row, group)
};

struct FormatLayout {
  CodeKind codes;
  ScaleKind scales;
  ZeroKind zeros;
  int64_t fixed_group = 0;  // a group size the format defines (MX blocks), 0 where it is chosen
};

constexpr FormatLayout layout(WeightFormat f) {
  switch (f) {
    case WeightFormat::F32:
      return {CodeKind::F32, ScaleKind::None, ZeroKind::None};
    case WeightFormat::F16:
      return {CodeKind::F16, ScaleKind::None, ZeroKind::None};
    case WeightFormat::BF16:
      return {CodeKind::BF16, ScaleKind::None, ZeroKind::None};
    case WeightFormat::E4M3:
      return {CodeKind::E4M3, ScaleKind::RowF16, ZeroKind::None};
    case WeightFormat::E5M2:
      return {CodeKind::E5M2, ScaleKind::RowF16, ZeroKind::None};
    case WeightFormat::I8:
      return {CodeKind::Int8, ScaleKind::RowF16, ZeroKind::None};
    case WeightFormat::Q4Sym:
      return {CodeKind::IntNibble, ScaleKind::GroupF16, ZeroKind::Implicit8};
    case WeightFormat::Q4Asym:
      return {CodeKind::IntNibble, ScaleKind::GroupF16, ZeroKind::GroupU8};
    case WeightFormat::Q4F16Zero:
      return {CodeKind::IntNibble, ScaleKind::GroupF16, ZeroKind::GroupF16};
    case WeightFormat::NF4:
      return {CodeKind::CodebookNibble, ScaleKind::GroupF16, ZeroKind::None};
    case WeightFormat::MXFP4:  // OCP MX v1.0: E2M1 codes, one E8M0 scale per 32
      return {CodeKind::CodebookNibble, ScaleKind::GroupE8M0, ZeroKind::None, 32};
  }
  return {CodeKind::F32, ScaleKind::None, ZeroKind::None};
}

// Formats storing two 4-bit codes per byte.
constexpr bool is_nibble_format(WeightFormat f) {
  return layout(f).codes == CodeKind::IntNibble || layout(f).codes == CodeKind::CodebookNibble;
}

// Formats with one scale (and zero point) per group of columns.
constexpr bool is_grouped_format(WeightFormat f) {
  return layout(f).scales == ScaleKind::GroupF16 || layout(f).scales == ScaleKind::GroupE8M0;
}

// Bytes per stored code; nibble formats: 0 (two codes per byte).
constexpr int64_t code_bytes(WeightFormat f) {
  switch (layout(f).codes) {
    case CodeKind::F32:
      return 4;
    case CodeKind::F16:
    case CodeKind::BF16:
      return 2;
    case CodeKind::IntNibble:
    case CodeKind::CodebookNibble:
      return 0;
    default:
      return 1;
  }
}

// The scheme name used in model files and on the CLI ("int4-sym", "nf4", ...): the row's.
std::string weight_format_name(WeightFormat f);

struct PackedWeightView {
  WeightFormat format = WeightFormat::F32;
  int64_t n = 0, k = 0, group = 0;  // group: K for per-channel and ungrouped formats
  const void* data = nullptr;
  const void* scales = nullptr;  // as the layout's ScaleKind says
  const void* zeros = nullptr;   // uint8 (GroupU8) or FP16 (GroupF16) [N, G]

  int64_t groups() const { return group > 0 ? (k + group - 1) / group : 1; }
  // Bytes per stored row of codes.
  int64_t row_bytes() const {
    return is_nibble_format(format) ? (k + 1) / 2 : k * code_bytes(format);
  }
};

}  // namespace qz::kernels
