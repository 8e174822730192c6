// Structured pruning (Ln-norm channel pruning with dependencies, after DepGraph): whole output
// neurons, conv channels, attention heads and FFN units are removed, so the weight matrices
// physically shrink. It walks the model's dimension groups (nn::DimGroup): each channel's
// importance is the mean Ln norm over the group — the producers' output rows and the consumers'
// input columns — and removing a channel removes the producers' rows and biases, the
// consumers' input columns and every passthrough norm's entries together. Heads go as wholes
// (the group's unit). The transformer's residual stream is left at full width: every block
// reads and writes it, so it is the costliest dimension to cut.
#pragma once

#include <string>
#include <vector>

#include "nn/model.h"

namespace qz::compress {

struct StructuredOptions {
  double ratio = 0.5;   // fraction of each group's units removed
  int norm = 2;         // L1 or L2
  bool global = false;  // one ranking across groups (importances normalised by each group's mean)
  std::vector<std::string> exclude;  // layers whose groups are left alone
};

struct GroupPruning {
  std::string group;
  int64_t units_before = 0, units_after = 0, unit = 1;
};

// Prunes `model` in place (its layers must be FP32) and updates its config to the new widths.
std::vector<GroupPruning> prune_structured(nn::Model& model, const StructuredOptions& options);

}  // namespace qz::compress
