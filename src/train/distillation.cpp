#include "train/distillation.h"

#include "core/error.h"
#include "train/objective.h"

namespace qz::train {

torch::Tensor soft_target_loss(const torch::Tensor& student, const torch::Tensor& teacher,
                               double temperature) {
  const auto log_p_student = torch::log_softmax(student / temperature, -1);
  const auto log_p_teacher = torch::log_softmax(teacher / temperature, -1);
  const auto kl = (log_p_teacher.exp() * (log_p_teacher - log_p_student)).sum(-1);
  return kl * (temperature * temperature);
}

LossFn distillation_loss(nn::Model& teacher, const DistillOptions& options) {
  QZ_CHECK(options.temperature > 0, "[distill] temperature must be positive, got {}",
           options.temperature);
  QZ_CHECK(options.alpha >= 0 && options.alpha <= 1, "[distill] alpha must be in [0, 1], got {}",
           options.alpha);
  return [&teacher, options](const torch::Tensor& logits, const data::Split& batch) {
    torch::Tensor teacher_logits;
    {
      torch::NoGradGuard guard;
      teacher.eval();
      teacher_logits = teacher.forward(batch.inputs);
    }
    const auto hard = task_loss(logits, batch);
    const auto soft_rows = soft_target_loss(logits, teacher_logits, options.temperature);
    torch::Tensor soft;
    if (batch.loss_mask.defined())
      soft = (soft_rows * batch.loss_mask).sum() / batch.loss_mask.sum().clamp_min(1);
    else
      soft = soft_rows.mean();
    return options.alpha * hard + (1.0 - options.alpha) * soft;
  };
}

}  // namespace qz::train
