#include "core/int_grid.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/minifloat.h"

namespace qz {

float round_to_fp16(float x) {
  return fp16_to_float(float_to_fp16(x));
}

IntGrid make_grid(GridKind kind, int bits, float lo, float hi, float (*scale_rounding)(float)) {
  QZ_ASSERT(bits >= 2 && bits <= 8, "grid of {} bits", bits);
  lo = std::fmin(lo, 0.0f);
  hi = std::fmax(hi, 0.0f);
  const int32_t levels = (1 << bits) - 1;
  IntGrid g;
  float scale = 0;
  switch (kind) {
    case GridKind::SymmetricSigned: {
      const int32_t q = (1 << (bits - 1)) - 1;
      g.qmin = -q;
      g.qmax = q;
      scale = std::fmax(-lo, hi) / static_cast<float>(q);
      break;
    }
    case GridKind::SymmetricOffset:
      g.qmin = 0;
      g.qmax = levels;
      scale = 2.0f * std::fmax(-lo, hi) / static_cast<float>(levels);
      break;
    case GridKind::Affine:
      g.qmin = 0;
      g.qmax = levels;
      scale = (hi - lo) / static_cast<float>(levels);
      break;
  }
  if (scale_rounding != nullptr) scale = scale_rounding(scale);
  if (!(scale > 0) || !std::isfinite(scale)) scale = 1.0f;
  g.scale = scale;
  if (kind == GridKind::SymmetricOffset) g.zero = 1 << (bits - 1);
  if (kind == GridKind::Affine)
    g.zero = static_cast<int32_t>(
        std::fmin(std::fmax(std::nearbyint(-lo / scale), 0.0f), static_cast<float>(levels)));
  return g;
}

RangeRule parse_range_rule(const std::string& name) {
  if (name == "minmax") return RangeRule::MinMax;
  if (name == "percentile") return RangeRule::Percentile;
  if (name == "mse") return RangeRule::Mse;
  throw InputError(
      fmt::format("unknown scale rule '{}' (expected minmax, percentile or mse)", name));
}

double grid_squared_error(std::span<const float> values, const IntGrid& grid) {
  double err = 0;
  for (float x : values) {
    const double d = static_cast<double>(x) - grid.dequantize(grid.quantize(x));
    err += d * d;
  }
  return err;
}

IntGrid choose_grid(std::span<const float> values, GridKind kind, int bits,
                    const RangeOptions& options, float (*scale_rounding)(float)) {
  float lo = 0, hi = 0;
  for (float x : values) {
    lo = std::fmin(lo, x);
    hi = std::fmax(hi, x);
  }
  if (options.rule == RangeRule::Percentile && values.size() > 1) {
    std::vector<float> sorted(values.begin(), values.end());
    const double tail = (100.0 - options.percentile) / 100.0;
    auto at = [&](double q) {
      const size_t k =
          std::min(sorted.size() - 1,
                   static_cast<size_t>(std::llround(q * static_cast<double>(sorted.size() - 1))));
      std::nth_element(sorted.begin(), sorted.begin() + static_cast<ptrdiff_t>(k), sorted.end());
      return sorted[k];
    };
    if (kind == GridKind::Affine) {
      lo = std::fmin(at(tail), 0.0f);
      hi = std::fmax(at(1.0 - tail), 0.0f);
    } else {
      for (float& x : sorted) x = std::fabs(x);
      hi = at(1.0 - tail);
      lo = -hi;
    }
  }
  IntGrid best = make_grid(kind, bits, lo, hi, scale_rounding);
  if (options.rule != RangeRule::Mse) return best;
  double best_err = grid_squared_error(values, best);
  for (int i = 1; i < options.mse_candidates; ++i) {
    const float shrink = 1.0f - static_cast<float>(i) / 100.0f;
    if (shrink <= 0) break;
    const IntGrid g = make_grid(kind, bits, lo * shrink, hi * shrink, scale_rounding);
    const double err = grid_squared_error(values, g);
    if (err < best_err) {
      best_err = err;
      best = g;
    }
  }
  return best;
}

}  // namespace qz
