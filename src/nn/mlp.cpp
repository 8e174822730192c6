#include "nn/mlp.h"

#include <fmt/format.h>

#include "io/model_config.h"
#include "nn/dense_layers.h"

namespace qz::nn {
namespace {
std::string fc_name(size_t i, size_t count) {
  return i + 1 == count ? "head" : fmt::format("fc{}", i + 1);
}
}  // namespace

Mlp::Mlp(nlohmann::json config) : Model(std::move(config)) {
  int64_t in = io::flat_input_size(config_);
  const auto hidden = config_.at("hidden").get<std::vector<int64_t>>();
  std::vector<int64_t> outs = hidden;
  outs.push_back(config_.at("num_classes").get<int64_t>());
  fcs_.resize(outs.size());
  for (size_t i = 0; i < outs.size(); ++i) {
    const std::string name = fc_name(i, outs.size());
    add_layer(*this, name, name, fcs_[i], std::make_shared<DenseLinear>(in, outs[i]));
    if (i + 1 < outs.size()) fcs_[i]->set_fused_activation(kernels::Activation::Relu);
    in = outs[i];
  }
}

torch::Tensor Mlp::forward(const torch::Tensor& x) {
  torch::Tensor h = x.flatten(1);
  for (const auto& fc : fcs_) h = fc->forward(h);  // ReLU in each hidden layer's epilogue
  return h;
}

std::vector<DimGroup> Mlp::dependency_groups() const {
  std::vector<DimGroup> groups;
  for (size_t i = 0; i + 1 < fcs_.size(); ++i) {
    const std::string producer = fc_name(i, fcs_.size());
    groups.push_back({producer + ".out", {producer}, {fc_name(i + 1, fcs_.size())}, {}, 1, 1});
  }
  return groups;
}

std::vector<ScaleGroup> Mlp::scale_groups() const {
  // ReLU(x/s) = ReLU(x)/s for s > 0: each layer's rows can hand a scale to the next one's columns.
  std::vector<ScaleGroup> groups;
  for (size_t i = 0; i + 1 < fcs_.size(); ++i)
    groups.push_back({fc_name(i, fcs_.size()), false, {fc_name(i + 1, fcs_.size())}});
  return groups;
}

void Mlp::sync_config_to_layers() {
  std::vector<int64_t> hidden;
  for (size_t i = 0; i + 1 < fcs_.size(); ++i) hidden.push_back(fcs_[i]->out_features());
  config_["hidden"] = hidden;
}

}  // namespace qz::nn
