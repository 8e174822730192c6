#include "compress/quantize_pass.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "compress/layer_inputs.h"
#include "compress/layer_walk.h"
#include "core/activation_observer.h"
#include "core/error.h"
#include "core/progress.h"
#include "io/method_configs.h"
#include "io/quantize_methods.h"
#include "io/recipe.h"
#include "nn/quantized_layer.h"

namespace qz::compress {
namespace {

constexpr int64_t kReportRows = 256;

}  // namespace

nlohmann::json LayerReport::to_json() const {
  return {{"layer", layer},
          {"method", method},
          {"dense_bytes", dense_bytes},
          {"weight_bytes", weight_bytes},
          {"sqnr_db", sqnr_db},
          {"max_abs_error", max_abs_error},
          {"mean_abs_error", mean_abs_error},
          {"output_mse", output_mse}};
}

LayerReport weight_error_report(const std::string& layer, const std::string& method,
                                const nn::CompressibleLayer& dense,
                                const nn::CompressibleLayer& quantized) {
  torch::NoGradGuard guard;
  LayerReport r;
  r.layer = layer;
  r.method = method;
  const auto w = dense.dense_weight().to(torch::kFloat32);
  const auto err = (quantized.dense_weight() - w).abs();
  r.dense_bytes = w.numel() * 4;
  r.weight_bytes = quantized.weight_bytes();
  const double signal = w.pow(2).sum().item<double>(), noise = err.pow(2).sum().item<double>();
  r.sqnr_db =
      noise > 0 ? 10.0 * std::log10(signal / noise) : std::numeric_limits<double>::infinity();
  r.max_abs_error = err.max().item<double>();
  r.mean_abs_error = err.mean().item<double>();
  return r;
}

QuantizePlan quantize_plan(const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::QuantizeConfig>(step.options);
  QuantizePlan plan;
  plan.method = step.method;
  plan.group = c.group;
  plan.symmetric = c.symmetric;
  plan.range = c.range;
  plan.observer = c.observer;
  plan.exclude = c.exclude;
  return plan;
}

std::vector<LayerReport> quantize_model(nn::Model& model, const QuantizePlan& plan,
                                        const torch::Tensor& calibration) {
  const auto& methods = io::quantize_methods();
  auto method_of = [&](const std::string& layer) {
    if (std::find(plan.exclude.begin(), plan.exclude.end(), layer) != plan.exclude.end())
      return std::string("fp32");
    auto it = plan.layer_methods.find(layer);
    return it != plan.layer_methods.end() ? it->second : plan.method;
  };
  QZ_CHECK(std::find(methods.begin(), methods.end(), plan.method) != methods.end(),
           "[quantize] unknown method '{}'", plan.method);
  check_exclude(model, plan.exclude, "quantize");
  bool needs_calibration = false;
  for (const auto& [name, m] : plan.layer_methods) {
    QZ_CHECK(model.find_layer(name) != nullptr, "[quantize] unknown layer '{}'", name);
    QZ_CHECK(m == "fp32" || std::find(methods.begin(), methods.end(), m) != methods.end(),
             "[quantize] layer '{}': unknown method '{}'", name, m);
  }
  for (const auto& slot : model.layers())
    needs_calibration |= method_of(slot.name()) == "int8-static";
  const bool have_data = calibration.defined() && calibration.size(0) > 0;
  QZ_CHECK(!needs_calibration || have_data,
           "[quantize] int8-static needs calibration data: pass --data");

  // Static activation grids, observed on the FP32 model.
  std::map<std::string, std::unique_ptr<ActivationObserver>> observers;
  if (needs_calibration) {
    for (const auto& slot : model.layers())
      if (method_of(slot.name()) == "int8-static")
        observers[slot.name()] = make_observer(plan.observer);
    for_each_layer_input(model, calibration, [&](const std::string& layer, const torch::Tensor& x) {
      auto it = observers.find(layer);
      if (it == observers.end()) return;
      const auto c = x.contiguous().to(torch::kFloat32);
      it->second->observe({c.data_ptr<float>(), static_cast<size_t>(c.numel())});
    });
  }
  const auto inputs = have_data ? sample_layer_inputs(model, calibration, kReportRows)
                                : std::map<std::string, torch::Tensor>{};

  std::vector<LayerReport> reports;
  std::optional<Progress> bar;
  if (plan.show_progress)
    bar.emplace("quantize " + plan.method, static_cast<int64_t>(model.layers().size()));
  int64_t done = 0;
  torch::NoGradGuard guard;
  for (const auto& slot : model.layers()) {
    const std::string method = method_of(slot.name());
    ++done;
    if (bar) bar->update(done, slot.name());
    if (method == "fp32") continue;
    const nn::LayerPtr dense = slot.get();
    nn::QuantizeOptions options = nn::options_for_method(method, plan.group, plan.symmetric);
    options.range = plan.range;
    if (method == "int8-static") {
      const IntGrid g = observers.at(slot.name())->grid();
      options.input_scale = g.scale;
      options.input_zero_point = g.zero;
    }
    auto quantized = nn::QuantizedLayer::quantize(*dense, options);
    quantized->set_fused_activation(dense->fused_activation());  // compare like with like

    LayerReport r = weight_error_report(slot.name(), method, *dense, *quantized);
    if (auto it = inputs.find(slot.name()); it != inputs.end())
      r.output_mse = (quantized->forward(it->second) - dense->forward(it->second))
                         .pow(2)
                         .mean()
                         .item<double>();
    reports.push_back(r);
    slot.replace(quantized);
  }
  if (bar) bar->finish();
  return reports;
}

nlohmann::json QuantizePlan::to_json() const {
  return {{"method", method},
          {"group", group},
          {"symmetric", symmetric},
          {"range", range},
          {"observer", observer},
          {"exclude", exclude},
          {"layer_methods", layer_methods}};
}

}  // namespace qz::compress
