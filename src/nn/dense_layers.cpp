#include "nn/dense_layers.h"

#include <cmath>

namespace qz::nn {
namespace {

// PyTorch's default init (kaiming-uniform with a=√5, i.e. U(±1/√fan_in)) for weight and bias.
void default_init(torch::Tensor& w, torch::Tensor& b, int64_t fan_in) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  torch::NoGradGuard guard;
  w.uniform_(-bound, bound);
  if (b.defined()) b.uniform_(-bound, bound);
}

}  // namespace

DenseLinear::DenseLinear(int64_t in, int64_t out, bool bias) {
  weight_ = register_parameter("weight", torch::empty({out, in}));
  if (bias) bias_ = register_parameter("bias", torch::empty({out}));
  default_init(weight_, bias_, in);
}

DenseLinear::DenseLinear(torch::Tensor weight, torch::Tensor bias) {
  weight_ = register_parameter("weight", std::move(weight));
  if (bias.defined()) bias_ = register_parameter("bias", std::move(bias));
}

torch::Tensor DenseLinear::forward(const torch::Tensor& x) {
  return activate(torch::nn::functional::linear(x, weight_, bias_));
}

DenseConv2d::DenseConv2d(int64_t in, int64_t out, ConvGeometry geometry, bool bias)
    : geometry_(geometry) {
  weight_ = register_parameter("weight", torch::empty({out, in, geometry.kernel, geometry.kernel}));
  if (bias) bias_ = register_parameter("bias", torch::empty({out}));
  default_init(weight_, bias_, in * geometry.kernel * geometry.kernel);
}

DenseConv2d::DenseConv2d(torch::Tensor weight, torch::Tensor bias, ConvGeometry geometry)
    : geometry_(geometry) {
  weight_ = register_parameter("weight", std::move(weight));
  if (bias.defined()) bias_ = register_parameter("bias", std::move(bias));
}

torch::Tensor DenseConv2d::forward(const torch::Tensor& x) {
  return activate(torch::conv2d(x, weight_, bias_, geometry_.stride, geometry_.padding));
}

}  // namespace qz::nn
