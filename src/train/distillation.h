// Knowledge distillation (Hinton et al. 2015): the student learns from the labels and from the
// teacher's softened predictions,
//   loss = α·CE(student, labels) + (1 − α)·T²·KL(softmax(t/T) ‖ softmax(s/T)),
// where T² keeps the soft targets' gradients at the scale of the hard ones. Language models
// distil per token over the scored positions.
#pragma once

#include "nn/model.h"
#include "train/trainer.h"

namespace qz::train {

struct DistillOptions {
  double temperature = 4.0;
  double alpha = 0.5;  // weight of the hard-label loss
};

// The distillation loss against `teacher` (run in eval mode without gradients on each batch).
LossFn distillation_loss(nn::Model& teacher, const DistillOptions& options);

// KL(softmax(t/T) ‖ softmax(s/T)) per row of [rows, classes] logits, times T².
torch::Tensor soft_target_loss(const torch::Tensor& student, const torch::Tensor& teacher,
                               double temperature);

}  // namespace qz::train
