#include "core/activation_observer.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/rng.h"

namespace qz {
namespace {

std::vector<float> relu_like(size_t n, uint64_t seed, float outlier) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(std::fmax(0.0, rng.normal()));
  v[n / 2] = outlier;
  return v;
}

TEST(Observers, MinMaxCoversEverything) {
  MinMaxObserver o;
  o.observe(relu_like(1000, 1, 30.0f));
  o.observe(std::vector<float>{-2.0f});
  const IntGrid g = o.grid();
  EXPECT_NEAR(g.dequantize(g.qmax), 30.0f, g.scale);
  EXPECT_NEAR(g.dequantize(g.qmin), -2.0f, g.scale);
  EXPECT_EQ(g.dequantize(g.quantize(0.0f)), 0.0f);
}

TEST(Observers, MovingAverageDampsARareOutlierBatch) {
  MovingAverageObserver o;
  for (int b = 0; b < 20; ++b) o.observe(relu_like(500, static_cast<uint64_t>(b), 3.0f));
  o.observe(std::vector<float>{100.0f});
  EXPECT_LT(o.grid().dequantize(255), 5.0f);
  EXPECT_EQ(o.batches(), 21);
}

TEST(Observers, HistogramClipsOutliersForLowerError) {
  HistogramObserver h;
  MinMaxObserver m;
  const auto data = relu_like(20000, 5, 60.0f);
  h.observe(data);
  m.observe(data);
  EXPECT_LT(h.grid().scale, m.grid().scale);
  EXPECT_LT(grid_squared_error(data, h.grid()), grid_squared_error(data, m.grid()));
}

TEST(Observers, FactoryRejectsUnknownKinds) {
  EXPECT_NO_THROW(make_observer("histogram"));
  EXPECT_THROW(make_observer("kl"), InputError);
}

}  // namespace
}  // namespace qz
