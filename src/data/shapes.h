// "shapes": 16×16 grayscale images of 12 drawn shape classes (disk, ring, square, ...), each at
// a random position, scale, rotation and stroke width, with random contrast and Gaussian
// noise. Slices: class, noise (low/mid/high) and size (small/medium/large). Rendered from
// signed distance functions with one pixel of anti-aliasing; identical for a seed everywhere.
#pragma once

#include <cstdint>
#include <vector>

#include "data/dataset.h"

namespace qz::data {

constexpr int64_t kShapesSide = 16;

// Renders one image (kShapesSide² floats in [0,1]) of class `cls`; returns its slice ids.
struct ShapeSample {
  std::vector<float> pixels;
  int64_t noise_level;  // 0 low, 1 mid, 2 high
  int64_t size_level;   // 0 small, 1 medium, 2 large
};
ShapeSample render_shape(int64_t cls, uint64_t seed);

// Names of the classes, in label order.
const std::vector<std::string>& shape_class_names();

// The built-in dataset: 48000 train, 2000 validation, 4000 test images (× size_scale).
Dataset make_shapes(const DataOptions& options);

}  // namespace qz::data
