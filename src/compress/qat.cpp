#include "compress/qat.h"

#include <fmt/ranges.h>

#include "compress/fake_quant.h"
#include "compress/layer_walk.h"
#include "core/error.h"
#include "nn/dense_layers.h"

namespace qz::compress {
namespace {

class FakeQuantLayer : public nn::CompressibleLayer {
 public:
  FakeQuantLayer(const nn::CompressibleLayer& dense, FakeGrid grid, int64_t group,
                 bool quantize_inputs)
      : kind_(dense.kind()),
        geometry_(dense.geometry()),
        grid_(grid),
        group_(group),
        quantize_inputs_(quantize_inputs) {
    weight_ = register_parameter("weight", dense.dense_weight().detach().clone());
    if (dense.dense_bias().defined())
      bias_ = register_parameter("bias", dense.dense_bias().detach().clone());
  }

  torch::Tensor forward(const torch::Tensor& x) override {
    const auto w = fake_quantize_weight(weight_.reshape({weight_.size(0), -1}), grid_, group_)
                       .view(weight_.sizes());
    if (kind_ == nn::LayerKind::Linear) {
      torch::Tensor input = x;
      if (quantize_inputs_)
        input = fake_quantize_rows_u8(x.reshape({-1, x.size(-1)})).view(x.sizes());
      return activate(torch::linear(input, w, bias_));
    }
    // Conv inputs are fake-quantized per sample (the runtime's rows are im2col patches; a
    // per-sample range is the same grid family at a coarser granularity).
    torch::Tensor input = x;
    if (quantize_inputs_) input = fake_quantize_rows_u8(x.reshape({x.size(0), -1})).view(x.sizes());
    return activate(torch::conv2d(input, w, bias_, geometry_.stride, geometry_.padding));
  }
  nn::LayerKind kind() const override { return kind_; }
  int64_t in_features() const override { return weight_.size(1); }
  int64_t out_features() const override { return weight_.size(0); }
  nn::ConvGeometry geometry() const override { return geometry_; }
  torch::Tensor dense_weight() const override { return weight_; }
  torch::Tensor dense_bias() const override { return bias_; }
  nlohmann::json scheme() const override { return {{"format", "fake-quant"}}; }
  int64_t weight_bytes() const override { return weight_.numel() * 4; }

  nn::LayerPtr to_dense() const {
    if (kind_ == nn::LayerKind::Conv2d)
      return std::make_shared<nn::DenseConv2d>(
          weight_.detach().clone(), bias_.defined() ? bias_.detach().clone() : bias_, geometry_);
    return std::make_shared<nn::DenseLinear>(weight_.detach().clone(),
                                             bias_.defined() ? bias_.detach().clone() : bias_);
  }

 private:
  nn::LayerKind kind_;
  nn::ConvGeometry geometry_;
  FakeGrid grid_;
  int64_t group_;
  bool quantize_inputs_;
  torch::Tensor weight_, bias_;
};

}  // namespace

const std::vector<std::string>& qat_methods() {
  static const std::vector<std::string> methods = {"int8", "int8-dynamic", "int8-static", "int4"};
  return methods;
}

void insert_fake_quant(nn::Model& model, const QatPlan& plan) {
  const auto& methods = qat_methods();
  QZ_CHECK(std::find(methods.begin(), methods.end(), plan.method) != methods.end(),
           "[qat] method '{}' is not trained for (expected one of {})", plan.method,
           fmt::join(methods, ", "));
  QZ_CHECK(plan.method != "int4" || plan.group >= 1, "[qat] group must be positive");
  const FakeGrid grid = plan.method == "int4"
                            ? (plan.symmetric ? FakeGrid::Int4Symmetric : FakeGrid::Int4Affine)
                            : FakeGrid::Int8PerChannel;
  const bool inputs = plan.method == "int8-dynamic" || plan.method == "int8-static";
  const LayerWalk walk{"qat", plan.exclude, "quantization-aware training starts from FP32 layers",
                       false};
  walk_dense_layers(model, walk, [&](const nn::LayerSlot& slot) {
    slot.replace(std::make_shared<FakeQuantLayer>(*slot.get(), grid, plan.group, inputs));
  });
}

void remove_fake_quant(nn::Model& model) {
  for (const auto& slot : model.layers())
    if (const auto* fake = dynamic_cast<const FakeQuantLayer*>(slot.get().get()))
      slot.replace(fake->to_dense());
}

}  // namespace qz::compress
