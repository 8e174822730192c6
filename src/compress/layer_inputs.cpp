#include "compress/layer_inputs.h"

namespace qz::compress {
namespace {

// Passes its input to the sink, then to the wrapped layer.
class InputTap : public nn::CompressibleLayer {
 public:
  InputTap(std::string name, nn::LayerPtr inner, const InputSink* sink)
      : name_(std::move(name)), inner_(std::move(inner)), sink_(sink) {}
  torch::Tensor forward(const torch::Tensor& x) override {
    (*sink_)(name_, x);
    return inner_->forward(x);
  }
  nn::LayerKind kind() const override { return inner_->kind(); }
  int64_t in_features() const override { return inner_->in_features(); }
  int64_t out_features() const override { return inner_->out_features(); }
  nn::ConvGeometry geometry() const override { return inner_->geometry(); }
  torch::Tensor dense_weight() const override { return inner_->dense_weight(); }
  torch::Tensor dense_bias() const override { return inner_->dense_bias(); }
  nlohmann::json scheme() const override { return inner_->scheme(); }
  int64_t weight_bytes() const override { return inner_->weight_bytes(); }

 private:
  std::string name_;
  nn::LayerPtr inner_;
  const InputSink* sink_;
};

}  // namespace

void for_each_layer_input(nn::Model& model, const torch::Tensor& inputs, const InputSink& sink,
                          int64_t batch) {
  std::vector<nn::LayerPtr> originals;
  for (const auto& slot : model.layers()) originals.push_back(slot.get());
  auto restore = [&] {
    for (size_t i = 0; i < originals.size(); ++i) model.layers()[i].replace(originals[i]);
  };
  for (size_t i = 0; i < originals.size(); ++i)
    model.layers()[i].replace(
        std::make_shared<InputTap>(model.layers()[i].name(), originals[i], &sink));
  try {
    torch::NoGradGuard guard;
    model.eval();
    for (int64_t lo = 0; lo < inputs.size(0); lo += batch)
      model.forward(inputs.narrow(0, lo, std::min(batch, inputs.size(0) - lo)));
  } catch (...) {
    restore();
    throw;
  }
  restore();
}

std::map<std::string, torch::Tensor> sample_layer_inputs(nn::Model& model,
                                                         const torch::Tensor& inputs,
                                                         int64_t max_rows) {
  std::map<std::string, torch::Tensor> out;
  const auto sample = inputs.narrow(0, 0, std::min(max_rows, inputs.size(0)));
  for_each_layer_input(
      model, sample,
      [&](const std::string& name, const torch::Tensor& x) { out[name] = x.detach().clone(); },
      max_rows);
  return out;
}

}  // namespace qz::compress
