// Dequantization of packed weight rows to FP32: the reference definition of every stored
// weight format's values (kernels/weight_format.h), and the interim compute path of compressed
// layers that have no fused kernel (convolutions, dense_weight()).
#pragma once

#include "kernels/weight_format.h"

namespace qz::kernels {

// The value of weight (row, col).
float dequantize_weight(const PackedWeightView& w, int64_t row, int64_t col);

// Writes rows [row_begin, row_end) of `w` as floats to out[(row - row_begin)·K + col].
void dequantize_rows_ref(const PackedWeightView& w, int64_t row_begin, int64_t row_end, float* out);

}  // namespace qz::kernels
