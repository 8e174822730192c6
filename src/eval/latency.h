// End-to-end latency of a model's forward pass: warm-up, then timed runs until both a minimum
// count and a minimum time are reached; median and 90th percentile, because these machines
// are noisy.
#pragma once

#include <torch/torch.h>
#include <nlohmann/json.hpp>
#include <vector>

#include "nn/model.h"

namespace qz::eval {

struct LatencyStats {
  int64_t batch = 0;
  int64_t runs = 0;
  double median_ms = 0;
  double p90_ms = 0;
  double items_per_second = 0;  // samples (classifiers) or tokens (language models) per second
};

// A deterministic input of `batch` samples for `model` (images/features of its input shape, or
// `seq_len` random tokens for a language model).
torch::Tensor synthetic_input(const nn::Model& model, int64_t batch, int64_t seq_len = 16);

// Times model.forward(input) in eval mode without gradients.
LatencyStats measure_latency(nn::Model& model, const torch::Tensor& input, int warmup = 3,
                             int min_runs = 10, double min_seconds = 0.5);

// Times several models on one input with their runs interleaved (a, b, a, b, ...), so drifting
// machine load falls on each alike and their ratio is fair; one LatencyStats per model, in order.
std::vector<LatencyStats> measure_latency_interleaved(const std::vector<nn::Model*>& models,
                                                      const torch::Tensor& input, int warmup = 3,
                                                      int min_runs = 10, double min_seconds = 1.0);

}  // namespace qz::eval
