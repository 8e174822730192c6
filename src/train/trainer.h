// The training loop: AdamW with linear warm-up and cosine decay, gradient clipping, a progress
// bar with loss, accuracy and ETA, and a validation pass after every epoch. Deterministic for a
// seed and a thread count.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "nn/model.h"

namespace qz::train {

struct TrainOptions {
  int64_t epochs = 10;
  double lr = 2e-3;
  int64_t batch = 128;
  uint64_t seed = 0;
  double weight_decay = 0.01;
  double warmup_fraction = 0.03;
  double grad_clip = 1.0;
  std::string label = "train";  // shown on the progress bar
};

// Defaults tuned for the built-in data on 2 cores.
TrainOptions default_train_options(const std::string& arch);

struct EpochLog {
  int64_t epoch = 0;
  double train_loss = 0;
  double val_accuracy = 0;
  double seconds = 0;
};

struct TrainResult {
  std::vector<EpochLog> epochs;
  int64_t steps = 0;
  double seconds = 0;
};

// Optional replacement for the task loss (distillation, regularisers): receives the student's
// logits and the batch, returns the scalar loss to minimise.
using LossFn = std::function<torch::Tensor(const torch::Tensor& logits, const data::Split& batch)>;

// Called after every optimizer step (e.g. to keep pruned weights at zero), without gradients.
using StepHook = std::function<void()>;

// Trains `model` on `data.train`, validating on `data.val` after each epoch.
TrainResult train_model(nn::Model& model, const data::Dataset& data, const TrainOptions& options,
                        const LossFn& loss = nullptr, const StepHook& after_step = nullptr);

// Mean sample score on a split in eval mode (no gradients), in batches.
double split_accuracy(nn::Model& model, const data::Split& split, bool has_answers,
                      int64_t batch = 512);

}  // namespace qz::train
