#include "compress/second_order/sparsegpt_pass.h"

#include <chrono>

#include "compress/layer_walk.h"
#include "compress/second_order/gptq_pass.h"
#include "compress/second_order/sequential_pass.h"
#include "core/error.h"

namespace qz::compress {

LayerMasks sparsegpt_model(nn::Model& model, const SparseGptOptions& options,
                           const torch::Tensor& calibration,
                           const std::vector<std::string>& exclude,
                           std::vector<SparseGptLayerReport>* reports) {
  LayerMasks masks;
  for_each_layer_hessian(
      model, calibration, exclude, "sparsegpt",
      [&](const nn::LayerSlot& slot, const torch::Tensor& hessian) {
        torch::NoGradGuard guard;
        require_dense(slot, "sparsegpt", "prune before quantizing or factoring");
        const nn::LayerPtr layer = slot.get();
        torch::Tensor param = layer->dense_weight();
        const auto w = param.detach().reshape({layer->out_features(), -1}).clone();
        const auto start = std::chrono::steady_clock::now();
        const SparseGptResult r = sparsegpt_prune(w, hessian, options);
        SparseGptLayerReport report;
        report.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        param.copy_(r.weight.view(param.sizes()));
        masks[slot.name()] = r.keep;
        if (reports != nullptr) {
          report.layer = slot.name();
          report.sparsity = 1.0 - r.keep.to(torch::kFloat64).mean().item<double>();
          report.output_mse = hessian_output_mse(r.weight - w, hessian);
          MaskOptions mo;
          mo.pattern = options.pattern;
          mo.sparsity = options.sparsity;
          const auto magnitude = select_masks({{slot.name(), w.abs()}}, mo).at(slot.name());
          report.magnitude_output_mse = hessian_output_mse(w * magnitude - w, hessian);
          reports->push_back(report);
        }
      });
  return masks;
}

}  // namespace qz::compress
