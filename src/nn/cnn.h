// Small CNN classifier: per stage conv3×3 → BatchNorm → ReLU → max-pool 2, then flatten →
// linear → ReLU → linear head.
// Config: {"arch":"cnn","input_shape":[C,H,W],"num_classes":K,"channels":[32,64],"hidden":256}
// and "batch_norm": false once the norms are folded into the convs (nn/fold_batch_norm.h):
// then each stage is conv3×3 (+ReLU in its epilogue) → our one-pass max-pool 2 (nn/max_pool.h).
#pragma once

#include "nn/model.h"

namespace qz::nn {

class Cnn : public Model {
 public:
  explicit Cnn(nlohmann::json config);
  torch::Tensor forward(const torch::Tensor& x) override;
  Task task() const override { return Task::Classification; }
  std::vector<DimGroup> dependency_groups() const override;
  void sync_config_to_layers() override;

  // The stages' BatchNorms, in order (empty once folded).
  const std::vector<torch::nn::BatchNorm2d>& norms() const { return norms_; }

 private:
  std::vector<LayerPtr> convs_;
  std::vector<torch::nn::BatchNorm2d> norms_;
  LayerPtr fc_, head_;
  int64_t final_spatial_ = 1;  // H·W after the last pool
};

}  // namespace qz::nn
