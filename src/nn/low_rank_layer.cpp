#include "nn/low_rank_layer.h"

#include "core/error.h"
#include "nn/model_file.h"

namespace qz::nn {

LowRankLayer::LowRankLayer(torch::Tensor a, torch::Tensor b, torch::Tensor bias) {
  QZ_ASSERT(a.dim() == 2 && b.dim() == 2 && b.size(1) == a.size(0), "[lowrank] factor shapes");
  a_ = register_parameter("weight_a", a.contiguous());
  b_ = register_parameter("weight_b", b.contiguous());
  if (bias.defined()) bias_ = register_parameter("bias", bias.contiguous());
}

std::shared_ptr<LowRankLayer> LowRankLayer::for_scheme(const nlohmann::json& scheme,
                                                       const CompressibleLayer& dense) {
  QZ_CHECK(dense.kind() == LayerKind::Linear,
           "[lowrank] scheme: only linear layers can be factored");
  QZ_CHECK(scheme.contains("rank") && scheme["rank"].is_number_integer(),
           "[lowrank] scheme: field 'rank': expected an integer");
  const int64_t rank = scheme["rank"].get<int64_t>();
  const int64_t in = dense.in_features(), out = dense.out_features();
  QZ_CHECK(rank >= 1 && rank <= std::min(in, out),
           "[lowrank] scheme: field 'rank': {} is not between 1 and {}", rank, std::min(in, out));
  const torch::Tensor bias = dense.dense_bias().defined() ? torch::zeros({out}) : torch::Tensor();
  return std::make_shared<LowRankLayer>(torch::zeros({rank, in}), torch::zeros({out, rank}), bias);
}

torch::Tensor LowRankLayer::forward(const torch::Tensor& x) {
  return activate(torch::linear(torch::linear(x, a_), b_, bias_));
}

torch::Tensor LowRankLayer::dense_weight() const {
  return torch::mm(b_, a_);
}

void register_low_rank_format() {
  static const bool registered = [] {
    register_layer_format(
        "lowrank", [](const nlohmann::json& scheme, const CompressibleLayer& dense) -> LayerPtr {
          return LowRankLayer::for_scheme(scheme, dense);
        });
    return true;
  }();
  (void)registered;
}

}  // namespace qz::nn
