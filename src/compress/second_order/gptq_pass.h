// GPTQ over a whole model: every layer (but the excluded) quantized in sequence on Hessians
// from calibration inputs through the already-quantized layers (second_order/sequential_pass),
// replaced by a QuantizedLayer holding GPTQ's codes.
#pragma once

#include "compress/quantize_pass.h"
#include "compress/second_order/gptq.h"

namespace qz::compress {

struct GptqLayerReport {
  LayerReport report;  // output_mse from the Hessian: tr(ΔW·H/2·ΔWᵀ)/out over all calibration rows
  double rtn_output_mse = 0;  // the same for round to nearest on the same grid
  double seconds = 0;         // this layer's GPTQ time (Hessian excluded)
  double damping = 0;
};

std::vector<GptqLayerReport> gptq_model(nn::Model& model, const GptqOptions& options,
                                        const torch::Tensor& calibration,
                                        const std::vector<std::string>& exclude);

// Round to nearest on GPTQ's grids (any bit width 2–8), layer by layer, no calibration: the
// baseline GPTQ and AWQ are measured against.
std::vector<LayerReport> rtn_model(nn::Model& model, const GptqOptions& options,
                                   const std::vector<std::string>& exclude);

// The output MSE of a layer whose weights moved by delta [N, K], from its input Hessian.
double hessian_output_mse(const torch::Tensor& delta, const torch::Tensor& hessian);

}  // namespace qz::compress
