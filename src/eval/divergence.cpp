#include "eval/divergence.h"

namespace qz::eval {

torch::Tensor collect_logits(nn::Model& model, const data::Split& split, int64_t batch) {
  torch::NoGradGuard guard;
  model.eval();
  std::vector<torch::Tensor> parts;
  for (int64_t lo = 0; lo < split.size(); lo += batch)
    parts.push_back(model.forward(split.inputs.narrow(0, lo, std::min(batch, split.size() - lo))));
  return torch::cat(parts, 0);
}

double kl_divergence(const torch::Tensor& reference, const torch::Tensor& other,
                     const data::Split& split) {
  torch::NoGradGuard guard;
  const auto log_p = torch::log_softmax(reference, -1), log_q = torch::log_softmax(other, -1);
  const auto kl = (log_p.exp() * (log_p - log_q)).sum(-1);  // [N] or [N, T]
  if (!split.loss_mask.defined()) return kl.mean().item<double>();
  return ((kl * split.loss_mask).sum() / split.loss_mask.sum().clamp_min(1)).item<double>();
}

}  // namespace qz::eval
