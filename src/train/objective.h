// What a model is scored on, shared by training and evaluation so both use one definition:
// classification → cross-entropy and top-1 correctness; language models → cross-entropy over
// the scored (masked) positions, and per sample either exact match of the whole answer (data
// with answers, e.g. addition) or the fraction of next bytes predicted (plain text).
//
// Exact match is computed teacher-forced: every scored position's argmax equals its target.
// For greedy decoding this is the same event as generating the whole answer correctly, since a
// greedy decoder reproduces the target prefix until its first wrong argmax.
#pragma once

#include <torch/torch.h>

#include "data/dataset.h"

namespace qz::train {

// Mean loss of `logits` against a batch's targets (masked for language models).
torch::Tensor task_loss(const torch::Tensor& logits, const data::Split& batch);

// Sum of per-token losses and count of scored tokens (for exact perplexity over many batches).
std::pair<double, double> summed_loss(const torch::Tensor& logits, const data::Split& batch);

// Per-sample score in [0,1] (float [N]): correct / exact match / fraction of tokens right.
torch::Tensor sample_scores(const torch::Tensor& logits, const data::Split& batch,
                            bool has_answers);

}  // namespace qz::train
