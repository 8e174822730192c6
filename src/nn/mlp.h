// Multi-layer perceptron classifier: flatten → (linear → ReLU)* → linear head.
// Config: {"arch":"mlp","input_shape":[C,H,W] or [F],"num_classes":K,"hidden":[512,512]}.
#pragma once

#include "nn/model.h"

namespace qz::nn {

class Mlp : public Model {
 public:
  explicit Mlp(nlohmann::json config);
  torch::Tensor forward(const torch::Tensor& x) override;
  Task task() const override { return Task::Classification; }
  std::vector<DimGroup> dependency_groups() const override;
  void sync_config_to_layers() override;
  std::vector<ScaleGroup> scale_groups() const override;

 private:
  std::vector<LayerPtr> fcs_;  // hidden layers then the head
};

}  // namespace qz::nn
