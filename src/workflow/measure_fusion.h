// Operator fusion, measured on a model with BatchNorm: the model as loaded against a copy with
// its norms folded (nn/fold_batch_norm.h) — graph operators of each as TorchScript, the largest
// output difference on a probe batch, and latency of both timed interleaved at each batch size.
#pragma once

#include <optional>
#include <vector>

#include "nn/model.h"
#include "tradeoff/fusion_summary.h"

namespace qz::workflow {

// nullopt when the model has no BatchNorm to fold (its bias and activations are already fused
// in every layer). `seconds` is the time budget per batch size for both models together.
std::optional<tradeoff::FusionSummary> measure_fusion(nn::Model& model,
                                                      const std::vector<int64_t>& batches,
                                                      double seconds, int64_t seq_len = 16);

}  // namespace qz::workflow
