// `quantize compress`: load a model file, calibrate and quantize it, evaluate it against the
// original on the test split, and save it with its scheme, provenance and metrics.
#pragma once

#include <string>
#include <vector>

#include "compress/quantize_pass.h"
#include "eval/evaluate.h"
#include "workflow/model_data.h"

namespace qz::workflow {

struct CompressRequest {
  std::string in_path;
  std::string out_path;
  compress::QuantizePlan plan;
  DataChoice data;             // spec "" → no calibration and no evaluation
  int64_t calib_samples = 512;
};

struct CompressResult {
  std::vector<compress::LayerReport> layers;
  bool evaluated = false;
  eval::EvalResult base, compressed;
  uint64_t base_bytes = 0, out_bytes = 0;
  std::string data_spec;
};

CompressResult compress_model_file(const CompressRequest& request);

}  // namespace qz::workflow
