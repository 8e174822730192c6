#include "nn/fold_batch_norm.h"

#include <fmt/format.h>

#include "core/error.h"
#include "nn/cnn.h"
#include "nn/dense_layers.h"
#include "nn/make_model.h"

namespace qz::nn {
namespace {

template <typename Norm>
std::pair<torch::Tensor, torch::Tensor> fold(const torch::Tensor& weight, const torch::Tensor& bias,
                                             const Norm& norm) {
  torch::NoGradGuard guard;
  const auto& o = norm.options;
  const int64_t out = weight.size(0);
  QZ_ASSERT(o.num_features() == out, "[fuse] norm of {} features after a layer of {} outputs",
            o.num_features(), out);
  // Double precision for the per-channel factor: the folded model must match to 1e-5.
  const auto var = norm.running_var.to(torch::kFloat64);
  const auto mean = norm.running_mean.to(torch::kFloat64);
  auto gamma = o.affine() ? norm.weight.to(torch::kFloat64) : torch::ones({out}, torch::kFloat64);
  auto beta = o.affine() ? norm.bias.to(torch::kFloat64) : torch::zeros({out}, torch::kFloat64);
  const auto factor = gamma / torch::sqrt(var + o.eps());
  std::vector<int64_t> per_channel(weight.dim(), 1);
  per_channel[0] = out;
  const auto w = (weight.to(torch::kFloat64) * factor.view(per_channel)).to(weight.dtype());
  const auto b0 = bias.defined() ? bias.to(torch::kFloat64) : torch::zeros({out}, torch::kFloat64);
  const auto b = ((b0 - mean) * factor + beta).to(weight.dtype());
  return {w.contiguous(), b.contiguous()};
}

}  // namespace

std::pair<torch::Tensor, torch::Tensor> fold_norm_into(const torch::Tensor& weight,
                                                       const torch::Tensor& bias,
                                                       const torch::nn::BatchNorm2dImpl& norm) {
  return fold(weight, bias, norm);
}

std::pair<torch::Tensor, torch::Tensor> fold_norm_into(const torch::Tensor& weight,
                                                       const torch::Tensor& bias,
                                                       const torch::nn::BatchNorm1dImpl& norm) {
  return fold(weight, bias, norm);
}

bool has_foldable_norms(const Model& model) {
  const auto* cnn = dynamic_cast<const Cnn*>(&model);
  return cnn != nullptr && !cnn->norms().empty();
}

ModelPtr fold_batch_norms(const Model& model) {
  if (!has_foldable_norms(model)) return nullptr;
  const auto& norms = dynamic_cast<const Cnn&>(model).norms();
  nlohmann::json config = model.config();
  config["batch_norm"] = false;
  ModelPtr folded = make_model(config, "[fuse] folded config");
  for (const auto& slot : model.layers()) {
    const LayerSlot* target = folded->find_layer(slot.name());
    QZ_ASSERT(target != nullptr, "[fuse] layer '{}' missing from the folded model", slot.name());
    const LayerPtr& layer = slot.get();
    size_t stage = 0;
    if (std::sscanf(slot.name().c_str(), "conv%zu", &stage) == 1 && stage >= 1 &&
        stage <= norms.size()) {
      QZ_CHECK(layer->is_dense(), "[fuse] layer '{}' is {}: fold BatchNorm before compressing",
               slot.name(), layer->scheme().value("format", "?"));
      auto [w, b] = fold_norm_into(layer->dense_weight(), layer->dense_bias(), *norms[stage - 1]);
      target->replace(std::make_shared<DenseConv2d>(w, b, layer->geometry()));
    } else {
      target->replace(layer);
    }
  }
  folded->eval();
  return folded;
}

}  // namespace qz::nn
