#include "workflow/measure_fusion.h"

#include "eval/latency.h"
#include "export/torchscript.h"
#include "nn/fold_batch_norm.h"

namespace qz::workflow {

std::optional<tradeoff::FusionSummary> measure_fusion(nn::Model& model,
                                                      const std::vector<int64_t>& batches,
                                                      double seconds, int64_t seq_len) {
  const nn::ModelPtr folded = nn::fold_batch_norms(model);
  if (!folded) return std::nullopt;
  tradeoff::FusionSummary f;
  f.graph_ops_unfused = exporting::graph_op_count(exporting::to_torchscript(model).module);
  f.graph_ops_fused = exporting::graph_op_count(exporting::to_torchscript(*folded).module);
  torch::NoGradGuard guard;
  model.eval();
  folded->eval();
  const auto probe = eval::synthetic_input(model, 8, seq_len);
  f.max_abs_diff = (folded->forward(probe) - model.forward(probe)).abs().max().item<double>();
  for (int64_t b : batches) {
    const auto both = eval::measure_latency_interleaved(
        {&model, folded.get()}, eval::synthetic_input(model, b, seq_len), 3, 10, seconds);
    f.latency_ms[b] = {both[0].median_ms, both[1].median_ms};
  }
  return f;
}

}  // namespace qz::workflow
