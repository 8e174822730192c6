#include "nn/cnn.h"

#include <fmt/format.h>

#include "nn/dense_layers.h"
#include "nn/max_pool.h"

namespace qz::nn {

Cnn::Cnn(nlohmann::json config) : Model(std::move(config)) {
  const auto shape = config_.at("input_shape").get<std::vector<int64_t>>();
  const auto channels = config_.at("channels").get<std::vector<int64_t>>();
  const bool batch_norm = config_.value("batch_norm", true);
  int64_t in = shape[0], h = shape[1], w = shape[2];
  convs_.resize(channels.size());
  for (size_t i = 0; i < channels.size(); ++i) {
    const std::string conv = fmt::format("conv{}", i + 1);
    add_layer(*this, conv, conv, convs_[i],
              std::make_shared<DenseConv2d>(in, channels[i], ConvGeometry{3, 1, 1}));
    if (batch_norm)
      norms_.push_back(
          register_module(fmt::format("bn{}", i + 1), torch::nn::BatchNorm2d(channels[i])));
    else
      convs_[i]->set_fused_activation(kernels::Activation::Relu);
    in = channels[i];
    h /= 2;
    w /= 2;
  }
  final_spatial_ = h * w;
  const int64_t hidden = config_.at("hidden").get<int64_t>();
  add_layer(*this, "fc", "fc", fc_, std::make_shared<DenseLinear>(in * final_spatial_, hidden));
  fc_->set_fused_activation(kernels::Activation::Relu);
  add_layer(*this, "head", "head", head_,
            std::make_shared<DenseLinear>(hidden, config_.at("num_classes").get<int64_t>()));
}

torch::Tensor Cnn::forward(const torch::Tensor& x) {
  torch::Tensor h = x;
  for (size_t i = 0; i < convs_.size(); ++i) {
    h = convs_[i]->forward(h);
    if (!norms_.empty()) h = torch::relu(norms_[i]->forward(h));  // else ReLU is in the conv
    h = max_pool2x2(h);
  }
  return head_->forward(fc_->forward(h.flatten(1)));
}

std::vector<DimGroup> Cnn::dependency_groups() const {
  std::vector<DimGroup> groups;
  for (size_t i = 0; i < convs_.size(); ++i) {
    const std::string conv = fmt::format("conv{}", i + 1);
    const bool last = i + 1 == convs_.size();
    groups.push_back({conv + ".out",
                      {conv},
                      {last ? std::string("fc") : fmt::format("conv{}", i + 2)},
                      norms_.empty() ? std::vector<std::string>{}
                                     : std::vector<std::string>{fmt::format("bn{}", i + 1)},
                      last ? final_spatial_ : 1,
                      1});
  }
  groups.push_back({"fc.out", {"fc"}, {"head"}, {}, 1, 1});
  return groups;
}

void Cnn::sync_config_to_layers() {
  std::vector<int64_t> channels;
  for (const auto& conv : convs_) channels.push_back(conv->out_features());
  config_["channels"] = channels;
  config_["hidden"] = fc_->out_features();
}

}  // namespace qz::nn
