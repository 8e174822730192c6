// NF4 (QLoRA): 4-bit indices into the normal-float codebook (core/nf4.h), one FP16 absmax
// scale per block.
#include "core/nf4.h"
#include "core/group_quant.h"
#include "kernels/format_table.h"

namespace qz::kernels {
namespace {

StoredWeights quantize_nf4_rows(std::span<const float> w, int64_t n, int64_t k,
                                const QuantizeSettings& s) {
  return store_group_codes(WeightFormat::NF4, quantize_nf4(w, n, k, s.group));
}

}  // namespace

const FormatRow& format_row_NF4() {
  static const FormatRow row{WeightFormat::NF4, "nf4", 0, false, nf4_codebook(),
                             &quantize_nf4_rows};
  return row;
}

}  // namespace qz::kernels
