// Observers that pick the int8 grid of a layer's input activations from calibration data
// (static quantization), after PyTorch's: min–max over everything seen; moving-average
// min–max (each batch's extremes averaged in with constant 0.01); and a 2048-bin histogram
// whose range is then narrowed to the one with the least L2 quantization error.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/int_grid.h"

namespace qz {

class ActivationObserver {
 public:
  virtual ~ActivationObserver() = default;
  // Adds one calibration batch of activations.
  virtual void observe(std::span<const float> batch) = 0;
  // The uint8 affine grid for what was seen.
  virtual IntGrid grid() const = 0;
  int64_t batches() const { return batches_; }

 protected:
  int64_t batches_ = 0;
};

// "minmax" | "moving-average" | "histogram"; InputError otherwise.
std::unique_ptr<ActivationObserver> make_observer(const std::string& kind);

class MinMaxObserver : public ActivationObserver {
 public:
  void observe(std::span<const float> batch) override;
  IntGrid grid() const override;

 protected:
  float lo_ = 0, hi_ = 0;
};

class MovingAverageObserver : public MinMaxObserver {
 public:
  explicit MovingAverageObserver(float constant = 0.01f) : constant_(constant) {}
  void observe(std::span<const float> batch) override;

 private:
  float constant_;
};

class HistogramObserver : public ActivationObserver {
 public:
  explicit HistogramObserver(int bins = 2048) : counts_(bins, 0.0) {}
  void observe(std::span<const float> batch) override;
  IntGrid grid() const override;

 private:
  // Re-bins the histogram onto a wider range [lo, hi].
  void widen(float lo, float hi);
  // Expected squared error of quantizing the histogram on a grid covering bins [first, last].
  double l2_error(int first, int last) const;

  std::vector<double> counts_;
  float lo_ = 0, hi_ = 0;
};

}  // namespace qz
