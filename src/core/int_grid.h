// Integer quantization grids and the rules that choose their range. Rounding is half to even
// (std::nearbyint, as torch.round), everywhere.
//
//   grid              codes                 scale                     zero
//   SymmetricSigned   [-(2^(b-1)-1), 2^(b-1)-1]  absmax / (2^(b-1)-1)  0        (int8: ±127)
//   SymmetricOffset   [0, 2^b-1]            2·absmax / (2^b-1)        2^(b-1)  (GPTQ "sym")
//   Affine            [0, 2^b-1]            (max-min) / (2^b-1)       clamp(round(-min/scale))
//
// with min ≤ 0 ≤ max forced, so 0 is always exactly representable. An all-zero range gets
// scale 1, so every value quantizes to the zero code.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>

namespace qz {

enum class GridKind { SymmetricSigned, SymmetricOffset, Affine };

struct IntGrid {
  float scale = 1.0f;
  int32_t zero = 0;
  int32_t qmin = 0;
  int32_t qmax = 0;

  int32_t quantize(float x) const {
    const float q = std::nearbyint(x / scale) + static_cast<float>(zero);
    return static_cast<int32_t>(
        std::fmin(std::fmax(q, static_cast<float>(qmin)), static_cast<float>(qmax)));
  }
  float dequantize(int32_t q) const { return static_cast<float>(q - zero) * scale; }
};

// The grid of `kind` with `bits` bits covering [lo, hi] (lo ≤ hi; symmetric kinds use
// max(|lo|, |hi|)). `scale_rounding` rounds the scale to its storage format (e.g. FP16) before
// zero and codes are derived from it, so stored and used scales agree.
IntGrid make_grid(GridKind kind, int bits, float lo, float hi,
                  float (*scale_rounding)(float) = nullptr);

// How the range [lo, hi] of a group of values is chosen.
enum class RangeRule { MinMax, Percentile, Mse };

struct RangeOptions {
  RangeRule rule = RangeRule::MinMax;
  double percentile = 99.99;  // Percentile: keep this share of |x| (or of each tail)
  int mse_candidates = 50;    // Mse: shrink factors 1, 0.99, ..., 1 - (n-1)/100
};

// Parses "minmax" | "percentile" | "mse"; InputError otherwise.
RangeRule parse_range_rule(const std::string& name);

// The grid for `values` under `options` (Mse: the shrink of the min-max range with the least
// squared reconstruction error).
IntGrid choose_grid(std::span<const float> values, GridKind kind, int bits,
                    const RangeOptions& options, float (*scale_rounding)(float) = nullptr);

// Sum of squared reconstruction errors of `values` on `grid`.
double grid_squared_error(std::span<const float> values, const IntGrid& grid);

// Rounds a float to the nearest FP16 value (for scales stored as F16).
float round_to_fp16(float x);

}  // namespace qz
