#include "compress/second_order/gptq_pass.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "compress/layer_walk.h"
#include "compress/second_order/sequential_pass.h"
#include "core/error.h"
#include "nn/quantized_layer.h"

namespace qz::compress {

double hessian_output_mse(const torch::Tensor& delta, const torch::Tensor& hessian) {
  const auto d = delta.to(torch::kFloat64);
  return (d.matmul(hessian.to(torch::kFloat64)) * d).sum().item<double>() * 0.5 /
         static_cast<double>(delta.size(0));
}

std::vector<LayerReport> rtn_model(nn::Model& model, const GptqOptions& options,
                                   const std::vector<std::string>& exclude) {
  torch::NoGradGuard guard;
  std::vector<LayerReport> reports;
  walk_dense_layers(
      model, {"rtn", exclude, "quantize an FP32 model"}, [&](const nn::LayerSlot& slot) {
        const nn::LayerPtr dense = slot.get();
        const auto w = dense->dense_weight().detach().reshape({dense->out_features(), -1});
        auto quantized = nn::QuantizedLayer::from_codes(*dense, rtn_quantize(w, options),
                                                        gptq_grid_kind(options), options.bits);
        reports.push_back(weight_error_report(slot.name(), fmt::format("rtn-w{}", options.bits),
                                              *dense, *quantized));
        slot.replace(quantized);
      });
  return reports;
}

std::vector<GptqLayerReport> gptq_model(nn::Model& model, const GptqOptions& options,
                                        const torch::Tensor& calibration,
                                        const std::vector<std::string>& exclude) {
  std::vector<GptqLayerReport> reports;
  const GridKind kind = gptq_grid_kind(options);
  const std::string method = fmt::format("gptq-w{}", options.bits);
  for_each_layer_hessian(
      model, calibration, exclude, "gptq",
      [&](const nn::LayerSlot& slot, const torch::Tensor& hessian) {
        torch::NoGradGuard guard;
        const nn::LayerPtr dense = slot.get();
        const auto w = dense->dense_weight().detach().reshape({dense->out_features(), -1});
        const auto start = std::chrono::steady_clock::now();
        const GptqResult g = gptq_quantize(w, hessian, options);
        GptqLayerReport r;
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        auto quantized = nn::QuantizedLayer::from_codes(*dense, g.codes, kind, options.bits);
        r.report = weight_error_report(slot.name(), method, *dense, *quantized);
        r.report.output_mse = hessian_output_mse(g.weight - w, hessian);
        const GroupCodes rtn = rtn_quantize(w, options);
        auto rtn_w = torch::empty_like(g.weight);
        dequantize_groups(rtn, kind, {rtn_w.data_ptr<float>(), static_cast<size_t>(rtn_w.numel())});
        r.rtn_output_mse = hessian_output_mse(rtn_w - w, hessian);
        r.damping = g.damping;
        reports.push_back(r);
        slot.replace(quantized);
      });
  return reports;
}

}  // namespace qz::compress
