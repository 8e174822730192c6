#include "tradeoff/pareto.h"

namespace qz::tradeoff {

std::vector<bool> pareto_frontier(const std::vector<CostAccuracy>& points) {
  std::vector<bool> on(points.size(), true);
  for (size_t i = 0; i < points.size(); ++i)
    for (size_t j = 0; j < points.size() && on[i]; ++j) {
      const CostAccuracy& a = points[i];
      const CostAccuracy& b = points[j];
      const bool no_worse = b.cost <= a.cost && b.accuracy >= a.accuracy;
      const bool better = b.cost < a.cost || b.accuracy > a.accuracy;
      if (j != i && no_worse && better) on[i] = false;
    }
  return on;
}

}  // namespace qz::tradeoff
