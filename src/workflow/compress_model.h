// `quantize compress`: load a model file, calibrate and quantize it, evaluate it against the
// original on the test split, and save it with its scheme, provenance and metrics.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compress/quantize_pass.h"
#include "eval/evaluate.h"
#include "nn/model_file.h"
#include "workflow/model_data.h"

namespace qz::workflow {

struct CompressRequest {
  std::string in_path;
  std::string out_path;
  compress::QuantizePlan plan;
  DataChoice data;  // spec "" → no calibration and no evaluation
  int64_t calib_samples = 512;
  std::optional<double> max_drop;  // points of validation accuracy; enables mixed precision
};

struct CompressResult {
  std::vector<compress::LayerReport> layers;
  bool evaluated = false;
  eval::EvalResult base, compressed;
  uint64_t base_bytes = 0, out_bytes = 0;
  std::string data_spec;
  std::vector<std::string> kept_layers;  // mixed precision: layers kept at the fallback precision
  std::string fallback_method;
  double val_drop_points = 0;
  bool within_budget = true;
};

// Compresses a loaded model file (request.in_path names it in the provenance) with already-loaded
// data (nullptr: no calibration or evaluation) and saves it to request.out_path; `file.model` is
// quantized in place.
CompressResult compress_loaded(nn::ModelFile& file, const CompressRequest& request,
                               const data::Dataset* data);

}  // namespace qz::workflow
