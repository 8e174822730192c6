// quantize export: a model file as TorchScript that PyTorch loads with no code of ours, checked
// on the spot: LibTorch runs the exported module on a seeded sample and its outputs are
// compared with quantize's own runtime.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nn/model.h"

namespace qz::workflow {

struct ExportRequest {
  std::string out;     // .pt file
  bool fuse = false;   // fold BatchNorm, then freeze and optimize for inference
  std::string sample;  // optional safetensors file: "input" and quantize's "output" for it
};

struct ExportResult {
  nlohmann::json layers;              // layer → how it was exported
  std::vector<std::string> warnings;  // layers exported dequantized
  bool folded_batch_norm = false;
  int64_t graph_ops = 0;          // operator nodes of the saved module's forward
  int64_t graph_ops_unfused = 0;  // the same before folding, freezing and optimizing
  double max_abs_diff = 0;        // LibTorch's run of the export vs our runtime, on the sample
  double max_abs_output = 0;      // largest |output| on the sample (scale for the difference)
  int64_t bytes = 0;              // size of the written file
};

// The export check's seeded input batch: eval::synthetic_input for a classifier; for a
// transformer, batch/2 sequences of one random token continued greedily by the model itself.
torch::Tensor sample_input(nn::Model& model, int64_t batch = 8);

// Exports `model` (left unchanged) as TorchScript to request.out.
ExportResult export_torchscript(nn::Model& model, const ExportRequest& request);

}  // namespace qz::workflow
