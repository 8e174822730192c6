// HQQ (Badri & Shaji 2023, half-quadratic quantization): calibration-free weight quantization
// that keeps each group's min-max scale and optimises its zero point off the integer grid, to
// minimise the sparsity-promoting error ‖W − dequant(quant(W))‖ₚᵖ with p < 1 (outliers, the
// weights rounding hurts most, weigh less than with least squares). Half-quadratic splitting
// alternates, per (row, group):
//   q = clamp(round(w/s + z), 0, 2^b − 1)           codes for the current zero
//   e = shrinkₚ(w − (q − z)·s, β)                   the error's sparse part (generalised soft
//                                                   threshold: sign(x)·max(|x| − |x|^(p−1)/β, 0))
//   z = mean(q − (w − e)/s)                         the zero that best explains the rest
//   β ← κ·β
// for up to `iterations` steps, stopping when the mean |w − (q − z)·s| stops falling; the zero
// with the least error is kept (the reference keeps the one after the failed step). Zeros are
// stored as FP16 (format int4-f16zero), the codes recomputed with the stored zero.
#pragma once

#include <span>

#include "compress/quantize_pass.h"
#include "core/group_quant.h"

namespace qz::compress {

struct HqqOptions {
  int bits = 4;         // 2–4 (stored as int4 nibbles)
  int64_t group = 64;   // columns per (scale, zero); ≥ K for one per row
  double p = 0.7;       // the Lp "norm" of the error
  int iterations = 20;  // at most
  double beta = 10.0;   // initial half-quadratic penalty
  double kappa = 1.01;  // β growth per iteration
};

// InputError for settings outside the ranges above.
void check_hqq_options(const HqqOptions& options);

// w [rows, cols] row-major → codes with FP16 scales and FP16 fractional zero points.
GroupCodes hqq_quantize(std::span<const float> w, int64_t rows, int64_t cols,
                        const HqqOptions& options);

// The starting point HQQ improves on: the same min-max scales with the unoptimised zero
// (−min/s) rounded to FP16, for comparisons and tests.
GroupCodes hqq_initial_codes(std::span<const float> w, int64_t rows, int64_t cols,
                             const HqqOptions& options);

// Σ |w − ŵ|ᵖ over a weight matrix and its dequantized codes: the objective HQQ minimises.
double lp_error(std::span<const float> w, const GroupCodes& codes, double p);

// Quantizes every layer but the excluded with HQQ, no calibration data. Each report's
// output_mse is 0 (no inputs); `lp_gain` gets, per layer, the Lp error relative to the
// unoptimised zero points (< 1 when the optimisation helped).
std::vector<LayerReport> hqq_model(nn::Model& model, const HqqOptions& options,
                                   const std::vector<std::string>& exclude,
                                   std::vector<double>* lp_gain = nullptr);

}  // namespace qz::compress
