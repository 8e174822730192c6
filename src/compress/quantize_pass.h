// The post-training quantization pass: replaces every compressible layer (but the excluded
// ones) with a QuantizedLayer of the chosen method, calibrating static activation grids on
// sample inputs, and reports per layer what the quantization cost.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "io/recipe.h"
#include "nn/model.h"

namespace qz::compress {

struct QuantizePlan {
  std::string method = "int8-dynamic";  // a row of io/quantize_methods.h
  int64_t group = 0;                    // 0: the method's default group
  bool symmetric = false;               // int4: symmetric-offset (GPTQ "sym") or affine
  std::string range = "minmax";         // weight range rule: minmax | percentile | mse
  std::string observer =
      "histogram";                   // int8-static activations: minmax | moving-average | histogram
  std::vector<std::string> exclude;  // layers kept in FP32
  std::map<std::string, std::string> layer_methods;  // per-layer method overrides ("fp32" keeps)
  bool show_progress = true;                         // off for passes run inside a search
  nlohmann::json to_json() const;                    // the settings, for provenance
};

// The plan of a post-training recipe step (`step.method` a row of io/quantize_methods.h, its
// options validated by the recipe parser).
QuantizePlan quantize_plan(const io::RecipeStep& step);

struct LayerReport {
  std::string layer;
  std::string method;
  int64_t dense_bytes = 0;   // FP32 weight bytes
  int64_t weight_bytes = 0;  // stored weight bytes (codes, scales, zero points)
  double sqnr_db = 0;        // weight signal-to-quantization-noise ratio
  double max_abs_error = 0;  // weight round trip
  double mean_abs_error = 0;
  double output_mse = 0;  // layer output on the calibration inputs, quantized vs FP32
  nlohmann::json to_json() const;
};

// The report's weight fields (method, bytes, SQNR, errors) for `quantized` standing in for
// `dense`; output_mse is left 0 for the caller.
LayerReport weight_error_report(const std::string& layer, const std::string& method,
                                const nn::CompressibleLayer& dense,
                                const nn::CompressibleLayer& quantized);

// Quantizes `model` in place. `calibration` (inputs, e.g. training samples) is required for
// int8-static and used by every method for the output-error report; may be undefined.
std::vector<LayerReport> quantize_model(nn::Model& model, const QuantizePlan& plan,
                                        const torch::Tensor& calibration);

}  // namespace qz::compress
