// The integer-grid rows: int8 (symmetric, one FP16 scale per output row, codes ±127) and the
// int4 nibble grids with one FP16 scale per group — symmetric (zero point 8, GPTQ's "sym"),
// affine (a U8 zero point per group) and int4-f16zero (HQQ's fractional FP16 zero points,
// which only HQQ produces). Scales are rounded to FP16 before the codes are chosen.
#include "core/group_quant.h"
#include "core/int_grid.h"
#include "kernels/format_table.h"

namespace qz::kernels {
namespace {

template <WeightFormat F, GridKind Kind, int Bits>
StoredWeights quantize_grid(std::span<const float> w, int64_t n, int64_t k,
                            const QuantizeSettings& s) {
  const int64_t group = is_grouped_format(F) ? s.group : k;
  return store_group_codes(F, quantize_groups(w, n, k, group, Kind, Bits, s.range, round_to_fp16));
}

}  // namespace

const FormatRow& format_row_I8() {
  static const FormatRow row{WeightFormat::I8,
                             "int8",
                             8,
                             true,
                             {},
                             &quantize_grid<WeightFormat::I8, GridKind::SymmetricSigned, 8>};
  return row;
}

const FormatRow& format_row_Q4Sym() {
  static const FormatRow row{WeightFormat::Q4Sym,
                             "int4-sym",
                             4,
                             true,
                             {},
                             &quantize_grid<WeightFormat::Q4Sym, GridKind::SymmetricOffset, 4>};
  return row;
}

const FormatRow& format_row_Q4Asym() {
  static const FormatRow row{WeightFormat::Q4Asym,
                             "int4-asym",
                             4,
                             false,
                             {},
                             &quantize_grid<WeightFormat::Q4Asym, GridKind::Affine, 4>};
  return row;
}

const FormatRow& format_row_Q4F16Zero() {
  static const FormatRow row{WeightFormat::Q4F16Zero, "int4-f16zero", 4, false, {}, nullptr};
  return row;
}

}  // namespace qz::kernels
