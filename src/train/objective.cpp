#include "train/objective.h"

namespace qz::train {
namespace {

bool is_sequence(const data::Split& batch) {
  return batch.loss_mask.defined();
}

torch::Tensor token_losses(const torch::Tensor& logits, const data::Split& batch) {
  const int64_t vocab = logits.size(-1);
  return torch::nn::functional::cross_entropy(
             logits.reshape({-1, vocab}), batch.targets.reshape({-1}),
             torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone))
      .view_as(batch.loss_mask);
}

}  // namespace

torch::Tensor task_loss(const torch::Tensor& logits, const data::Split& batch) {
  if (!is_sequence(batch)) return torch::nn::functional::cross_entropy(logits, batch.targets);
  return (token_losses(logits, batch) * batch.loss_mask).sum() / batch.loss_mask.sum().clamp_min(1);
}

std::pair<double, double> summed_loss(const torch::Tensor& logits, const data::Split& batch) {
  if (!is_sequence(batch)) {
    const auto total = torch::nn::functional::cross_entropy(
        logits, batch.targets,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
    return {total.item<double>(), static_cast<double>(batch.size())};
  }
  return {(token_losses(logits, batch) * batch.loss_mask).sum().item<double>(),
          batch.loss_mask.sum().item<double>()};
}

torch::Tensor sample_scores(const torch::Tensor& logits, const data::Split& batch,
                            bool has_answers) {
  const auto hit = logits.argmax(-1).eq(batch.targets);
  if (!is_sequence(batch)) return hit.to(torch::kFloat32);
  const auto scored = batch.loss_mask > 0;
  if (has_answers) {
    // A miss at any scored position fails the sample.
    const auto misses = (scored & hit.logical_not()).sum(1);
    return misses.eq(0).to(torch::kFloat32);
  }
  const auto right = (scored & hit).sum(1).to(torch::kFloat32);
  return right / scored.sum(1).to(torch::kFloat32).clamp_min(1);
}

}  // namespace qz::train
