#include "tradeoff/fusion_summary.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/json_fields.h"
#include "tradeoff/tradeoff_report.h"

namespace qz::tradeoff {

nlohmann::json fusion_to_json(const FusionSummary& f) {
  nlohmann::json j = {
      {"model", f.model},
      {"applies", true},
      {"graph_ops", {{"unfused", f.graph_ops_unfused}, {"fused", f.graph_ops_fused}}},
      {"max_abs_diff", f.max_abs_diff},
      {"latency_ms", nlohmann::json::object()}};
  for (const auto& [batch, l] : f.latency_ms)
    j["latency_ms"][std::to_string(batch)] = {
        {"unfused", l.unfused_ms}, {"fused", l.fused_ms}, {"speedup", l.speedup()}};
  return j;
}

FusionSummary fusion_from_json(const nlohmann::json& j, const std::string& where) {
  QZ_CHECK(j.is_object(), "{}: expected an object", where);
  FusionSummary f;
  f.model = json_string(j, "model", where);
  QZ_CHECK(j.contains("graph_ops") && j["graph_ops"].is_object(),
           "{}: field 'graph_ops': expected an object", where);
  const std::string ops = where + " graph_ops";
  f.graph_ops_unfused = json_int(j["graph_ops"], "unfused", ops, 0, int64_t{1} << 40);
  f.graph_ops_fused = json_int(j["graph_ops"], "fused", ops, 0, int64_t{1} << 40);
  f.max_abs_diff = json_number(j, "max_abs_diff", where, 0, 1e30);
  QZ_CHECK(j.contains("latency_ms") && j["latency_ms"].is_object(),
           "{}: field 'latency_ms': expected an object", where);
  for (const auto& [key, l] : j["latency_ms"].items()) {
    const int64_t batch = batch_size_key(key, where + " latency_ms");
    const std::string at = fmt::format("{} latency_ms.{}", where, key);
    f.latency_ms[batch] = {json_number(l, "unfused", at, 0, 1e9),
                           json_number(l, "fused", at, 0, 1e9)};
  }
  return f;
}

const char* const kFusionExplanation =
    "Each model with BatchNorm, as trained (conv, BatchNorm, ReLU and pooling as separate "
    "operators) against the same model with the norms folded into the convs and ReLU applied in "
    "the conv's epilogue; graph operators counted in its TorchScript form, the two timed "
    "interleaved, and max |diff| the largest output difference on a probe batch.";

TextTable fusion_table(const std::vector<FusionSummary>& fusion) {
  TextTable t(
      {"model", "graph operators", "max |diff|", "batch", "unfused ms", "fused ms", "speedup"});
  for (const FusionSummary& f : fusion)
    for (const auto& [batch, l] : f.latency_ms)
      t.add_row({f.model, fmt::format("{} -> {}", f.graph_ops_unfused, f.graph_ops_fused),
                 fmt::format("{:.2g}", f.max_abs_diff), std::to_string(batch),
                 fmt::format("{:.3f}", l.unfused_ms), fmt::format("{:.3f}", l.fused_ms),
                 fmt::format("{:.2f}x", l.speedup())});
  return t;
}

}  // namespace qz::tradeoff
