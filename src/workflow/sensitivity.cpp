#include "workflow/sensitivity.h"

#include <algorithm>

#include "core/progress.h"
#include "eval/divergence.h"
#include "io/quantize_methods.h"
#include "train/trainer.h"
#include "workflow/with_quantized.h"

namespace qz::workflow {

std::string fallback_method(const std::string& method) {
  const io::QuantizeMethod* m = io::find_quantize_method(method);
  return m != nullptr ? m->fallback : "fp32";
}

std::vector<LayerSensitivity> layer_sensitivity(nn::Model& model,
                                                const compress::QuantizePlan& plan,
                                                const data::Dataset& data,
                                                const torch::Tensor& calibration) {
  const double base = train::split_accuracy(model, data.val, data.has_answers);
  const torch::Tensor reference = eval::collect_logits(model, data.val);
  std::vector<LayerSensitivity> out;
  Progress bar("sensitivity " + plan.method, static_cast<int64_t>(model.layers().size()));
  for (const auto& slot : model.layers()) {
    compress::QuantizePlan one = plan;
    one.show_progress = false;
    one.layer_methods.clear();
    for (const auto& other : model.layers())
      if (other.name() != slot.name()) one.layer_methods[other.name()] = "fp32";
    LayerSensitivity s;
    s.layer = slot.name();
    with_quantized(model, one, calibration, [&](const std::vector<compress::LayerReport>& reports) {
      s.accuracy = train::split_accuracy(model, data.val, data.has_answers);
      s.kl = eval::kl_divergence(reference, eval::collect_logits(model, data.val), data.val);
      s.fp32_bytes = reports.at(0).dense_bytes;
      s.bytes = reports.at(0).weight_bytes;
      return 0;
    });
    s.drop_points = 100.0 * (base - s.accuracy);
    out.push_back(s);
    bar.update(static_cast<int64_t>(out.size()), s.layer);
  }
  bar.finish();
  std::stable_sort(
      out.begin(), out.end(), [](const LayerSensitivity& a, const LayerSensitivity& b) {
        return a.drop_points != b.drop_points ? a.drop_points > b.drop_points : a.kl > b.kl;
      });
  return out;
}

MixedPrecisionResult plan_mixed_precision(nn::Model& model, compress::QuantizePlan& plan,
                                          const data::Dataset& data,
                                          const torch::Tensor& calibration, double max_drop) {
  const double base = train::split_accuracy(model, data.val, data.has_answers);
  const std::string fallback = fallback_method(plan.method);
  auto drop_with = [&](const compress::QuantizePlan& p) {
    compress::QuantizePlan silent = p;
    silent.show_progress = false;
    const double acc = with_quantized(model, silent, calibration, [&](const auto&) {
      return train::split_accuracy(model, data.val, data.has_answers);
    });
    return 100.0 * (base - acc);
  };
  MixedPrecisionResult result;
  result.val_drop_points = drop_with(plan);
  if (result.val_drop_points <= max_drop) {
    result.within_budget = true;
    return result;
  }
  const auto ranking = layer_sensitivity(model, plan, data, calibration);
  for (const auto& s : ranking) {
    plan.layer_methods[s.layer] = fallback;
    result.kept.push_back(s.layer);
    result.val_drop_points = drop_with(plan);
    if (result.val_drop_points <= max_drop) {
      result.within_budget = true;
      break;
    }
  }
  return result;
}

}  // namespace qz::workflow
