// Pareto frontiers: the points that no other point beats on both cost and accuracy.
#pragma once

#include <cstddef>
#include <vector>

namespace qz::tradeoff {

struct CostAccuracy {
  double cost = 0;      // lower is better (bytes, milliseconds)
  double accuracy = 0;  // higher is better
};

// For each point, whether it is on the frontier: no other point has cost ≤ and accuracy ≥ with
// at least one strictly better. Equal points are all on it.
std::vector<bool> pareto_frontier(const std::vector<CostAccuracy>& points);

}  // namespace qz::tradeoff
