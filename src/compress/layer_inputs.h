// Calibration: run a model on sample inputs and hand every compressible layer's input to a
// callback, by temporarily wrapping each layer slot (the model is restored afterwards, also
// when the callback throws).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "data/dataset.h"
#include "nn/model.h"

namespace qz::compress {

using InputSink = std::function<void(const std::string& layer, const torch::Tensor& input)>;

// Runs `model` (eval mode, no gradients) over `inputs` in batches of `batch`, calling `sink`
// with each layer's input tensor as the layer sees it.
void for_each_layer_input(nn::Model& model, const torch::Tensor& inputs, const InputSink& sink,
                          int64_t batch = 256);

// A sample of each layer's inputs (at most `max_rows` leading batch entries per layer).
std::map<std::string, torch::Tensor> sample_layer_inputs(nn::Model& model,
                                                         const torch::Tensor& inputs,
                                                         int64_t max_rows);

}  // namespace qz::compress
