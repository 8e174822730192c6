// Output agreement between two models: KL divergence of their predictive distributions.
#pragma once

#include <torch/torch.h>

#include "data/dataset.h"
#include "nn/model.h"

namespace qz::eval {

// The model's logits over a split, in batches (eval mode, no gradients).
torch::Tensor collect_logits(nn::Model& model, const data::Split& split, int64_t batch = 512);

// Mean KL(softmax(reference) ‖ softmax(other)) per sample (classifiers) or per scored position
// (language models, weighted by the split's loss mask), in nats.
double kl_divergence(const torch::Tensor& reference, const torch::Tensor& other,
                     const data::Split& split);

}  // namespace qz::eval
