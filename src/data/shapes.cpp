#include "data/shapes.h"

#include <algorithm>
#include <cmath>

#include "core/rng.h"

namespace qz::data {
namespace {

struct Vec2 {
  double x, y;
};

double length(Vec2 p) {
  return std::hypot(p.x, p.y);
}

double segment(Vec2 p, Vec2 a, Vec2 b) {
  const Vec2 pa{p.x - a.x, p.y - a.y}, ba{b.x - a.x, b.y - a.y};
  const double h = std::clamp((pa.x * ba.x + pa.y * ba.y) / (ba.x * ba.x + ba.y * ba.y), 0.0, 1.0);
  return length({pa.x - ba.x * h, pa.y - ba.y * h});
}

double box(Vec2 p, double half) {
  const double qx = std::abs(p.x) - half, qy = std::abs(p.y) - half;
  return length({std::max(qx, 0.0), std::max(qy, 0.0)}) + std::min(std::max(qx, qy), 0.0);
}

// Equilateral triangle of circumradius-like size r centred at the origin (Quilez).
double triangle(Vec2 p, double r) {
  const double k = std::sqrt(3.0);
  p.x = std::abs(p.x) - r;
  p.y = p.y + r / k;
  if (p.x + k * p.y > 0) p = {(p.x - k * p.y) / 2, (-k * p.x - p.y) / 2};
  p.x -= std::clamp(p.x, -2 * r, 0.0);
  return -length(p) * (p.y < 0 ? -1.0 : 1.0);
}

// Signed distance of class `cls` at local point p (shape radius 1), stroke half-width hw.
double shape_sdf(int64_t cls, Vec2 p, double hw) {
  switch (cls) {
    case 0:
      return length(p) - 1.0;  // disk
    case 1:
      return std::abs(length(p) - 0.8) - hw;  // ring
    case 2:
      return box(p, 0.8);  // square
    case 3:
      return std::abs(box(p, 0.75)) - hw;  // square outline
    case 4:
      return triangle(p, 1.0);  // triangle
    case 5:
      return std::abs(triangle(p, 0.95)) - hw;  // triangle outline
    case 6:
      return std::min(segment(p, {-1, 0}, {1, 0}), segment(p, {0, -1}, {0, 1})) - hw;  // plus
    case 7:
      return segment(p, {-1, 0}, {1, 0}) - hw;  // bar
    case 8:
      return std::min(segment(p, {-0.7, -0.9}, {-0.7, 0.9}),  // L corner
                      segment(p, {-0.7, 0.9}, {0.8, 0.9})) -
             hw;
    case 9:
      return std::min(segment(p, {-0.9, -0.8}, {0.9, -0.8}),  // T
                      segment(p, {0, -0.8}, {0, 0.9})) -
             hw;
    case 10:
      return std::min(segment(p, {-0.9, -0.45}, {0.9, -0.45}),  // two bars
                      segment(p, {-0.9, 0.45}, {0.9, 0.45})) -
             hw;
    default:
      return std::max(length(p) - 1.0, p.y);  // half disk
  }
}

constexpr int64_t kTrain = 48000, kVal = 2000, kTest = 4000;
constexpr double kJitter = 2.5;

Split make_split(int64_t count, uint64_t seed) {
  const int64_t classes = static_cast<int64_t>(shape_class_names().size());
  const int64_t pixels = kShapesSide * kShapesSide;
  auto images = torch::empty({count, 1, kShapesSide, kShapesSide});
  auto labels = torch::empty({count}, torch::kInt64);
  auto slices = torch::empty({count, 3}, torch::kInt64);
  float* img = images.data_ptr<float>();
  int64_t* lab = labels.data_ptr<int64_t>();
  int64_t* sl = slices.data_ptr<int64_t>();
  Rng rng(seed);
  for (int64_t i = 0; i < count; ++i) {
    const int64_t cls = static_cast<int64_t>(rng.below(classes));
    const ShapeSample s = render_shape(cls, rng.next());
    std::copy(s.pixels.begin(), s.pixels.end(), img + i * pixels);
    lab[i] = cls;
    sl[i * 3 + 0] = cls;
    sl[i * 3 + 1] = s.noise_level;
    sl[i * 3 + 2] = s.size_level;
  }
  return {images, labels, {}, slices};
}

}  // namespace

const std::vector<std::string>& shape_class_names() {
  static const std::vector<std::string> names = {
      "disk", "ring", "square", "square_outline", "triangle", "triangle_outline", "plus",
      "bar",  "ell",  "tee",    "two_bars",       "half_disk"};
  return names;
}

ShapeSample render_shape(int64_t cls, uint64_t seed) {
  Rng rng(seed);
  ShapeSample s;
  s.size_level = static_cast<int64_t>(rng.below(3));
  const double radius = rng.uniform(3.4 + 1.2 * s.size_level, 4.6 + 1.2 * s.size_level);
  // Centre jitter of up to ±kJitter pixels, less where a large shape would leave the image.
  const double jitter = std::min(kJitter, std::max(0.0, kShapesSide / 2.0 - radius));
  const double cx = kShapesSide / 2.0 + rng.uniform(-jitter, jitter);
  const double cy = kShapesSide / 2.0 + rng.uniform(-jitter, jitter);
  const double angle = rng.uniform(0, 6.283185307179586);
  const double stroke_px = rng.uniform(1.0, 2.0);
  const double contrast = rng.uniform(0.6, 1.0);
  const double background = rng.uniform(0.0, 0.25);
  s.noise_level = static_cast<int64_t>(rng.below(3));
  const double sigma = rng.uniform(0.03 + 0.09 * s.noise_level, 0.08 + 0.10 * s.noise_level);

  const double c = std::cos(angle), sn = std::sin(angle);
  const double hw = stroke_px / 2 / radius;
  s.pixels.resize(kShapesSide * kShapesSide);
  for (int64_t y = 0; y < kShapesSide; ++y) {
    for (int64_t x = 0; x < kShapesSide; ++x) {
      const double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
      const Vec2 local{(c * dx + sn * dy) / radius, (-sn * dx + c * dy) / radius};
      const double dist_px = shape_sdf(cls, local, hw) * radius;
      const double coverage = std::clamp(0.5 - dist_px, 0.0, 1.0);
      const double v = background + contrast * coverage + sigma * rng.normal();
      s.pixels[y * kShapesSide + x] = static_cast<float>(std::clamp(v, 0.0, 1.0));
    }
  }
  return s;
}

Dataset make_shapes(const DataOptions& options) {
  Dataset d;
  d.spec = "shapes";
  d.task = Task::Classification;
  d.input_shape = {1, kShapesSide, kShapesSide};
  d.class_names = shape_class_names();
  d.num_classes = static_cast<int64_t>(d.class_names.size());
  d.slices = class_slices(d.num_classes, d.class_names);
  d.slices.dims.push_back("noise");
  d.slices.values.push_back({"low", "mid", "high"});
  d.slices.dims.push_back("size");
  d.slices.values.push_back({"small", "medium", "large"});
  auto scaled = [&](int64_t n) {
    return std::max<int64_t>(static_cast<int64_t>(n * options.size_scale), 24);
  };
  d.train = make_split(scaled(kTrain), options.seed * 3 + 1);
  d.val = make_split(scaled(kVal), options.seed * 3 + 2);
  d.test = make_split(scaled(kTest), options.seed * 3 + 3);
  return d;
}

}  // namespace qz::data
