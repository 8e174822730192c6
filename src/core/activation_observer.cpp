#include "core/activation_observer.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace qz {

std::unique_ptr<ActivationObserver> make_observer(const std::string& kind) {
  if (kind == "minmax") return std::make_unique<MinMaxObserver>();
  if (kind == "moving-average") return std::make_unique<MovingAverageObserver>();
  if (kind == "histogram") return std::make_unique<HistogramObserver>();
  throw InputError(
      fmt::format("unknown observer '{}' (expected minmax, moving-average or histogram)", kind));
}

void MinMaxObserver::observe(std::span<const float> batch) {
  for (float x : batch) {
    lo_ = std::fmin(lo_, x);
    hi_ = std::fmax(hi_, x);
  }
  ++batches_;
}

IntGrid MinMaxObserver::grid() const {
  return make_grid(GridKind::Affine, 8, lo_, hi_);
}

void MovingAverageObserver::observe(std::span<const float> batch) {
  float lo = 0, hi = 0;
  for (float x : batch) {
    lo = std::fmin(lo, x);
    hi = std::fmax(hi, x);
  }
  if (batches_ == 0) {
    lo_ = lo;
    hi_ = hi;
  } else {
    lo_ += constant_ * (lo - lo_);
    hi_ += constant_ * (hi - hi_);
  }
  ++batches_;
}

void HistogramObserver::widen(float lo, float hi) {
  const int bins = static_cast<int>(counts_.size());
  std::vector<double> fresh(bins, 0.0);
  if (hi_ > lo_) {
    const double old_width = (hi_ - lo_) / bins, new_width = (hi - lo) / bins;
    for (int b = 0; b < bins; ++b) {
      if (counts_[b] == 0) continue;
      const double center = lo_ + (b + 0.5) * old_width;
      const int nb = std::clamp(static_cast<int>((center - lo) / new_width), 0, bins - 1);
      fresh[nb] += counts_[b];
    }
  }
  counts_.swap(fresh);
  lo_ = lo;
  hi_ = hi;
}

void HistogramObserver::observe(std::span<const float> batch) {
  float lo = lo_, hi = hi_;
  for (float x : batch) {
    lo = std::fmin(lo, x);
    hi = std::fmax(hi, x);
  }
  if (lo < lo_ || hi > hi_ || batches_ == 0) widen(lo, hi);
  const int bins = static_cast<int>(counts_.size());
  const double width = (hi_ - lo_) / bins;
  if (width > 0)
    for (float x : batch)
      counts_[std::clamp(static_cast<int>((x - lo_) / width), 0, bins - 1)] += 1;
  ++batches_;
}

double HistogramObserver::l2_error(int first, int last) const {
  const int bins = static_cast<int>(counts_.size());
  const double width = (hi_ - lo_) / bins;
  const IntGrid g = make_grid(GridKind::Affine, 8, lo_ + first * width, lo_ + (last + 1) * width);
  double err = 0;
  for (int b = 0; b < bins; ++b) {
    if (counts_[b] == 0) continue;
    const float center = static_cast<float>(lo_ + (b + 0.5) * width);
    const double d = center - g.dequantize(g.quantize(center));
    err += counts_[b] * d * d;
  }
  return err;
}

IntGrid HistogramObserver::grid() const {
  const int bins = static_cast<int>(counts_.size());
  if (!(hi_ > lo_)) return make_grid(GridKind::Affine, 8, lo_, hi_);
  // Narrow the range from whichever end removes less mass, keeping the best L2 error seen
  // (PyTorch's non-linear parameter search, in steps of 1/256 of the range).
  double total = 0;
  for (double c : counts_) total += c;
  int first = 0, last = bins - 1;
  int best_first = first, best_last = last;
  double best = l2_error(first, last);
  const int step = std::max(1, bins / 256);
  double left_mass = 0, right_mass = 0;
  while (last - first > 2 * step) {
    double next_left = left_mass, next_right = right_mass;
    for (int b = first; b < first + step; ++b) next_left += counts_[b];
    for (int b = last - step + 1; b <= last; ++b) next_right += counts_[b];
    if (next_left - left_mass <= next_right - right_mass) {
      left_mass = next_left;
      first += step;
    } else {
      right_mass = next_right;
      last -= step;
    }
    if (left_mass + right_mass > 0.5 * total) break;
    const double err = l2_error(first, last);
    if (err < best) {
      best = err;
      best_first = first;
      best_last = last;
    }
  }
  const double width = (hi_ - lo_) / bins;
  return make_grid(GridKind::Affine, 8, static_cast<float>(lo_ + best_first * width),
                   static_cast<float>(lo_ + (best_last + 1) * width));
}

}  // namespace qz
