// TorchScript export: our model as a torch::jit::Module with registered tensors and a forward
// written in TorchScript, so PyTorch (Python's torch.jit.load or LibTorch) runs it with no
// code of ours. Layers keep their compression where PyTorch has a kernel for it:
//   fp32                    linear / conv2d
//   int8 linear, per row    quantized::linear_dynamic on the same int8 codes and scales
//   fp16, bf16              half / bfloat16 weights, upcast in forward
//   low-rank                two linears on the factors
// and every other layer (int4, nf4, fp8, sparse, int8 conv) is exported dequantized to FP32,
// with a warning naming the layer. Fused activations and folded norms export as they run.
#pragma once

#include <torch/script.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nn/model.h"

namespace qz::exporting {

struct TorchScriptModule {
  torch::jit::Module module;
  nlohmann::json layers = nlohmann::json::object();  // layer → how it was exported
  std::vector<std::string> warnings;                 // layers exported dequantized
};

// Builds the module for `model` (eval mode).
TorchScriptModule to_torchscript(nn::Model& model);

// torch.jit.freeze with its frozen-graph optimizations (conv-BN folding, ...), the inference
// passes whose result LibTorch can save and load again (see the .cpp for optimize_for_inference).
torch::jit::Module freeze_for_inference(const torch::jit::Module& module);

// Operator nodes (aten::, quantized::, prim::max_pool…) in the inlined forward graph: the
// passes over activations one call makes.
int64_t graph_op_count(const torch::jit::Module& module);

// Writes the module to `path` atomically (a temporary file renamed into place).
void save_torchscript(const torch::jit::Module& module, const std::string& path);

}  // namespace qz::exporting
