// Operator fusion of one model, as measured: BatchNorm folded into the convs and activations
// applied in the layers' epilogues. Graph operators of the model's TorchScript form before and
// after, the largest output difference, and latency of both forms timed interleaved at each batch
// size. Torch-free: `quantize bench` and `quantize demo` fill it, the trade-off report carries it.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/text_table.h"

namespace qz::tradeoff {

struct FusionLatency {
  double unfused_ms = 0;  // medians
  double fused_ms = 0;
  double speedup() const { return fused_ms > 0 ? unfused_ms / fused_ms : 0; }
};

struct FusionSummary {
  std::string model;  // the original variant's name in a report ("cnn-fp32"); the file in bench
  int64_t graph_ops_unfused = 0;
  int64_t graph_ops_fused = 0;
  double max_abs_diff = 0;                      // fused vs unfused outputs on a probe batch
  std::map<int64_t, FusionLatency> latency_ms;  // batch size → medians
};

// {"model", "applies": true, "graph_ops": {"unfused", "fused"}, "max_abs_diff",
//  "latency_ms": {"1": {"unfused", "fused", "speedup"}, ...}}
nlohmann::json fusion_to_json(const FusionSummary& f);

// Reads fusion_to_json's form back (InputError naming `where` and the field).
FusionSummary fusion_from_json(const nlohmann::json& j, const std::string& where);

// One row per model and batch size: graph operators, max |diff|, unfused and fused ms, speedup.
TextTable fusion_table(const std::vector<FusionSummary>& fusion);

// What the fusion table measures, one sentence for the reports.
extern const char* const kFusionExplanation;

}  // namespace qz::tradeoff
