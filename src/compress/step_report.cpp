#include "compress/step_report.h"

namespace qz::compress {
namespace {

using nlohmann::json;

json layers_json(const std::vector<LayerReport>& layers) {
  json out = json::array();
  for (const auto& l : layers) out.push_back(l.to_json());
  return out;
}

json student_json(const StudentResult& r, const std::string& prefix) {
  json j = {{prefix + "_accuracy", r.accuracy}};
  if (r.perplexity) j[prefix + "_perplexity"] = *r.perplexity;
  return j;
}

json body_json(const QuantizeStep& s) {
  return {{"layers", layers_json(s.layers)}};
}

json body_json(const GptqStep& s) {
  json layers = json::array();
  for (const auto& r : s.layers) {
    json l = r.report.to_json();
    l["rtn_output_mse"] = r.rtn_output_mse;
    l["damping"] = r.damping;
    l["seconds"] = r.seconds;
    layers.push_back(l);
  }
  return {{"layers", layers}};
}

json body_json(const HqqStep& s) {
  json layers = layers_json(s.layers);
  for (size_t i = 0; i < s.lp_gain.size() && i < layers.size(); ++i)
    layers[i]["lp_error_vs_initial_zero"] = s.lp_gain[i];
  return {{"layers", layers}};
}

json body_json(const AwqStep& s) {
  json alphas = json::object();
  for (const auto& [source, alpha] : s.awq.alphas) alphas[source] = alpha;
  return {{"alphas", alphas}, {"layers", layers_json(s.awq.layers)}};
}

json body_json(const SmoothQuantStep& s) {
  json smoothing = json::array();
  for (const auto& r : s.smoothing)
    smoothing.push_back({{"source", r.source},
                         {"max_scale", r.max_scale},
                         {"min_scale", r.min_scale},
                         {"act_range_before", r.act_range_before},
                         {"act_range_after", r.act_range_after}});
  return {{"smoothing", smoothing}, {"layers", layers_json(s.layers)}};
}

json body_json(const PruneStep& s) {
  json layers = json::array();
  for (const auto& l : s.layers) {
    json j = {{"layer", l.layer}, {"sparsity", l.sparsity}};
    if (l.sparsegpt) {
      j["output_mse"] = l.sparsegpt->output_mse;
      j["magnitude_output_mse"] = l.sparsegpt->magnitude_output_mse;
      j["seconds"] = l.sparsegpt->seconds;
    }
    layers.push_back(j);
  }
  return {{"layers", layers}, {"pattern", s.pattern}, {"finetune", s.finetune.to_json()}};
}

json body_json(const StructuredPruneStep& s) {
  json groups = json::array();
  for (const auto& g : s.groups)
    groups.push_back({{"group", g.group},
                      {"units_before", g.units_before},
                      {"units_after", g.units_after},
                      {"unit", g.unit}});
  return {{"groups", groups}, {"config", s.config}, {"finetune", s.finetune.to_json()}};
}

json body_json(const LowRankStep& s) {
  json layers = json::array();
  for (const auto& r : s.layers)
    layers.push_back({{"layer", r.layer},
                      {"in", r.in},
                      {"out", r.out},
                      {"rank", r.rank},
                      {"factored", r.factored},
                      {"relative_error", r.relative_error},
                      {"params_before", r.params_before},
                      {"params_after", r.params_after}});
  return {{"layers", layers}, {"finetune", s.finetune.to_json()}};
}

json body_json(const DistillStep& s) {
  json j = student_json(s.distilled, "student_test");
  j["teacher_parameters"] = s.teacher_parameters;
  j["student_parameters"] = s.student_parameters;
  j["student_config"] = s.student_config;
  if (s.transfer_samples > 0) j["transfer_samples"] = s.transfer_samples;
  if (s.alone) j.update(student_json(*s.alone, "student_alone_test"));
  return j;
}

json body_json(const QatStep& s) {
  return {{"finetune", s.finetune.to_json()}, {"converted_to", s.converted_to.to_json()}};
}

json body_json(const FuseStep& s) {
  return {{"folded", s.folded}};
}

json body_json(const FinetuneStep& s) {
  return {{"finetune", s.finetune.to_json()}};
}

template <class Body>
int64_t layers_of(const Body& b) {
  if constexpr (requires { b.layers; })
    return static_cast<int64_t>(b.layers.size());
  else if constexpr (requires { b.awq; })
    return static_cast<int64_t>(b.awq.layers.size());
  else
    return 0;
}

}  // namespace

json FinetuneSummary::to_json() const {
  if (epochs <= 0) return {{"epochs", 0}};
  return {
      {"epochs", epochs}, {"lr", lr}, {"teacher", "input model"}, {"val_accuracy", val_accuracy}};
}

json StepReport::to_json() const {
  json j = std::visit([](const auto& b) { return body_json(b); }, body);
  if (fused_first) j["fused_first"] = body_json(*fused_first);
  return j;
}

int64_t StepReport::layer_count() const {
  return std::visit([](const auto& b) { return layers_of(b); }, body);
}

}  // namespace qz::compress
